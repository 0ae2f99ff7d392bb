import pg, { type ClientBase, type FieldDef, type QueryConfig, type QueryResult, type QueryResultRow } from 'pg';
import { sqlStateOf } from '../errors/convert-error';
import { bindParameters } from './bind-parameters';

/** A statement as the service sends it: pg's QueryConfig, optionally named, optionally read as arrays. */
export type StatementConfig = QueryConfig & { readonly rowMode?: 'array' };

/** pg's callback for one query: the error (pg passes null, not undefined, when there is none), else the result. */
export type StatementCallback<R extends QueryResultRow> = (error: Error | null | undefined, result: QueryResult<R>) => void;

// pg 8.23's internals this file reads and sets (pg is pinned exactly in package.json; test/service/statement-query.spec.ts
// holds this class to pg's own Query on a real server, so an upgrade that moves them fails there).
interface PgConnection {
  readonly parsedStatements: Record<string, string | undefined>;
  bind(config: { portal: string; statement: string | undefined; values: unknown; binary: boolean | undefined; valueMapper: unknown }): void;
  close(config: { type: 'S'; name: string }): void;
  sync(): void;
}
interface PgResult {
  fields: FieldDef[];
  _parsers: unknown[] | undefined;
  _prebuiltEmptyResultObject: object | null;
}
interface PgQuery {
  name: string | undefined;
  callback: unknown;
  text: string;
  values: unknown[] | undefined;
  binary: boolean | undefined;
  _rowMode: string | undefined;
  _result: PgResult;
  _results: PgResult;
  _accumulateRows: boolean;
  prepare(connection: PgConnection): void;
  handleRowDescription(message: { fields: FieldDef[] }): void;
  handleError(error: unknown, connection: PgConnection): void;
  _getRows(connection: PgConnection, rows: number | undefined): void;
}
const PgQueryBase = pg.Query as unknown as new (text: string, values: ReadonlyArray<unknown>, callback: (error: Error | undefined, result: unknown) => void) => PgQuery;
const PgResultClass = pg.Result as unknown as new (rowMode: string, types: undefined) => PgResult;
const prepareValue = (pg as unknown as { utils: { prepareValue: unknown } }).utils.prepareValue;

/** What pg's Result keeps of one RowDescription: the fields, their parsers, and the empty keyed row it copies. */
interface RowDescription {
  readonly fields: FieldDef[];
  readonly parsers: unknown[] | undefined;
  readonly emptyRow: object | null;
}

/**
 * Per connection, the row description of each named statement it has prepared. A prepared statement's result type
 * cannot change while it exists (PostgreSQL refuses to run it then: "cached plan must not change result type"), so
 * the description read when it was first described holds for as long as the connection keeps it.
 */
const descriptions = new WeakMap<PgConnection, Map<string, RowDescription>>();

/**
 * Per connection, the named statements whose result type changed under them (isChangedResultType): the server
 * refuses them until they are prepared again, so the next execution closes and re-prepares the name first.
 */
const changed = new WeakMap<PgConnection, Set<string>>();

/**
 * True when `e` (or its cause, as the library wraps it) says a prepared statement's result type changed since it was
 * prepared: a migration altered a column it returns. PostgreSQL refuses it when it revalidates the plan, before
 * anything runs (0A000 from RevalidateCachedQuery, "cached plan must not change result type"), so running the
 * statement again, prepared afresh, is safe for a write too.
 * @example
 * isChangedResultType({ code: '0A000', routine: 'RevalidateCachedQuery' }); // true
 */
export function isChangedResultType(e: unknown): boolean {
  for (let error = e, depth = 0; error !== undefined && error !== null && depth < 3; depth++) {
    if (sqlStateOf(error) === '0A000' && (error as { routine?: unknown }).routine === 'RevalidateCachedQuery') return true;
    error = error instanceof Error ? error.cause : undefined;
  }
  return false;
}

/**
 * pg's Query, for the library's own statements, with three differences:
 * - a named statement that this connection has already prepared and described is sent as Bind, Execute, Sync: pg
 *   sends a Describe with every execution, and parses the RowDescription the server sends back each time (about 6 µs
 *   and 450 bytes for a case row). Its rows are read with the description kept from the first execution. (A
 *   statement that returns no rows gets NoData, not a RowDescription, and so keeps its Describe.)
 * - it is built from the config's text and values, so pg does not copy the config object with all its property
 *   descriptors (2–3 µs per statement; pg copies it so as not to modify a caller's object, which this never keeps).
 * - a named statement the server refused because its result type changed (isChangedResultType) is closed and
 *   prepared afresh at its next execution on that connection, where pg would bind the refused statement again,
 *   and fail, for as long as the connection lives.
 * Values go through bindParameters (exact Dates, one-pass array literals), as the library's Client does for a config.
 *
 * ```ts
 * client.query(new StatementQuery({ name: 'tux_…', text: 'SELECT … WHERE "case_id" = $1', values: ['42'] }, (error, result) => …));
 * ```
 */
export class StatementQuery<R extends QueryResultRow = QueryResultRow> extends PgQueryBase {
  // Where this query sent a Describe, so its RowDescription is kept for that connection.
  private describedOn: PgConnection | undefined;

  constructor(config: StatementConfig, callback: StatementCallback<R>) {
    super(config.text, bindParameters(config.values ?? []), callback as (error: Error | undefined, result: unknown) => void);
    if (config.name !== undefined) this.name = config.name;
    if (config.rowMode === 'array') {
      this._rowMode = 'array';
      this._result = this._results = new PgResultClass('array', undefined);
    }
  }

  /** pg's prepare (Parse when needed, Bind, Describe, Execute, Sync), without the Describe when this connection has one. */
  override prepare(connection: PgConnection): void {
    const name = this.name;
    if (name !== undefined && changed.get(connection)?.delete(name) === true) {
      // Closed and parsed again in this same message run; the server's CloseComplete needs no handling.
      connection.close({ type: 'S', name });
      delete connection.parsedStatements[name];
    }
    const known = name === undefined || connection.parsedStatements[name] !== this.text ? undefined : descriptions.get(connection)?.get(name);
    if (known === undefined) {
      this.describedOn = name === undefined ? undefined : connection;
      super.prepare(connection);
      return;
    }
    try {
      connection.bind({ portal: '', statement: name, values: this.values, binary: this.binary, valueMapper: prepareValue });
    } catch (e) {
      // A value pg cannot serialize: nothing of the Bind was sent, and the statement stays prepared (pg would close
      // it here, though its connection goes on counting it as prepared). The Sync's ReadyForQuery ends the query;
      // the callback, told of the error now, is not called again then.
      connection.sync();
      this.handleError(e, connection);
      this.callback = undefined;
      return;
    }
    const result = this._result;
    result.fields = known.fields;
    result._parsers = known.parsers;
    result._prebuiltEmptyResultObject = known.emptyRow;
    // What pg's handleRowDescription sets: rows are collected for the callback, which this class always has.
    this._accumulateRows = true;
    this._getRows(connection, undefined);
  }

  override handleError(error: unknown, connection: PgConnection): void {
    const name = this.name;
    if (name !== undefined && isChangedResultType(error)) {
      descriptions.get(connection)?.delete(name);
      let names = changed.get(connection);
      if (names === undefined) changed.set(connection, (names = new Set()));
      names.add(name);
    }
    super.handleError(error, connection);
  }

  override handleRowDescription(message: { fields: FieldDef[] }): void {
    super.handleRowDescription(message);
    const connection = this.describedOn;
    if (connection === undefined || this.name === undefined) return;
    let byName = descriptions.get(connection);
    if (byName === undefined) descriptions.set(connection, (byName = new Map()));
    const result = this._result;
    // Shared by every later result of the statement on this connection, so no caller may change it.
    byName.set(this.name, { fields: Object.freeze(result.fields) as FieldDef[], parsers: result._parsers, emptyRow: result._prebuiltEmptyResultObject });
  }
}

/**
 * Sends one statement on `client` as a StatementQuery and calls `callback` once with its outcome, as
 * `client.query(config, callback)` would.
 *
 * ```ts
 * sendStatement(client, { text: 'SELECT 1 AS one', values: [] }, (error, result) => console.log(error ?? result.rows));
 * ```
 */
export function sendStatement<R extends QueryResultRow>(client: ClientBase, config: StatementConfig, callback: StatementCallback<R>): void {
  // pg's own query(), past the library Client's: ExactDateClient binds values (this query did) and SerialClient
  // queues promise-style calls (this is a query object with its callback), so both would only pass it through. Looked
  // up on each call, so a spy on pg's Client.prototype.query sees every statement.
  (pg.Client.prototype.query as (this: ClientBase, query: StatementQuery<R>) => unknown).call(client, new StatementQuery<R>(config, callback));
}
