import { expect } from 'chai';
import sinon from 'sinon';
import { UniqueViolationError } from '../../src/errors/constraint-errors';
import { ValidationError } from '../../src/errors/validation-error';
import type { QueryEvent } from '../../src/service/query-event';
import { statementName } from '../../src/service/statement-names';
import { skipBehindPooler } from '../support/behind-pooler';
import { useTestDatabase } from '../support/test-database';

describe('DatabaseService.onQuery', () => {
  // slowQueryMs 0: the only reason left to read the clock is a listener, which the zero-cost test relies on.
  const t = useTestDatabase({ deleteGuilds: 'afterEach', slowQueryMs: 0 });
  let sandbox: sinon.SinonSandbox;
  let stops: Array<() => void>;

  beforeEach(() => {
    sandbox = sinon.createSandbox();
    stops = [];
  });
  afterEach(() => {
    for (const stop of stops) stop();
    sandbox.restore();
  });

  function collect(): QueryEvent[] {
    const events: QueryEvent[] = [];
    stops.push(t.db.service.onQuery((event) => events.push(event)));
    return events;
  }

  function expectedServer(): { host: string; port: number; database: string } {
    const url = new URL(t.db.service.options.url ?? '');
    return { host: url.hostname, port: Number(url.port || 5432), database: url.pathname.slice(1) };
  }

  it('reports a read once it settled: text, duration, rows, server and what it touches', async () => {
    const guildId = t.newGuild();
    await t.db.guild.getOrCreateGuild(guildId);
    const events = collect();
    const found = await t.db.guild.getGuildById(guildId);
    expect(found?.guildId).to.equal(guildId);
    expect(events).to.have.length(1);
    const [event] = events as [QueryEvent];
    expect(event.sql).to.match(/^SELECT .* FROM "guild"/);
    expect(event.rowCount).to.equal(1);
    expect(event.error).to.equal(undefined);
    expect(event.inUnit).to.equal(false);
    expect(event.durationMs).to.be.a('number').and.at.least(0);
    expect(event.startedAt).to.be.a('number').and.at.most(performance.now() - event.durationMs);
    expect(event.server).to.include(expectedServer());
    expect(event.server?.label).to.equal(`${expectedServer().host}:${expectedServer().port}/${expectedServer().database}`);
    expect(event.touches).to.deep.include({ reads: ['guild'], writes: [], locks: false });
  });

  it('names a prepared statement’s event with the statement’s name', async function () {
    skipBehindPooler(
      this,
      'PgBouncer before 1.21 keeps no prepared statements: whether the service still names its statements depends on which server connections the bouncer handed it (the fallback turns naming off for good)',
    );
    const guildId = t.newGuild();
    await t.db.guild.getOrCreateGuild(guildId);
    const events = collect();
    await t.db.guild.getGuildById(guildId);
    const [event] = events as [QueryEvent];
    expect(events).to.have.length(1);
    expect(event.name).to.equal(t.db.service.options.preparedStatements ? statementName(event.sql) : undefined);
  });

  it('reports a write with its row count and the tables it writes', async () => {
    const guildId = t.newGuild();
    const events = collect();
    await t.db.guild.getOrCreateGuild(guildId, 'events');
    await t.db.guild.updateGuildName(guildId, 'renamed');
    const update = events.find((e) => e.sql.startsWith('UPDATE'));
    expect(update, events.map((e) => e.sql).join('\n')).to.not.equal(undefined);
    expect(update?.rowCount).to.equal(1);
    expect(update?.touches?.writes).to.deep.equal(['guild']);
    expect(update?.error).to.equal(undefined);
  });

  it('reports a failed statement with the very error the caller gets, and no row count', async () => {
    const guildId = t.newGuild();
    await t.db.guild.getOrCreateGuild(guildId);
    const events = collect();
    const failure = await t.db.service
      .query('INSERT INTO "guild" ("guild_id") VALUES ($1)', [guildId])
      .then(() => undefined, (e: unknown) => e);
    expect(failure).to.be.instanceOf(UniqueViolationError);
    expect(events).to.have.length(1);
    expect(events[0]?.error).to.equal(failure);
    expect(events[0]?.rowCount).to.equal(null);
    // A raw caller's statement declares nothing.
    expect(events[0]?.touches).to.equal(undefined);
    expect(events[0]?.name).to.equal(undefined);
  });

  it('marks every statement of a unit of work as in a unit, and statements outside as not', async () => {
    const guildId = t.newGuild();
    const events = collect();
    await t.db.transaction(async () => {
      await t.db.guild.getOrCreateGuild(guildId);
      await t.db.guild.updateGuildName(guildId, 'in a unit');
    });
    const inside = events.length;
    expect(inside).to.be.at.least(2);
    await t.db.guild.getGuildById(guildId);
    expect(events.map((e) => e.inUnit)).to.deep.equal([...Array<boolean>(inside).fill(true), false]);
  });

  it('still calls addQueryListener with the text before the statement is sent, and sends one event per statement', async () => {
    const guildId = t.newGuild();
    const order: string[] = [];
    stops.push(t.db.service.addQueryListener((text) => order.push(`before ${text.slice(0, 6)}`)));
    stops.push(t.db.service.onQuery((e) => order.push(`after ${e.sql.slice(0, 6)}`)));
    await t.db.guild.getGuildById(guildId);
    expect(order).to.deep.equal(['before SELECT', 'after SELECT']);
  });

  it('stops reporting once the returned function is called', async () => {
    const events = collect();
    const stop = stops.pop() as () => void;
    await t.db.guild.countGuilds();
    stop();
    await t.db.guild.countGuilds();
    expect(events).to.have.length(1);
  });

  it('keeps the statement’s outcome when a listener throws, and warns', async () => {
    const warn = sandbox.stub(process, 'emitWarning');
    stops.push(t.db.service.onQuery(() => {
      throw new Error('listener bug');
    }));
    const events = collect();
    expect(await t.db.guild.countGuilds()).to.be.a('number');
    expect(events).to.have.length(1);
    expect(warn.getCalls().some((c) => String(c.args[0]).includes('listener bug') && (c.args as unknown[])[1] === 'TuxDatabaseQueryListener')).to.equal(true);
  });

  it('reads no clock for a statement when no listener is attached', async () => {
    const now = sandbox.spy(performance, 'now');
    await t.db.guild.countGuilds();
    const without = now.callCount;
    collect();
    await t.db.guild.countGuilds();
    expect(without).to.equal(0);
    expect(now.callCount).to.be.at.least(2);
  });

  it('refuses a listener that is not a function', () => {
    const onQuery = t.db.service.onQuery.bind(t.db.service) as (listener: unknown) => unknown;
    expect(() => onQuery(null)).to.throw(ValidationError, /listener/);
  });
});
