import { AsyncLocalStorage } from 'node:async_hooks';
import { inspect, type InspectOptions } from 'node:util';
import type { DataSource, EntityMetadata } from 'typeorm';
import type { Pool, PoolClient, QueryConfig, QueryResult, QueryResultRow } from 'pg';
import { resolveOptions, type DatabaseOptions, type ResolvedOptions } from '../config';
import { redactUrl } from '../redact-secrets';
import { setTimeout as sleep } from 'node:timers/promises';
import { convertError, RETRYABLE_SQLSTATES, sqlStateOf } from '../errors/convert-error';
import { ForeignKeyViolationError } from '../errors/constraint-errors';
import { DatabaseConnectionError } from '../errors/connection-error';
import { DatabaseClosedError } from '../errors/transaction-errors';
import { ValidationError } from '../errors/validation-error';
import { StatementNames } from './statement-names';
import type { Statement } from '../query/sql';
import type { StatementOptions, StatementRunner } from './statement-runner';
import { TransactionContext } from './transaction-context';
import { UnitConnection } from './unit-connection';
import { isGuildForeignKey, lostGuildRace } from './guild-race';
import { openDataSource, type OpenedDataSource } from './open-data-source';
import { readHealth, type HealthReport } from './health';

/** PostgreSQL's wire protocol counts a statement's parameters in 16 bits. */
export const MAX_STATEMENT_PARAMETERS = 65_535;

/** Called with the SQL text of every statement the repositories send (statement budgets, tracing). */
export type QueryListener = (text: string) => void;

/** How many times a statement outside a unit that lost a race (see onPool) runs again before failing. */
const STATEMENT_RETRIES = 3;
const STATEMENT_RETRY_BACKOFF_MS = 5;

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
  private readonly unitConnections = new Set<UnitConnection>();
  private readonly statementNames = new StatementNames();
  private readonly listeners: QueryListener[] = [];

  constructor(options: DatabaseOptions = {}) {
    this.options = resolveOptions(options);
  }

  /**
   * Connects (starting the embedded server when no URL is configured) and, unless `migrate: false`,
   * applies pending migrations. Calling it again while connected does nothing.
   * @throws DatabaseConnectionError when the server cannot be reached; ValidationError for a malformed URL.
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
   * Waits up to `timeoutMs` for running units of work, then closes the pool and stops the embedded server.
   * New work is refused with DatabaseClosedError from the moment this is called. Units still running when the
   * timeout passes have their connections closed: they fail with DatabaseClosedError and the server rolls them back.
   * Single statements in flight (outside units) are waited for; statementTimeoutMs bounds them.
   */
  async disconnect(timeoutMs = 10_000): Promise<void> {
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
    const opened = this.opened ?? (this.opening ? await this.opening.catch(() => undefined) : undefined);
    this.opened = undefined;
    if (opened) await opened.close();
  }

  /** What JSON.stringify shows: the options with the URL's password masked, and whether it is connected. */
  toJSON(): { options: ResolvedOptions; connected: boolean } {
    const url = this.options.url === undefined ? undefined : redactUrl(this.options.url);
    return { options: { ...this.options, url }, connected: this.isConnected() };
  }

  /** What console.log / util.inspect show (of the service and of anything holding it): no password. */
  [inspect.custom](depth: number, options: InspectOptions): string {
    return `DatabaseService ${inspect(this.toJSON(), { ...options, depth: Math.max(0, depth) })}`;
  }

  /** @internal True once disconnect() stopped waiting for running units (its timeout passed) and closed their connections. */
  closedUnderRunningUnits(): boolean {
    return this.cutOffUnits;
  }

  /** The server's major version (15, 18, …), as TypeORM read it on connecting. @throws DatabaseConnectionError when not connected. */
  serverMajorVersion(): number {
    return Number.parseInt(String((this.dataSource.driver as { version?: unknown }).version), 10) || 0;
  }

  /** True while connected and not closing. */
  isConnected(): boolean {
    return this.opened !== undefined && !this.closing && this.opened.dataSource.isInitialized;
  }

  /** Status, round-trip latency, server version, pool usage and pending migrations. Never throws. */
  async health(): Promise<HealthReport> {
    return readHealth(this.opened?.dataSource, this.pool());
  }

  /** The TypeORM DataSource. @throws DatabaseConnectionError when not connected. */
  get dataSource(): DataSource {
    return this.connected().dataSource;
  }

  /** Runs a built statement (see query); the seam repositories use (StatementRunner). */
  run<R extends QueryResultRow = QueryResultRow>(statement: Statement, options?: StatementOptions): Promise<QueryResult<R>> {
    return this.query<R>(statement.text, statement.values, options);
  }

  /** TypeORM's metadata of an entity class. @throws DatabaseConnectionError when not connected. */
  metadata(entity: new () => object): EntityMetadata {
    return this.dataSource.getMetadata(entity);
  }

  /**
   * Registers a listener for every statement the repositories send; returns a function that removes it.
   * @throws ValidationError when `listener` is not a function.
   */
  addQueryListener(listener: QueryListener): () => void {
    if (typeof listener !== 'function') throw ValidationError.forField('DatabaseService', 'listener', 'must be a function (text: string) => void');
    this.listeners.push(listener);
    return () => {
      const index = this.listeners.indexOf(listener);
      if (index >= 0) this.listeners.splice(index, 1);
    };
  }

  /**
   * Runs one parameterized statement: inside the ambient unit of work when there is one, else on the pool.
   * Driver errors come out converted (see convertError).
   * @throws ValidationError when `values` holds more than MAX_STATEMENT_PARAMETERS values.
   */
  async query<R extends QueryResultRow = QueryResultRow>(text: string, values: unknown[], options?: StatementOptions): Promise<QueryResult<R>> {
    if (values.length > MAX_STATEMENT_PARAMETERS) {
      // pg would send a Bind message the server rejects as a protocol violation (08P01), dropping the connection.
      throw ValidationError.forField(
        'statement',
        'parameters',
        `binds ${values.length} values; PostgreSQL allows at most 65,535 per statement. Match long lists with { in: [...] } (one array parameter) instead of many conditions.`,
      );
    }
    const config: QueryConfig = { text, values };
    if (options?.prepare && this.options.preparedStatements) {
      const name = this.statementNames.nameFor(text);
      if (name !== undefined) config.name = name;
    }
    for (const listener of this.listeners) listener(text);
    const context = this.transactions.getStore();
    const started = this.options.slowQueryMs > 0 ? performance.now() : 0;
    try {
      if (context) return await context.statement<R>(config);
      return await this.onPool<R>(config, options?.createsGuild === true);
    } catch (e) {
      const error = convertError(e);
      throw options?.createsGuild && error instanceof ForeignKeyViolationError && isGuildForeignKey(error.constraint) ? lostGuildRace(error) : error;
    } finally {
      if (started > 0) this.reportIfSlow(text, performance.now() - started);
    }
  }

  /**
   * @internal Used by UnitOfWork: marks a unit of work as running, so disconnect() can wait for it.
   * @throws DatabaseClosedError when the database is closing.
   */
  beginUnit(): void {
    this.assertOpen();
    this.inFlightUnits++;
  }

  /**
   * @internal Used by UnitOfWork: a pooled connection for one unit of work, which disconnect() cuts off when
   * its timeout passes. @throws DatabaseTimeoutError when none frees up within acquireTimeoutMs.
   */
  async openUnitConnection(): Promise<UnitConnection> {
    let client: PoolClient;
    try {
      client = await this.openPool().connect();
    } catch (e) {
      throw convertError(e);
    }
    const connection = new UnitConnection(client, (released) => this.unitConnections.delete(released));
    this.unitConnections.add(connection);
    return connection;
  }

  /** @internal Used by UnitOfWork: marks a unit of work as done. */
  endUnit(): void {
    this.inFlightUnits--;
    if (this.inFlightUnits === 0) for (const drained of this.unitsDrained.splice(0)) drained();
  }

  /**
   * One statement on the pool, which is a transaction of its own. When it lost a race, it changed nothing and runs
   * again, a bounded number of times: chosen as a deadlock victim or serialization failure (40P01, 40001), or,
   * for a statement that creates its guild, a concurrent deleteGuild (23503).
   */
  private async onPool<R extends QueryResultRow>(config: QueryConfig, createsGuild: boolean): Promise<QueryResult<R>> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.openPool().query<R>(config);
      } catch (e) {
        const code = sqlStateOf(e);
        const lostRace =
          code !== undefined && (RETRYABLE_SQLSTATES.has(code) || (createsGuild && code === '23503' && isGuildForeignKey((e as { constraint?: string }).constraint)));
        if (!lostRace || attempt >= STATEMENT_RETRIES) throw e;
        // Full jitter, so the statements that collided do not collide again in lock step.
        await sleep(Math.random() * STATEMENT_RETRY_BACKOFF_MS * 2 ** attempt);
      }
    }
  }

  private reportIfSlow(text: string, ms: number): void {
    if (ms >= this.options.slowQueryMs) {
      // Only the SQL text: parameters may hold user content.
      process.emitWarning(`Slow query (${ms.toFixed(0)} ms ≥ ${this.options.slowQueryMs} ms): ${text.slice(0, 200)}`, 'TuxDatabaseSlowQuery');
    }
  }

  private assertOpen(): void {
    if (this.closing) throw new DatabaseClosedError('The database is closing or closed; no new work is accepted.');
  }

  private connected(): OpenedDataSource {
    this.assertOpen();
    if (!this.opened) throw new DatabaseConnectionError('Not connected: call connect() (or createDatabase()) first.');
    return this.opened;
  }

  private openPool(): Pool {
    return this.connected().pool;
  }

  private pool(): Pool | undefined {
    return this.opened?.pool;
  }
}
