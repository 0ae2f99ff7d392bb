import { expect } from 'chai';
import * as otel from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { DatabaseError } from '../../src/errors/database-error';
import { UniqueViolationError } from '../../src/errors/constraint-errors';
import { instrumentOpenTelemetry, loadOpenTelemetryApi, TRACER_NAME, type OpenTelemetryApi, type OpenTelemetryTracer } from '../../src/observability/otel';
import type { QueryEvent } from '../../src/service/query-event';
import { useTestDatabase } from '../support/test-database';

// The integration declares the slice of @opentelemetry/api it uses; the real package must fit it (tsc checks these).
const realApi: OpenTelemetryApi = otel;
const realTracer: OpenTelemetryTracer = otel.trace.getTracer('type-check');
void realApi;
void realTracer;

const ms = (time: otel.HrTime): number => time[0] * 1e3 + time[1] / 1e6;

describe('instrumentOpenTelemetry', () => {
  const t = useTestDatabase({ deleteGuilds: 'afterEach' });
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('bot');
  let stop: (() => void) | undefined;

  before(() => {
    // What the Node SDK registers: the active span follows the async call chain.
    otel.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  });
  after(() => {
    otel.context.disable();
    otel.trace.disable();
  });
  beforeEach(() => {
    exporter.reset();
    stop = instrumentOpenTelemetry(t.db.service, { tracer });
  });
  afterEach(() => stop?.());

  /** Runs `fn` inside an active span named `command`; returns that span and the database spans, in end order. */
  async function inCommand(fn: () => Promise<unknown>): Promise<{ command: ReadableSpan; queries: ReadableSpan[] }> {
    await tracer.startActiveSpan('command', async (span) => {
      try {
        await fn();
      } finally {
        span.end();
      }
    });
    const spans = exporter.getFinishedSpans();
    const command = spans.find((s) => s.name === 'command');
    if (command === undefined) throw new Error('no command span');
    return { command, queries: spans.filter((s) => s !== command) };
  }

  function expectChildOf(span: ReadableSpan, parent: ReadableSpan): void {
    expect(span.parentSpanContext?.spanId, `${span.name}'s parent`).to.equal(parent.spanContext().spanId);
    expect(span.spanContext().traceId).to.equal(parent.spanContext().traceId);
  }

  function server(): { host: string; port: number; database: string } {
    const url = new URL(t.db.service.options.url ?? '');
    return { host: url.hostname, port: Number(url.port || 5432), database: url.pathname.slice(1) };
  }

  it('makes one CLIENT span per read, named and attributed by the database conventions, under the active span', async () => {
    const guildId = t.newGuild();
    await t.db.guild.getOrCreateGuild(guildId);
    exporter.reset();
    const events: QueryEvent[] = [];
    const stopEvents = t.db.service.onQuery((e) => events.push(e));
    const { command, queries } = await inCommand(() => t.db.guild.getGuildById(guildId)).finally(stopEvents);
    expect(queries).to.have.length(1);
    const [span] = queries as [ReadableSpan];
    expect(span.name).to.equal('SELECT guild');
    expect(span.kind).to.equal(otel.SpanKind.CLIENT);
    expect(span.status.code).to.equal(otel.SpanStatusCode.UNSET);
    expect(span.attributes).to.include({
      'db.system.name': 'postgresql',
      'db.operation.name': 'SELECT',
      'db.collection.name': 'guild',
      'db.namespace': server().database,
      'server.address': server().host,
      'server.port': server().port,
      'db.response.returned_rows': 1,
      'tux_database.in_unit': false,
    });
    expect(span.attributes['db.query.text']).to.match(/^SELECT .* FROM "guild" WHERE "guild_id" = \$1/);
    expect(JSON.stringify(span.attributes)).to.not.include(guildId);
    expectChildOf(span, command);
    // The span lasts as long as the statement did (up to the rounding of hrtime conversions).
    expect(ms(span.duration)).to.be.closeTo(events[0]?.durationMs ?? -1, 1e-3);
  });

  it('names a write by the table it writes, the guild row it creates on the way aside', async () => {
    const guildId = t.newGuild();
    const { command, queries } = await inCommand(() => t.db.afk.setMemberAfk({ userId: '11', guildId, afkMessage: 'lunch' }));
    const insert = queries.find((s) => s.attributes['db.collection.name'] === 'afk');
    expect(insert?.name, queries.map((s) => s.name).join(', ')).to.equal('INSERT afk');
    expect(insert?.attributes).to.include({ 'db.operation.name': 'INSERT', 'tux_database.row_count': 1 });
    // pg's rowCount counts affected rows for a write, which db.response.returned_rows does not mean.
    expect(insert?.attributes).to.not.have.property('db.response.returned_rows');
    expectChildOf(insert as ReadableSpan, command);
  });

  it('marks a failed statement: status ERROR, error.type and status code the SQLSTATE, no message by default', async () => {
    const guildId = t.newGuild();
    await t.db.guild.getOrCreateGuild(guildId);
    exporter.reset();
    const { command, queries } = await inCommand(async () => {
      await expect(t.db.service.query('INSERT INTO "guild" ("guild_id") VALUES ($1)', [guildId])).to.be.rejectedWith(UniqueViolationError);
    });
    expect(queries).to.have.length(1);
    const [span] = queries as [ReadableSpan];
    expect(span.name).to.equal(`INSERT ${server().database}`);
    expect(span.status).to.deep.equal({ code: otel.SpanStatusCode.ERROR, message: 'UniqueViolationError (23505)' });
    expect(span.attributes).to.include({ 'error.type': '23505', 'db.response.status_code': '23505' });
    expect(span.attributes).to.not.have.property('db.collection.name');
    expect(span.events).to.have.length(0);
    expectChildOf(span, command);
  });

  it('records the error message and exception when asked to', async () => {
    stop?.();
    stop = instrumentOpenTelemetry(t.db.service, { tracer, recordErrorMessages: true });
    const guildId = t.newGuild();
    await t.db.guild.getOrCreateGuild(guildId);
    exporter.reset();
    await expect(t.db.service.query('INSERT INTO "guild" ("guild_id") VALUES ($1)', [guildId])).to.be.rejectedWith(UniqueViolationError);
    const [span] = exporter.getFinishedSpans() as [ReadableSpan];
    expect(span.status.message).to.match(/already exists/);
    expect(span.events.map((e) => e.name)).to.deep.equal(['exception']);
  });

  it('puts the statements of a unit of work under the span active where the unit runs, marked as in a unit', async () => {
    const guildId = t.newGuild();
    const { command, queries } = await inCommand(() =>
      t.db.transaction(async () => {
        await t.db.guild.getOrCreateGuild(guildId);
        await t.db.guild.updateGuildName(guildId, 'traced');
      }),
    );
    expect(queries.length).to.be.at.least(2);
    expect(queries.map((s) => s.name)).to.include('UPDATE guild');
    for (const span of queries) {
      expect(span.attributes['tux_database.in_unit'], span.name).to.equal(true);
      expectChildOf(span, command);
    }
  });

  it('starts a root span for a statement run outside any span', async () => {
    await t.db.guild.countGuilds();
    const [span] = exporter.getFinishedSpans() as [ReadableSpan];
    expect(span.name).to.equal('SELECT guild');
    expect(span.parentSpanContext).to.equal(undefined);
  });

  it('uses the registered tracer provider under the name tux-database when given no tracer', async () => {
    stop?.();
    otel.trace.setGlobalTracerProvider(provider);
    stop = instrumentOpenTelemetry(t.db.service);
    await t.db.guild.countGuilds();
    expect(exporter.getFinishedSpans().map((s) => s.instrumentationScope.name)).to.deep.equal([TRACER_NAME]);
  });

  it('makes no more spans once stopped', async () => {
    stop?.();
    stop = undefined;
    await t.db.guild.countGuilds();
    expect(exporter.getFinishedSpans()).to.have.length(0);
  });

  it('says which package to install when @opentelemetry/api is missing', () => {
    const missing = (): never => {
      throw Object.assign(new Error("Cannot find module '@opentelemetry/api'"), { code: 'MODULE_NOT_FOUND' });
    };
    expect(() => loadOpenTelemetryApi(missing)).to.throw(DatabaseError, /npm install @opentelemetry\/api/);
  });
});
