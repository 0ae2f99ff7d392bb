import type { EntityMetadata } from 'typeorm';
import type { QueryResult, QueryResultRow } from 'pg';
import type { CacheFamily, ResolvedOptions } from '../config';
import type { Statement } from '../query/sql';
import type { Touches } from '../query/touches';

/** How one statement is to be run. */
export interface StatementOptions {
  /** Run as a named prepared statement (when enabled): for SQL built once per method, not per call. */
  readonly prepare?: boolean;
  /**
   * The statement creates the guild row it writes under when that is missing (in the same statement). A
   * foreign-key failure then means a concurrent deleteGuild removed the row in between: the statement runs again
   * outside a unit, and fails with a retryable SerializationFailureError inside one, so the unit runs again.
   * Either way the write lands after the delete, on a recreated guild.
   */
  readonly createsGuild?: boolean;
  /**
   * The statement is an upsert (INSERT … ON CONFLICT (key) DO UPDATE) of a table with another unique key. PostgreSQL
   * resolves a concurrent insert of the same new row only on the conflict key: on the other one the later insert
   * fails (23505). Outside a unit the statement runs again, and then finds the row by its key; a real conflict on
   * the other key fails the same way each time and is thrown. Inside a unit the error fails the unit, as every error there does.
   */
  readonly upsert?: boolean;
  /**
   * What the statement touches (see Touches). run() takes it from the statement's declaration; a raw caller's
   * statement has none and counts as an unknown write (never run again after a lost connection).
   */
  readonly touches?: Touches | undefined;
  /**
   * The read may be answered from the cache, under this family's TTL (a repository sets it for the reads it lists in
   * the cache's coverage; false keeps one out). Only declared reads of one guild outside units of work are cached.
   */
  readonly cache?: CacheFamily | false | undefined;
  /**
   * Outside units of work, the cache does not drop what this write changed when it returns: the caller does, at once,
   * with afterOwnWrite (which may also store what the write's result shows). Inside a unit, ignored.
   */
  readonly ownInvalidation?: boolean;
  /**
   * The rows come back as arrays of the statement's columns in order (pg's `rowMode: 'array'`), for a caller that
   * builds its own objects from them (a repository's hydrator): pg then skips the keyed object it would build per row.
   * A read answered from the cache may still give keyed rows (a write's own result stored for it), so such a caller
   * takes both forms (see entityHydrator).
   */
  readonly rowsAsArrays?: boolean;
}

/**
 * The one seam between "a repository wants this statement run" and where and how it runs: repositories see
 * only this, never the service's connection, transactions or lifecycle. Where a statement goes (the unit of
 * work's connection or the pool) and how (prepared, retried) is decided behind it, so later layers such as a
 * cache or a replica router go here without touching a repository.
 *
 * The repositories build their statements with src/query's `sql` and `compile`; a statement is also a plain object
 * (DatabaseService is the runner):
 *
 * ```ts
 * const touches = { reads: ['cases'], writes: [], locks: false, guildAt: 0 };
 * const result = await db.service.run<{ n: string }>({ text: 'SELECT count(*) AS n FROM "cases" WHERE "guild_id" = $1', values: [guildId], touches }, { prepare: true });
 * ```
 */
export interface StatementRunner {
  /** The options the database was opened with (the level formula, say). */
  readonly options: ResolvedOptions;
  /**
   * Runs one statement: on the ambient unit of work's connection when there is one, else on the pool.
   * @throws a DatabaseError (driver errors converted); ValidationError for more than 65,535 values.
   */
  run<R extends QueryResultRow = QueryResultRow>(statement: Statement, options?: StatementOptions): Promise<QueryResult<R>>;
  /** TypeORM's metadata of an entity class: where the builders take table and column names from. */
  metadata(entity: new () => object): EntityMetadata;
  /** The server's major version (15, 18, …). */
  serverMajorVersion(): number;
  /**
   * Whether a read run now with a cache family is answered by the cache or fills it (the cache is on and active, and
   * no unit of work is ambient): a method may then look in the cache before a write it can skip (addXp on cooldown).
   */
  cacheServes(): boolean;
  /**
   * Right after a write run with `ownInvalidation` returned (transaction `xid`, when it wrote): drops what it changed
   * from the cache, and with `fill`, stores `fill.rows` as what the cached read `fill.statement` of a member table
   * returns now, taken from the write's own result (see StatementCache.afterOwnWrite). Never throws.
   */
  afterOwnWrite(write: Statement, xid: string | undefined, fill?: { readonly statement: Statement; readonly family: CacheFamily; readonly rows: QueryResultRow[] }): Promise<void>;
}

/**
 * `options` with a statement's declaration (run() passes it down, so the layers below decide from it). Every field
 * is copied by name: `Required` makes tsc name a field added to StatementOptions and not copied here, and an object
 * spread costs about 1 µs per call on Node 20, more than the rest of a cached getById's client work.
 */
export function withTouches(options: StatementOptions | undefined, touches: Touches): StatementOptions {
  const copy: Required<StatementOptions> = { prepare: options?.prepare === true, createsGuild: options?.createsGuild === true, touches, cache: options?.cache ?? false, ownInvalidation: options?.ownInvalidation === true, upsert: options?.upsert === true, rowsAsArrays: options?.rowsAsArrays === true };
  return copy;
}
