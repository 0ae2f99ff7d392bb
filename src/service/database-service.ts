import { AsyncLocalStorage } from 'node:async_hooks';
import { inspect, type InspectOptions } from 'node:util';
import type { DataSource, EntityMetadata } from 'typeorm';
import type { Pool, PoolClient, QueryResult, QueryResultRow } from 'pg';
import { MAX_TIMEOUT_MS, redactedOptions, resolveOptions, type CacheFamily, type DatabaseOptions, type ResolvedOptions } from '../config';
import { convertError } from '../errors/convert-error';
import { ForeignKeyViolationError } from '../errors/constraint-errors';
import { DatabaseConnectionError } from '../errors/connection-error';
import { DatabaseClosedError, SerializationFailureError } from '../errors/transaction-errors';
import { ValidationError } from '../errors/validation-error';
import { isLostPreparedStatement, lostStatementCode, StatementNames } from './statement-names';
import { checkQueryArguments } from './query-arguments';
import type { Statement } from '../query/sql';
import { isChangedResultType, type StatementConfig } from './statement-query';
import { withTouches, type StatementOptions, type StatementRunner } from './statement-runner';
import { TransactionContext } from './transaction-context';
import { UnitConnection } from './unit-connection';
import { isGuildForeignKey, lostGuildRace } from './guild-race';
import { runOnPool } from './pool-statement';
import { openDataSource, type OpenedDataSource } from './open-data-source';
import { readHealth, withReplicas, type HealthReport } from './health';
import { queryServerOf, type QueryEvent, type QueryEventListener } from './query-event';
import type { DatabaseError } from '../errors/database-error';
import type { Touches } from '../query/touches';
import { thrownText } from '../errors/thrown-text';

/** PostgreSQL's wire protocol counts a statement's parameters in 16 bits. */
export const MAX_STATEMENT_PARAMETERS = 65_535;

/**
 * Called with the SQL text of every statement the repositories send, before it is sent (statement budgets); once per
 * statement, also when a lost prepared statement makes it run again unnamed (a unit of work that runs again is sent
 * again, and heard again). Not for a read answered from the cache. For duration, rows, errors and the server, listen
 * with onQuery instead.
 */
export type QueryListener = (text: string) => void;

/**
 * What a declared statement concerns, as the cache scopes it: the guild's id, or `<guild>:<user>` when it also
 * declared one member; undefined when it declared no guild.
 */
function targetOf(touches: Touches | undefined, values: ReadonlyArray<unknown>): string | undefined {
  const guildAt = touches?.guildAt;
  const guild = guildAt === undefined ? undefined : values[guildAt];
  if (guild === undefined || guild === null) return undefined;
  const memberAt = touches?.memberAt;
  const member = memberAt === undefined ? undefined : values[memberAt];
  return member === undefined || member === null ? String(guild) : `${String(guild)}:${String(member)}`;
}

/** The target of a read the cache may answer: declared, writing nothing, locking nothing, of one guild. */
function cacheableTarget(touches: Touches | undefined, values: ReadonlyArray<unknown>): string | undefined {
  return touches === undefined || touches.writes.length > 0 || touches.locks ? undefined : targetOf(touches, values);
}

/** How often an unreachable server is probed, so isConnected() turns true again without a caller's statement. */
const PROBE_INTERVAL_MS = 250;

/**
 * Owns the connection: the TypeORM DataSource, its pg pool, the embedded server when no URL is given, and
 * the ambient transaction (AsyncLocalStorage) every repository call joins.
 *
 * ```ts
 * const service = new DatabaseService({ url: process.env.DATABASE_URL });
 * await service.connect();
 * console.log(await service.health());
 * await service.disconnect();
 * ```
 */
export class DatabaseService implements StatementRunner {
  readonly options: ResolvedOptions;
  /** @internal The unit of work the current async call chain runs in, if any (UnitOfWork's, nobody else's). */
  readonly transactions = new AsyncLocalStorage<TransactionContext>();
  private opened: OpenedDataSource | undefined;
  private opening: Promise<OpenedDataSource> | undefined;
  private closing = false;
  private cutOffUnits = false;
  private inFlightUnits = 0;
  private readonly unitsDrained: Array<() => void> = [];
  // Single statements and health checks running outside units: disconnect() waits for them before it ends the pool,
  // which drops a checkout still waiting for a connection without settling its promise.
  private statementsInFlight = 0;
  private readonly statementsDrained: Array<() => void> = [];
  private readonly unitConnections = new Set<UnitConnection>();
  private readonly statementNames = new StatementNames();
  // Both replaced, never mutated, on add and remove: a statement iterates the arrays it started with, so a listener
  // that removes itself (or another) while being called makes no other listener miss that statement.
  private listeners: ReadonlyArray<QueryListener> = [];
  private queryObservers: ReadonlyArray<QueryEventListener> = [];
  /** Set when a statement found the server unreachable; cleared by the next statement or probe that reaches it. */
  private unreachable = false;
  private probing: NodeJS.Timeout | undefined;

  constructor(options: DatabaseOptions = {}) {
    this.options = resolveOptions(options);
  }

  /**
   * Connects (starting the embedded server when no URL is configured) and, unless `migrate: false`,
   * applies pending migrations. Calling it again while connected does nothing.
   * @throws DatabaseConnectionError when the server cannot be reached; ValidationError for a malformed URL.
   *
   * ```ts
   * const service = new DatabaseService({ url: process.env['DATABASE_URL'] });
   * await service.connect(); // connects, then applies pending migrations (migrate defaults to true)
   * await service.connect(); // connected already: does nothing
   * await new DatabaseService({ url: 'postgres://127.0.0.1:1/none' }).connect().catch((e) => e.name); // 'DatabaseConnectionError'
   * ```
   */
  async connect(url?: string): Promise<void> {
    if (this.opened) return;
    this.closing = false;
    this.cutOffUnits = false;
    this.opening ??= openDataSource({ ...this.options, url: url ?? this.options.url });
    try {
      this.opened = await this.opening;
    } finally {
      this.opening = undefined;
    }
  }

  /**
   * Waits up to `timeoutMs` for running units of work, then closes the pool and lets go of the embedded server (the last user of it, in any process, stops it).
   * New work is refused with DatabaseClosedError from the moment this is called; running units go on as before
   * (their retries too). Units still running when the timeout passes have their connections closed: they fail with
   * DatabaseClosedError and the server rolls them back; one whose COMMIT was in flight says its outcome is unknown.
   * Single statements and health() calls in flight (outside units), also those still waiting for a connection, are
   * waited for; statementTimeoutMs and acquireTimeoutMs bound them.
   * @throws ValidationError, closing nothing, when `timeoutMs` is not a whole number of ms from 0 to MAX_TIMEOUT_MS.
   *
   * ```ts
   * const service = new DatabaseService({ url: process.env['DATABASE_URL'] });
   * await service.connect();
   * await service.disconnect(5_000); // waits up to 5 s for running units of work, then closes the pool
   * await service.query('SELECT 1', []).catch((e) => e.name); // 'DatabaseClosedError'
   * ```
   */
  async disconnect(timeoutMs = 10_000): Promise<void> {
    // Checked before anything closes: a NaN, negative or too large timeout made the timer fire at once, cutting
    // off running units the caller meant to wait for.
    if (typeof timeoutMs !== 'number' || !Number.isInteger(timeoutMs) || timeoutMs < 0 || timeoutMs > MAX_TIMEOUT_MS) {
      throw ValidationError.forField('DatabaseService', 'timeoutMs', `must be a whole number of ms from 0 to ${MAX_TIMEOUT_MS} (got ${typeof timeoutMs === 'number' ? String(timeoutMs) : typeof timeoutMs})`);
    }
    this.closing = true;
    if (this.inFlightUnits > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.cutOffUnits = true;
          // Their transactions die with their connections: the server rolls them back.
          for (const connection of this.unitConnections) connection.release(new DatabaseClosedError('closed by disconnect() after its timeout'));
          resolve();
        }, timeoutMs);
        this.unitsDrained.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    if (this.statementsInFlight > 0) await new Promise<void>((resolve) => this.statementsDrained.push(resolve));
    const opened = this.opened ?? (this.opening ? await this.opening.catch(() => undefined) : undefined);
    this.opened = undefined;
    this.reachable();
    if (opened) await opened.close();
  }

  /**
   * What JSON.stringify shows: the options with every URL's password masked (the database's, the replicas', the
   * cache's Redis and LISTEN URLs), and whether it is connected.
   *
   * ```ts
   * db.service.toJSON().connected; // true
   * db.service.toJSON().options.url; // DATABASE_URL, its password (if any) shown as ***
   * ```
   */
  toJSON(): { options: ResolvedOptions; connected: boolean } {
    return { options: redactedOptions(this.options), connected: this.isConnected() };
  }

  /**
   * What console.log / util.inspect show (of the service and of anything holding it): no password.
   *
   * ```ts
   * console.log(db.service); // DatabaseService { options: { url: '…', … }, connected: true }, the URL's password shown as ***
   * inspect({ service: new DatabaseService({ url: 'postgres://tux:hunter2@db/tux' }) }).includes('hunter2'); // false
   * ```
   */
  [inspect.custom](depth: number, options: InspectOptions): string {
    return `DatabaseService ${inspect(this.toJSON(), { ...options, depth: Math.max(0, depth) })}`;
  }

  /** @internal True once disconnect() stopped waiting for running units (its timeout passed) and closed their connections. */
  closedUnderRunningUnits(): boolean {
    return this.cutOffUnits;
  }

  /**
   * The server's major version (15, 18, …), as TypeORM read it on connecting.
   * @throws DatabaseConnectionError before connect(); DatabaseClosedError once disconnect() closed the pool (while
   * it waits for running units of work, they still read it: addXp does on every call).
   *
   * ```ts
   * db.service.serverMajorVersion(); // 15 on PostgreSQL 15.x
   * ```
   */
  serverMajorVersion(): number {
    return Number.parseInt(String((this.stillOpen().dataSource.driver as { version?: unknown }).version), 10) || 0;
  }

  /**
   * Whether a read marked with a cache family, run now, is answered by the cache or fills it: the cache is on and
   * active (LISTEN in force, store trusted), and no unit of work is ambient.
   *
   * ```ts
   * db.service.cacheServes(); // true: the memory cache is on by default
   * await db.transaction(async () => db.service.cacheServes()); // false: a unit of work reads past the cache
   * ```
   */
  cacheServes(): boolean {
    return this.opened?.cache?.isActive() === true && this.transactions.getStore() === undefined;
  }

  /**
   * See StatementRunner.afterOwnWrite.
   *
   * ```ts
   * const touches = { reads: [], writes: ['guild_config'], locks: false, guildAt: 0 };
   * const write = { text: 'UPDATE "guild_config" SET "prefix" = $2 WHERE "guild_id" = $1', values: [guildId, '?'], touches };
   * await db.service.run(write, { ownInvalidation: true }); // with ownInvalidation, run() leaves the cache to the caller
   * await db.service.afterOwnWrite(write, undefined); // which drops the guild's cached guild_config reads here
   * ```
   */
  async afterOwnWrite(write: Statement, xid: string | undefined, fill?: { readonly statement: Statement; readonly family: CacheFamily; readonly rows: QueryResultRow[] }): Promise<void> {
    const cache = this.opened?.cache;
    // Inside a unit the write was never taken over (ownInvalidation is ignored there): COMMIT drops it.
    if (cache === undefined || this.transactions.getStore() !== undefined) return;
    const read = fill?.statement;
    const value = fill && { command: 'SELECT', rowCount: fill.rows.length, rows: fill.rows };
    const own = read?.touches && value && fill ? { family: fill.family, text: read.text, values: read.values, tables: read.touches.reads, value } : undefined;
    await cache.afterOwnWrite(write.touches?.writes ?? [], targetOf(write.touches, write.values), xid, own);
  }

  /**
   * True while connected, not closing, and the server is reachable as far as the library knows: false from the
   * moment the embedded server's process is found dead, or a statement failed to reach the server, until the
   * server answers again (a probe checks every 250 ms, so this turns true again on its own).
   *
   * ```ts
   * db.service.isConnected(); // true
   * ```
   */
  isConnected(): boolean {
    const opened = this.opened;
    return opened !== undefined && !this.closing && opened.dataSource.isInitialized && opened.serverRunning() && !this.unreachable;
  }

  /**
   * Status, round-trip latency, server version and role, pool usage, pending migrations and drift, and each replica's
   * role, lag and status (a replica that is down or lagging makes the status `degraded`). Never throws.
   *
   * ```ts
   * const report = await db.service.health(); // never throws: a failure is a status
   * report.status; // 'healthy' ('degraded' while migrations are pending, 'disconnected' when unreachable)
   * ```
   */
  async health(): Promise<HealthReport> {
    const opened = this.opened;
    if (opened && !opened.serverRunning()) {
      return readHealth(undefined, opened.pool, 'The embedded PostgreSQL server is not running; the library is restarting it.');
    }
    this.statementsInFlight++;
    let report: HealthReport;
    try {
      report = await readHealth(opened?.dataSource, opened?.pool);
    } finally {
      this.statementDone();
    }
    // What health() found is what isConnected() says next, either way.
    if (report.status !== 'disconnected') this.reachable();
    else if (opened !== undefined && !this.closing) this.markUnreachable();
    const withCache = opened?.cache ? { ...report, cache: await opened.cache.health() } : report;
    return withReplicas(withCache, opened?.replicas?.set.health() ?? []);
  }

  /**
   * The TypeORM DataSource.
   * @throws DatabaseConnectionError before connect(); DatabaseClosedError once disconnect() began.
   *
   * ```ts
   * const cases = db.service.dataSource.getRepository(Case); // TypeORM's own repository: no cache, no error conversion, no listeners
   * await cases.count({ where: { guildId } }); // 0
   * ```
   */
  get dataSource(): DataSource {
    return this.connected().dataSource;
  }

  /**
   * Runs a built statement (see query), with what its builder declared it touches; the seam repositories use (StatementRunner).
   *
   * ```ts
   * const touches = { reads: ['cases'], writes: [], locks: false, guildAt: 0 };
   * const { rows } = await db.service.run<{ n: string }>({ text: 'SELECT count(*) AS n FROM "cases" WHERE "guild_id" = $1', values: [guildId], touches });
   * rows[0]?.n; // '0': a count is a bigint, read as a string
   * ```
   */
  run<R extends QueryResultRow = QueryResultRow>(statement: Statement, options?: StatementOptions): Promise<QueryResult<R>> {
    return this.send<R>(statement.text, statement.values, statement.touches === undefined ? options : withTouches(options, statement.touches));
  }

  /**
   * Runs `fn` in a read-your-writes context of its own (with `replicas`): its reads on replicas wait only for the
   * writes made inside it, not for the other contexts' writes in flight. Without it, a context and everything it
   * started share one context (safe, but a bot whose start-up code ran statements then has one context for every
   * handler). In `readYourWrites: 'process'` mode, or without replicas, it just runs `fn`.
   *
   * ```ts
   * client.on('messageCreate', (message) => db.service.withReadContext(async () => {
   *   await db.levels.addXp(message.author.id, message.guildId, 10);
   *   await db.levels.getLevel(message.author.id, message.guildId); // sees the XP just added
   * }));
   * ```
   */
  withReadContext<T>(fn: () => T): T {
    if (typeof fn !== 'function') throw ValidationError.forField('DatabaseService', 'fn', 'must be a function (the work to run in the new context)');
    const writes = this.opened?.replicas?.writes;
    return writes ? writes.scope(fn) : fn();
  }

  /**
   * TypeORM's metadata of an entity class.
   * @throws DatabaseConnectionError before connect(); DatabaseClosedError once disconnect() closed the pool (while
   * it waits for running units of work, they still read it: a repository's first call in the process does).
   *
   * ```ts
   * db.service.metadata(Case).tableName; // 'cases'
   * ```
   */
  metadata(entity: new () => object): EntityMetadata {
    return this.stillOpen().dataSource.getMetadata(entity);
  }

  /**
   * Registers a listener for every statement the repositories send; returns a function that removes it. A listener
   * that throws changes nothing for the statement: its error becomes a `TuxDatabaseQueryListener` process warning.
   * @throws ValidationError when `listener` is not a function.
   *
   * ```ts
   * const texts: string[] = [];
   * const remove = db.service.addQueryListener((text) => texts.push(text));
   * await db.case.count({ filters: { guildId } }); // texts: ['SELECT count(*) AS n FROM "cases" WHERE "guild_id" = $1']
   * remove();
   * ```
   */
  addQueryListener(listener: QueryListener): () => void {
    if (typeof listener !== 'function') throw ValidationError.forField('DatabaseService', 'listener', 'must be a function (text: string) => void');
    this.listeners = [...this.listeners, listener];
    return () => {
      const index = this.listeners.indexOf(listener);
      if (index >= 0) this.listeners = this.listeners.filter((_, i) => i !== index);
    };
  }

  /**
   * Registers a listener that gets one QueryEvent per statement once it settled: SQL text, prepared name, duration,
   * row count, the converted error, whether it ran in a unit of work, the server (no password), and what its builder
   * declared it touches. It is called synchronously in the caller's async context (so a tracer's active span is the
   * caller's); an error it throws becomes a process warning and never changes the statement's outcome. Returns the
   * function that removes it. With no listener (and slowQueryMs 0) a statement reads no clock and allocates nothing
   * for this. A statement whose prepared statement was lost behind a pooler is reported by its rerun.
   * @throws ValidationError when `listener` is not a function.
   *
   * ```ts
   * const stop = db.service.onQuery((e) => {
   *   if (e.error) console.warn(`${e.error.name} after ${e.durationMs.toFixed(1)} ms on ${e.server?.label}: ${e.sql}`);
   * });
   * await db.case.getRecentCases(guildId);
   * stop();
   * ```
   */
  onQuery(listener: QueryEventListener): () => void {
    if (typeof listener !== 'function') throw ValidationError.forField('DatabaseService', 'listener', 'must be a function (event: QueryEvent) => void');
    this.queryObservers = [...this.queryObservers, listener];
    return () => {
      this.queryObservers = this.queryObservers.filter((l) => l !== listener);
    };
  }

  /**
   * Runs one parameterized statement: inside the ambient unit of work when there is one, else on the pool (or a
   * replica, or the cache, for a declared read; see DatabaseOptions.replicas and cache). Driver errors come out
   * converted (see convertError). A read answered from the cache sends nothing: no listener call, no QueryEvent.
   * @throws ValidationError (the promise rejects, nothing is sent) when `text` is not a non-empty string; `values`
   * not an array, not one value per placeholder number ($1 … $n: a count the server would refuse as a protocol
   * violation), or holding an Invalid Date or text PostgreSQL cannot store; `options` not StatementOptions of the
   * right types (see checkQueryArguments).
   *
   * ```ts
   * const { rows } = await db.service.query<{ n: number }>('SELECT $1::int + 1 AS n', [41]); // rows: [{ n: 42 }]
   * await db.service.query('SELECT 1 / 0', []).catch((e) => e.name); // 'DataError', not pg's raw error
   * await db.service.query('SELECT $1::int + $2::int', [1]).catch((e) => e.name); // 'ValidationError': one value for two placeholders
   * ```
   */
  query<R extends QueryResultRow = QueryResultRow>(text: string, values: unknown[], options?: StatementOptions): Promise<QueryResult<R>> {
    try {
      checkQueryArguments(text, values, options);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.send<R>(text, values, options);
  }

  // query() past its argument checks: run()'s statements come from the library's builders.
  private send<R extends QueryResultRow>(text: string, values: unknown[], options: StatementOptions | undefined): Promise<QueryResult<R>> {
    const cache = options?.cache ? this.opened?.cache : undefined;
    const touches = options?.touches;
    if (cache !== undefined && options?.cache && touches !== undefined && this.transactions.getStore() === undefined) {
      const target = cacheableTarget(touches, values);
      // Filled from the primary: a replica may not have replayed the write whose invalidation the cache has seen.
      if (target !== undefined) return cache.read<R>(options.cache, text, values, touches.reads, target, () => this.execute<R>(text, values, options, true, undefined));
    }
    return this.execute<R>(text, values, options, false, undefined);
  }

  // Sends one statement: listeners, naming, routing, retries, events, and the cache invalidation of a write. A rerun
  // after a lost prepared statement (`rerun`) is the same statement: listeners heard of it already, and its event
  // and slow-query warning count from when the first attempt started (0 when that read no clock).
  private async execute<R extends QueryResultRow>(
    text: string,
    values: unknown[],
    options: StatementOptions | undefined,
    primaryOnly: boolean,
    rerun: { readonly startedAt: number } | undefined,
  ): Promise<QueryResult<R>> {
    if (values.length > MAX_STATEMENT_PARAMETERS) {
      // pg would send a Bind message the server rejects as a protocol violation (08P01), dropping the connection.
      throw ValidationError.forField(
        'statement',
        'parameters',
        `binds ${values.length} values; PostgreSQL allows at most 65,535 per statement. Match long lists with { in: [...] } (one array parameter) instead of many conditions.`,
      );
    }
    // One literal either way: pg then sees two config shapes at most.
    const config: { text: string; values: unknown[]; name?: string; rowMode?: 'array' } = options?.rowsAsArrays === true ? { text, values, rowMode: 'array' } : { text, values };
    if (options?.prepare && this.options.preparedStatements) {
      const name = this.statementNames.nameFor(text);
      if (name !== undefined) config.name = name;
    }
    if (rerun === undefined) for (const listener of this.listeners) hear(listener, text);
    const context = this.transactions.getStore();
    // With no event listener and no slow-query threshold, no clock is read and nothing is allocated for either.
    const observers = this.queryObservers;
    let settled = observers.length > 0 || this.options.slowQueryMs > 0;
    const started = settled ? (rerun !== undefined && rerun.startedAt > 0 ? rerun.startedAt : performance.now()) : 0;
    let rowCount: number | null = null;
    let failure: DatabaseError | undefined;
    // With replicas, where it ran, for the event (without, always the primary); none for a statement refused before
    // it reached a server (closing).
    let where: { pool: Pool | undefined } | undefined;
    let reached: Pool | undefined;
    try {
      let result: QueryResult<R>;
      const touches = options?.touches;
      if (context) {
        reached = this.opened?.pool;
        result = await context.statement<R>(config);
        const cache = this.opened?.cache;
        // Inside a unit, reads bypass the cache (they see the unit's own writes); what it wrote is dropped at COMMIT.
        if (cache !== undefined && (touches === undefined || touches.writes.length > 0)) context.afterCommit(() => cache.afterWrite(touches?.writes, targetOf(touches, values)));
      } else {
        const opened = this.connected();
        const { cache } = opened;
        reached = opened.pool;
        this.statementsInFlight++;
        try {
          result =
            opened.replicas && !primaryOnly
              ? await this.routed<R>(opened.pool, opened.replicas, config, options, (where = { pool: opened.pool }))
              : await runOnPool<R>(opened.pool, config, options);
          // A write, or a raw statement (an unknown write), drops what it may have changed before it returns, unless its
          // caller does that itself at once (afterOwnWrite).
          if (cache !== undefined && (touches === undefined || touches.writes.length > 0) && options?.ownInvalidation !== true) await cache.afterWrite(touches?.writes, targetOf(touches, values));
        } finally {
          this.statementDone();
        }
      }
      if (this.unreachable) this.reachable();
      rowCount = result.rowCount ?? null;
      return result;
    } catch (e) {
      if (context !== undefined && config.name !== undefined && isChangedResultType(e)) {
        // The unit's transaction is aborted; its connection prepares the statement afresh when the unit runs again.
        failure = new SerializationFailureError('A prepared statement’s result type changed (a migration altered a column it returns); the unit of work runs again with it prepared afresh.', '0A000', { cause: e });
        throw failure;
      }
      if (config.name !== undefined && isLostPreparedStatement(e)) {
        // The statement runs again (or its unit does), and that run is the one reported.
        settled = false;
        return this.afterLostPreparedStatement<R>(e, text, values, options, context !== undefined, primaryOnly, started);
      }
      const error = convertError(e);
      if (error instanceof DatabaseConnectionError) this.markUnreachable();
      failure = options?.createsGuild && error instanceof ForeignKeyViolationError && isGuildForeignKey(error.constraint) ? lostGuildRace(error) : error;
      throw failure;
    } finally {
      if (settled) this.report(observers, config, options, context !== undefined, started, rowCount, failure, where ? where.pool : reached);
    }
  }

  /**
   * @internal Used by UnitOfWork, synchronously as a unit starts: marks it as running, so disconnect() can wait for
   * it, and, with replicas, issues its write ticket (0 without), so reads after it see its commit.
   * @throws DatabaseClosedError when the database is closing.
   */
  beginUnit(): number {
    this.assertOpen();
    this.inFlightUnits++;
    return this.opened?.replicas?.writes.begin() ?? 0;
  }

  /**
   * @internal Used by UnitOfWork: a pooled connection for one unit of work, which disconnect() cuts off when
   * its timeout passes. @throws DatabaseTimeoutError when none frees up within acquireTimeoutMs.
   */
  async openUnitConnection(): Promise<UnitConnection> {
    // A unit beginUnit admitted may still take a connection (its first, or a retry's) while disconnect() waits for it.
    if (this.cutOffUnits) throw new DatabaseClosedError('closed by disconnect() after its timeout');
    let client: PoolClient;
    try {
      client = await this.stillOpen().pool.connect();
    } catch (e) {
      throw convertError(e);
    }
    const connection = new UnitConnection(client, (released) => this.unitConnections.delete(released));
    this.unitConnections.add(connection);
    return connection;
  }

  /** @internal Used by UnitOfWork: marks the unit of work of `ticket` (beginUnit's) as done. */
  endUnit(ticket: number): void {
    if (ticket !== 0) this.opened?.replicas?.writes.end(ticket);
    this.inFlightUnits--;
    if (this.inFlightUnits === 0) for (const drained of this.unitsDrained.splice(0)) drained();
  }

  /**
   * A named statement failed because the server connection did not have it, or already had its name (26000,
   * 42P05): a transaction-mode pooler moved the client to another server connection. Such a failure happens at
   * Parse or Bind, before anything runs. Naming is turned off for this service for good (one warning), and the
   * statement runs again unnamed; inside a unit, whose transaction the failure aborted, the unit runs again.
   */
  private async afterLostPreparedStatement<R extends QueryResultRow>(
    e: unknown,
    text: string,
    values: unknown[],
    options: StatementOptions | undefined,
    inUnit: boolean,
    primaryOnly: boolean,
    startedAt: number,
  ): Promise<QueryResult<R>> {
    // The code is on the driver's error, which inside a unit is the converted error's cause.
    const code = lostStatementCode(e) ?? '08P01';
    if (this.statementNames.enabled) {
      this.statementNames.disable();
      process.emitWarning(
        `A prepared statement was lost between server connections (${code}), as behind PgBouncer in transaction mode without prepared-statement support: statements now run unnamed. Set preparedStatements: false to skip this, or use PgBouncer 1.21+ with max_prepared_statements.`,
        'TuxDatabasePreparedStatements',
      );
    }
    if (inUnit) {
      throw new SerializationFailureError(`A prepared statement was lost behind a pooler (${code}); the unit of work runs again without prepared statements.`, code, { cause: e });
    }
    return this.execute<R>(text, values, { ...options, prepare: false }, primaryOnly, { startedAt });
  }

  /**
   * Outside units, with replicas: a declared read (no writes, no row locks) goes to a replica that has replayed what
   * this context must see, and runs again on the primary when the replica is unreachable or cancels it for a recovery
   * conflict. Everything else goes to the primary with a write ticket, raw `query()` calls included (unknown writes).
   */
  private async routed<R extends QueryResultRow>(
    primary: Pool,
    replicas: NonNullable<OpenedDataSource['replicas']>,
    config: StatementConfig,
    options: StatementOptions | undefined,
    where: { pool: Pool | undefined },
  ): Promise<QueryResult<R>> {
    const touches = options?.touches;
    if (touches !== undefined && touches.writes.length === 0 && !touches.locks) {
      const replica = replicas.set.pick(replicas.writes.required());
      if (replica) {
        where.pool = replica.pool;
        const result = await replicas.set.read<R>(replica, config);
        if (result) return result;
        where.pool = primary;
      }
      return runOnPool<R>(primary, config, options);
    }
    const ticket = replicas.writes.begin();
    try {
      return await runOnPool<R>(primary, config, options);
    } finally {
      replicas.writes.end(ticket);
    }
  }

  // The next statement that reaches the server clears this; so does a probe, for a bot that is idle meanwhile.
  private markUnreachable(): void {
    this.unreachable = true;
    if (this.probing) return;
    this.probing = setInterval(() => {
      const pool = this.opened?.pool;
      if (!pool || this.closing) return this.reachable();
      pool.query('SELECT 1').then(() => this.reachable(), () => undefined);
    }, PROBE_INTERVAL_MS);
    this.probing.unref();
  }

  private reachable(): void {
    this.unreachable = false;
    clearInterval(this.probing);
    this.probing = undefined;
  }

  // One event per settled statement for each listener, and the slow-query warning.
  private report(
    observers: ReadonlyArray<QueryEventListener>,
    config: StatementConfig,
    options: StatementOptions | undefined,
    inUnit: boolean,
    startedAt: number,
    rowCount: number | null,
    error: DatabaseError | undefined,
    pool: Pool | undefined,
  ): void {
    const durationMs = performance.now() - startedAt;
    if (this.options.slowQueryMs > 0) this.reportIfSlow(config.text, durationMs);
    if (observers.length === 0) return;
    const event: QueryEvent = {
      sql: config.text,
      name: config.name,
      startedAt,
      durationMs,
      rowCount,
      error,
      inUnit,
      server: pool === undefined ? undefined : queryServerOf(pool),
      touches: options?.touches,
    };
    for (const observer of observers) {
      try {
        observer(event);
      } catch (e) {
        process.emitWarning(`A query event listener threw (the statement's outcome is unchanged): ${thrownText(e)}`, 'TuxDatabaseQueryListener');
      }
    }
  }

  private reportIfSlow(text: string, ms: number): void {
    if (ms >= this.options.slowQueryMs) {
      // Only the SQL text: parameters may hold user content.
      process.emitWarning(`Slow query (${ms.toFixed(0)} ms ≥ ${this.options.slowQueryMs} ms): ${text.slice(0, 200)}`, 'TuxDatabaseSlowQuery');
    }
  }

  private statementDone(): void {
    if (--this.statementsInFlight === 0) for (const resolve of this.statementsDrained.splice(0)) resolve();
  }

  private assertOpen(): void {
    if (this.closing) throw new DatabaseClosedError('The database is closing or closed; no new work is accepted.');
  }

  private connected(): OpenedDataSource {
    this.assertOpen();
    if (!this.opened) throw new DatabaseConnectionError('Not connected: call connect() (or createDatabase()) first.');
    return this.opened;
  }

  // What running units of work still use while disconnect() waits for them; only new work is refused then (connected()).
  private stillOpen(): OpenedDataSource {
    if (this.opened) return this.opened;
    throw this.closing ? new DatabaseClosedError('The database is closing or closed; no new work is accepted.') : new DatabaseConnectionError('Not connected: call connect() (or createDatabase()) first.');
  }
}

// A query listener that throws must not fail the statement it hears about: its error becomes a process warning, as
// an onQuery listener's does.
function hear(listener: QueryListener, text: string): void {
  try {
    listener(text);
  } catch (e) {
    process.emitWarning(`A query listener threw (the statement runs as before): ${thrownText(e)}`, 'TuxDatabaseQueryListener');
  }
}
