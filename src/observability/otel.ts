import type { DatabaseService } from '../service/database-service';
import { checkOptions } from '../query/check-options';
import { ValidationError } from '../errors/validation-error';
import type { QueryEvent } from '../service/query-event';
import { DatabaseError } from '../errors/database-error';
import { sqlStateOf } from '../errors/convert-error';
import { collectionNameOf, operationNameOf } from './db-span-facts';

/** An attribute value as OpenTelemetry takes it. */
export type SpanAttributeValue = string | number | boolean;

/** The part of an OpenTelemetry `Span` the integration uses (so these declarations need no @opentelemetry/api). */
export interface OpenTelemetrySpan {
  /** Sets one attribute. */
  setAttribute(key: string, value: SpanAttributeValue): unknown;
  /** Sets the status (ERROR for a failed statement). */
  setStatus(status: { code: number; message?: string }): unknown;
  /** Records an exception event (only with recordErrorMessages). */
  recordException(exception: Error, time?: number): void;
  /** Ends the span at `endTime` (a `performance.now()` time). */
  end(endTime?: number): void;
}

/** The part of an OpenTelemetry `Tracer` the integration uses: `trace.getTracer(…)` from @opentelemetry/api is one. */
export interface OpenTelemetryTracer {
  /** Starts a span under `context` (the active one), at `options.startTime` (a `performance.now()` time). */
  startSpan(name: string, options?: { kind?: number; startTime?: number; attributes?: Record<string, SpanAttributeValue> }, context?: unknown): OpenTelemetrySpan;
}

/**
 * The part of @opentelemetry/api the integration uses, declared here so that loading this package, and compiling
 * against its declarations, never needs @opentelemetry/api (it is read on first use only).
 */
export interface OpenTelemetryApi {
  /** Where the default tracer comes from (the registered provider). */
  readonly trace: { getTracer(name: string): OpenTelemetryTracer };
  /** The active context, whose span becomes each statement's parent. */
  readonly context: { active(): unknown };
  /** Span kinds: statements are CLIENT spans. */
  readonly SpanKind: { readonly CLIENT: number };
  /** Span status codes: ERROR for a failed statement. */
  readonly SpanStatusCode: { readonly ERROR: number };
}

/** instrumentOpenTelemetry's options. */
export interface OpenTelemetryOptions {
  /** The tracer spans are made with; default `trace.getTracer('tux-database')` of the registered provider. */
  readonly tracer?: OpenTelemetryTracer;
  /**
   * Record a failed statement's error message and stack on its span (`recordException`) and as the status message.
   * Off by default: a message can quote values (a unique violation names the duplicate key), which may be user content.
   * The error's class and SQLSTATE are always recorded.
   */
  readonly recordErrorMessages?: boolean;
}

/** The instrumentation scope spans are reported under. */
export const TRACER_NAME = 'tux-database';

/**
 * Reports every statement the service runs as an OpenTelemetry span (kind CLIENT), following the database semantic
 * conventions: named `{db.operation.name} {db.collection.name}` (the database name when the statement spans tables),
 * with `db.system.name` "postgresql", `db.query.text` (parameters are never recorded), `db.operation.name`,
 * `db.collection.name` from what the statement's builder declared it touches, `db.namespace`, `server.address`,
 * `server.port`, `db.response.returned_rows` for a SELECT, and on failure `error.type` (the SQLSTATE, else the error
 * class), `db.response.status_code` and status ERROR. Library-specific: `tux_database.in_unit`,
 * `tux_database.row_count` and `tux_database.statement_name`. Each span is a child of the span active where the
 * statement was called (a bot command's span holds its queries), given a context manager such as the Node SDK's. Spans
 * are made once a statement settles, with its real start and end time. Returns the function that stops it.
 * @throws DatabaseError when @opentelemetry/api (an optional peer dependency) is not installed.
 *
 * ```ts
 * import { trace } from '@opentelemetry/api';
 * const db = await createDatabase();
 * const stop = instrumentOpenTelemetry(db.service, { tracer: trace.getTracer('my-bot') });
 * await trace.getTracer('my-bot').startActiveSpan('command ban', async (span) => {
 *   await db.case.createCase({ caseType: CaseType.BAN, caseUserId: user, caseModeratorId: mod, guildId: guild }); // a child span "INSERT cases"
 *   span.end();
 * });
 * stop();
 * ```
 */
export function instrumentOpenTelemetry(service: DatabaseService, options: OpenTelemetryOptions = {}): () => void {
  // JavaScript callers can pass anything: a wrong shape is a ValidationError, never a TypeError from deep inside.
  if (typeof service !== 'object' || service === null || typeof (service as { onQuery?: unknown }).onQuery !== 'function') {
    throw ValidationError.forField('instrumentOpenTelemetry', 'service', 'must be the DatabaseService (db.service)');
  }
  checkOptions('instrumentOpenTelemetry', options, ['tracer', 'recordErrorMessages'], 'instrumentOpenTelemetry');
  if (options.tracer !== undefined && (typeof options.tracer !== 'object' || options.tracer === null || typeof options.tracer.startSpan !== 'function')) {
    throw ValidationError.forField('instrumentOpenTelemetry', 'tracer', 'must be an OpenTelemetry Tracer (trace.getTracer(name))');
  }
  if (options.recordErrorMessages !== undefined && typeof options.recordErrorMessages !== 'boolean') {
    throw ValidationError.forField('instrumentOpenTelemetry', 'recordErrorMessages', 'must be true or false');
  }
  const api = loadOpenTelemetryApi();
  const tracer: OpenTelemetryTracer = options.tracer ?? api.trace.getTracer(TRACER_NAME);
  const recordMessages = options.recordErrorMessages === true;
  return service.onQuery((event) => {
    // performance.now() times: the SDK maps them to wall-clock time the way it maps its own spans' times.
    const start = event.startedAt;
    const span = tracer.startSpan(spanNameOf(event), { kind: api.SpanKind.CLIENT, startTime: start, attributes: spanAttributesOf(event) }, api.context.active());
    const error = event.error;
    if (error !== undefined) {
      const state = sqlStateOf(error) ?? sqlStateOf(error.cause);
      const sqlState = state !== undefined && /^[0-9A-Z]{5}$/.test(state) ? state : undefined;
      span.setAttribute('error.type', sqlState ?? error.name);
      if (sqlState !== undefined) span.setAttribute('db.response.status_code', sqlState);
      if (recordMessages) span.recordException(error, start + event.durationMs);
      span.setStatus({ code: api.SpanStatusCode.ERROR, message: recordMessages ? error.message : `${error.name}${sqlState ? ` (${sqlState})` : ''}` });
    }
    span.end(start + event.durationMs);
  });
}

/**
 * The span name the database conventions give a statement: `{operation} {table}`, the database name standing in for
 * a table when the statement concerns several or declared none, the operation alone without either, and
 * `postgresql` when the text starts with no operation.
 *
 * ```ts
 * spanNameOf(event); // 'SELECT cases'
 * ```
 */
export function spanNameOf(event: QueryEvent): string {
  const operation = operationNameOf(event.sql);
  if (operation === undefined) return 'postgresql';
  const target = collectionNameOf(event.touches) ?? (event.server?.database || undefined);
  return target === undefined ? operation : `${operation} ${target}`;
}

/**
 * The attributes known when a statement's span starts (see instrumentOpenTelemetry); the error ones are added after.
 *
 * ```ts
 * spanAttributesOf(event)['db.query.text']; // 'SELECT … FROM "cases" WHERE "case_id" = $1'
 * ```
 */
export function spanAttributesOf(event: QueryEvent): Record<string, SpanAttributeValue> {
  const attributes: Record<string, SpanAttributeValue> = {
    'db.system.name': 'postgresql',
    // The name before semantic conventions 1.26; some backends still read only this one.
    'db.system': 'postgresql',
    'db.query.text': event.sql,
    'tux_database.in_unit': event.inUnit,
  };
  const operation = operationNameOf(event.sql);
  if (operation !== undefined) attributes['db.operation.name'] = operation;
  const collection = collectionNameOf(event.touches);
  if (collection !== undefined) attributes['db.collection.name'] = collection;
  if (event.server !== undefined) {
    if (event.server.database !== '') attributes['db.namespace'] = event.server.database;
    if (event.server.host !== '') attributes['server.address'] = event.server.host;
    attributes['server.port'] = event.server.port;
  }
  if (event.rowCount !== null) {
    attributes['tux_database.row_count'] = event.rowCount;
    // pg's rowCount is rows returned for a SELECT but rows affected for a write, which the convention does not count.
    if (operation === 'SELECT') attributes['db.response.returned_rows'] = event.rowCount;
  }
  if (event.name !== undefined) attributes['tux_database.statement_name'] = event.name;
  return attributes;
}

/**
 * @internal Loads @opentelemetry/api on first use; `load` is replaceable so a test can play a missing package.
 * @throws DatabaseError naming the package to install when it cannot be loaded.
 */
export function loadOpenTelemetryApi(load: () => unknown = () => require('@opentelemetry/api')): OpenTelemetryApi {
  try {
    return load() as OpenTelemetryApi;
  } catch (e) {
    if ((e as { code?: unknown } | null)?.code !== 'MODULE_NOT_FOUND') throw e;
    throw new DatabaseError(
      'instrumentOpenTelemetry needs @opentelemetry/api, an optional peer dependency of tux-database that is not installed. Run `npm install @opentelemetry/api` (and an OpenTelemetry SDK to export the spans).',
      { cause: e },
    );
  }
}
