import fs from 'node:fs/promises';
import path from 'node:path';
import { MigrationExecutor, type DataSource, type QueryRunner } from 'typeorm';
import { migrationNameOf, type MigrationClass } from '../migrations/consumer-migrations';
import { convertError, sqlStateOf } from '../errors/convert-error';
import { ValidationError } from '../errors/validation-error';
import { MAX_TIMEOUT_MS, type ResolvedOptions } from '../config';

/** One migration and whether it has been applied. */
export interface MigrationState {
  readonly name: string;
  readonly applied: boolean;
}

/**
 * The advisory lock key every migration run takes, so one process at a time migrates a database: the
 * bytes of "tux-migr" as a bigint. Advisory locks are per database, so other databases on the server are not held up.
 */
export const MIGRATION_LOCK_KEY = '8391745617179273074';

/** How applyMigrations and revertLastMigration run. */
export interface MigrationRunOptions {
  /** The migration session's statement_timeout in ms, 0 = none (default 0; DatabaseOptions.migrationTimeoutMs). */
  readonly timeoutMs?: number | undefined;
  /**
   * Through a transaction-mode pooler (DatabaseOptions.behindPooler) a session lock and a session SET would stay
   * on whichever server connection ran them: then the whole run is one transaction, under pg_advisory_xact_lock
   * and SET LOCAL, which the pooler keeps on one server connection.
   */
  readonly behindPooler?: boolean | undefined;
}

/**
 * The migration run options a database's resolved options call for.
 * @example
 * await applyMigrations(service.dataSource, migrationRunOptions(service.options));
 */
export function migrationRunOptions(options: Pick<ResolvedOptions, 'migrationTimeoutMs' | 'behindPooler'>): MigrationRunOptions {
  return { timeoutMs: options.migrationTimeoutMs, behindPooler: options.behindPooler };
}

/**
 * Applies every pending migration (each in its own transaction) and returns the names applied. Holds the
 * migration advisory lock meanwhile, so when several processes start at once one migrates and the others
 * wait, then find nothing pending and return [].
 * @throws DatabaseError (converted) when a migration fails; the lock is released either way.
 * @example
 * const applied = await applyMigrations(dataSource, { timeoutMs: 0 });
 */
export async function applyMigrations(dataSource: DataSource, options: MigrationRunOptions = {}): Promise<string[]> {
  return withMigrationLock(dataSource, options, async (runner, transaction) => {
    const executor = new MigrationExecutor(dataSource, runner);
    executor.transaction = transaction;
    return (await executor.executePendingMigrations()).map((m) => m.name);
  });
}

/**
 * Reverts the most recently applied migration under the migration advisory lock; returns its name, or
 * null when none is applied.
 * @throws DatabaseError (converted) when the revert fails.
 */
export async function revertLastMigration(dataSource: DataSource, options: MigrationRunOptions = {}): Promise<string | null> {
  return withMigrationLock(dataSource, options, async (runner, transaction) => {
    const executor = new MigrationExecutor(dataSource, runner);
    executor.transaction = transaction;
    // Read on the locked session (another pooled connection may not be free), newest first: the one undone next.
    const last = (await executor.getExecutedMigrations())[0];
    if (!last) return null;
    await executor.undoLastMigration();
    return last.name;
  });
}

/** How TypeORM's MigrationExecutor wraps migrations: each in its own transaction, or none (the caller's one). */
type ExecutorTransaction = 'each' | 'none';

/**
 * Runs `fn` on one dedicated connection that holds the migration advisory lock and has the migration
 * statement_timeout. TypeORM's MigrationExecutor is given this runner, so the migrations run on the very
 * session that holds the lock and has the timeout.
 * @throws DatabaseError (converted) when `fn` or taking the lock fails; the lock is released either way.
 * @example
 * const names = await withMigrationLock(dataSource, { timeoutMs: 0 }, (runner) => new MigrationExecutor(dataSource, runner).getExecutedMigrations());
 */
export async function withMigrationLock<T>(dataSource: DataSource, options: MigrationRunOptions, fn: (runner: QueryRunner, transaction: ExecutorTransaction) => Promise<T>): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 0;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 0 || timeoutMs > MAX_TIMEOUT_MS) {
    throw ValidationError.forField('MigrationRunOptions', 'timeoutMs', `must be a whole number of ms from 0 (none) to ${MAX_TIMEOUT_MS}`);
  }
  if (options.behindPooler) return inOneTransaction(dataSource, timeoutMs, fn);
  const runner = dataSource.createQueryRunner('master');
  let locked = false;
  try {
    // Set first: waiting for the lock counts against statement_timeout too, and a waiter must outlast the migrator.
    // SET (not SET LOCAL) lasts the session, across the per-migration transactions.
    await runner.query(`SET statement_timeout = ${timeoutMs}`);
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    locked = true;
    return await fn(runner, 'each');
  } catch (e) {
    throw convertError(e);
  } finally {
    await releaseMigrationSession(runner, locked);
  }
}

// The pooler-safe form: the lock and the timeout end with the transaction, on the server connection that held them.
async function inOneTransaction<T>(dataSource: DataSource, timeoutMs: number, fn: (runner: QueryRunner, transaction: ExecutorTransaction) => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner('master');
  try {
    await runner.startTransaction();
    await runner.query(`SET LOCAL statement_timeout = ${timeoutMs}`);
    await runner.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    const result = await fn(runner, 'none');
    await runner.commitTransaction();
    return result;
  } catch (e) {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    throw convertError(e);
  } finally {
    await runner.release();
  }
}

/**
 * Unlocks and puts back the runtime statement_timeout (RESET returns to the pool's connect-time value) before
 * the connection goes back to the pool. When that fails the connection is discarded instead: a pooled
 * connection that still held the lock would block every later migration in this process.
 */
async function releaseMigrationSession(runner: QueryRunner, locked: boolean): Promise<void> {
  try {
    if (locked) await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    await runner.query('RESET statement_timeout');
  } catch (e) {
    // TypeORM declares releasePostgresConnection private; with an error it makes pg-pool destroy the client.
    const discard = (runner as unknown as { releasePostgresConnection(err: unknown): Promise<void> }).releasePostgresConnection;
    await discard.call(runner, e instanceof Error ? e : new Error(String(e)));
    return;
  }
  await runner.release();
}

/**
 * The names of every migration `dataSource` runs, the library's and the bot's (DatabaseOptions.migrations), in the
 * order TypeORM runs them: by the 13-digit timestamp that ends each name.
 * @example
 * knownMigrations(service.dataSource); // ['InitialSchema1764140000000', …, 'AddNewField1795994250627']
 */
export function knownMigrations(dataSource: DataSource): string[] {
  // Once initialized TypeORM holds instances; before that, the classes of the options (buildDataSource never uses globs).
  const listed = dataSource.options.migrations ?? [];
  const names = dataSource.isInitialized
    ? dataSource.migrations.map((m) => m.name ?? m.constructor.name)
    : (Array.isArray(listed) ? listed : Object.values(listed)).flatMap((m) => (typeof m === 'function' ? [migrationNameOf(m as MigrationClass)] : []));
  const timestamp = (name: string): number => Number(name.slice(-13));
  // Array.prototype.sort is stable: equal timestamps keep the list's order, as in TypeORM.
  return names.sort((a, b) => timestamp(a) - timestamp(b));
}

/**
 * Every known migration (the library's and the bot's), in the order they run, with whether it is applied.
 * @throws DatabaseError (converted) when the migrations table cannot be read.
 * @example
 * for (const m of await migrationStatus(service.dataSource)) console.log(m.applied ? '[applied]' : '[pending]', m.name);
 */
export async function migrationStatus(dataSource: DataSource): Promise<MigrationState[]> {
  let applied: Set<string>;
  try {
    const rows: Array<{ name: string }> = await dataSource.query('SELECT "name" FROM "migrations"');
    applied = new Set(rows.map((r) => r.name));
  } catch (e) {
    // 42P01: no migrations table yet, so nothing is applied.
    if (sqlStateOf(e) !== '42P01') throw convertError(e);
    applied = new Set();
  }
  return knownMigrations(dataSource).map((name) => ({ name, applied: applied.has(name) }));
}

/** The SQL that would bring the database in line with the entities (empty when they agree). */
export async function pendingSchemaChanges(dataSource: DataSource): Promise<{ up: string[]; down: string[] }> {
  const sql = await dataSource.driver.createSchemaBuilder().log();
  return { up: sql.upQueries.map((q) => q.query), down: sql.downQueries.map((q) => q.query).reverse() };
}

/** A migration's file and class name, from the name its author gave. */
export interface MigrationNames {
  /** The words in kebab case, for the file name: `add-new-field`. */
  readonly slug: string;
  /** The words in Pascal case, for the class name (before its timestamp): `AddNewField`. */
  readonly pascal: string;
}

/** The longest slug a migration name may give (file names stay readable; the class name adds 13 digits). */
const MAX_SLUG_LENGTH = 64;

/**
 * Turns any name into a migration's file and class name: accents are dropped, camelCase and every run of other
 * characters (spaces, punctuation, slashes) separate words, so no name can reach outside the migrations directory.
 * @throws ValidationError when the name holds no letter or digit, or its slug passes 64 characters.
 * @example
 * migrationNames('add new field'); // { slug: 'add-new-field', pascal: 'AddNewField' }
 * migrationNames('addNewField');   // the same
 */
export function migrationNames(name: string): MigrationNames {
  const fail = (message: string): ValidationError => ValidationError.forField('migration', 'name', message);
  if (typeof name !== 'string') throw fail(`must be a string (got ${typeof name})`);
  const words = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '')
    .map((w) => w.toLowerCase());
  if (words.length === 0) throw fail('must hold a letter or a digit, such as "add new field"');
  const slug = words.join('-');
  if (slug.length > MAX_SLUG_LENGTH) throw fail(`must be at most ${MAX_SLUG_LENGTH} characters once written as ${JSON.stringify(slug.slice(0, 20))}…`);
  const pascal = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
  // A class name cannot start with a digit.
  return { slug, pascal: /^[0-9]/.test(pascal) ? `Migration${pascal}` : pascal };
}

/** What generateMigration wrote. */
export interface GeneratedMigration {
  readonly file: string;
  readonly className: string;
}

/**
 * Writes a migration class for the difference between the entities and the database into `directory` as
 * `<timestamp>-<slug>.ts`, or returns null when there is none. Register the class afterwards: in tux-database itself
 * in ALL_MIGRATIONS, in a bot in the `migrations` option (compiled, for TUX_DB_MIGRATIONS).
 * @throws ValidationError when the name holds no letter or digit (see migrationNames), or when migrations are still
 * pending (the new file would repeat their work).
 * @example
 * const written = await generateMigration(service.dataSource, 'add new field', 'migrations');
 * // { file: 'migrations/1795994250627-add-new-field.ts', className: 'AddNewField1795994250627' }
 */
export async function generateMigration(dataSource: DataSource, name: string, directory: string, now = Date.now()): Promise<GeneratedMigration | null> {
  const { slug, pascal } = migrationNames(name);
  const pending = (await migrationStatus(dataSource)).filter((m) => !m.applied).map((m) => m.name);
  if (pending.length > 0) {
    throw ValidationError.forField('migration', 'database', `has ${pending.length} pending migration(s) (${pending.join(', ')}): apply them first (tux-db migrate-push), or the new migration would repeat their work`);
  }
  const changes = await pendingSchemaChanges(dataSource);
  if (changes.up.length === 0) return null;
  const className = `${pascal}${now}`;
  const file = path.join(directory, `${now}-${slug}.ts`);
  const lines = (queries: string[]): string => queries.map((q) => `    await queryRunner.query(${JSON.stringify(q)});`).join('\n');
  const source = `import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Generated by \`tux-db migrate-generate\` (${JSON.stringify(name).replace(/\*\//g, '* /')}): review it, then register it (a bot: in
 * the \`migrations\` option and, compiled, in TUX_DB_MIGRATIONS; tux-database itself: in ALL_MIGRATIONS).
 */
export class ${className} implements MigrationInterface {
  name = '${className}';

  async up(queryRunner: QueryRunner): Promise<void> {
${lines(changes.up)}
  }

  async down(queryRunner: QueryRunner): Promise<void> {
${lines(changes.down)}
  }
}
`;
  await fs.mkdir(directory, { recursive: true });
  await fs.writeFile(file, source, { flag: 'wx' });
  return { file, className };
}
