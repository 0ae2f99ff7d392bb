import type { DataSource, QueryRunner } from 'typeorm';
import { knownMigrations } from './migrations';
import { convertError, sqlStateOf } from '../errors/convert-error';

/** One row of TypeORM's `migrations` table: a migration applied to this database. */
export interface AppliedMigration {
  /** The row's id: the order the migrations were applied in (1 first). */
  readonly id: number;
  /** The migration's own timestamp (ms since the epoch, when it was written; TypeORM keeps no applied-at time). */
  readonly timestamp: number;
  readonly name: string;
  /** Whether the library or the bot (DatabaseOptions.migrations) has the migration (false: the database is ahead of the code). */
  readonly known: boolean;
}

interface MigrationRow {
  readonly id: number | string;
  readonly timestamp: number | string;
  readonly name: string;
}

/**
 * The applied migrations, in the order they were applied (empty when no migrations table exists yet).
 * @throws DatabaseError (converted) when the table cannot be read.
 * @example
 * const applied = await appliedMigrations(service.dataSource);
 * console.log(applied.at(-1)?.name ?? 'no migration applied');
 */
export async function appliedMigrations(source: DataSource | QueryRunner): Promise<ReadonlyArray<AppliedMigration>> {
  // A QueryRunner's DataSource is its `connection`; the bot's migrations count as known too.
  const known = new Set<string>(knownMigrations('connection' in source ? source.connection : source));
  let rows: MigrationRow[];
  try {
    rows = await source.query('SELECT "id", "timestamp", "name" FROM "migrations" ORDER BY "id"');
  } catch (e) {
    // 42P01: no migrations table yet, so nothing is applied.
    if (sqlStateOf(e) === '42P01') return [];
    throw convertError(e);
  }
  return rows.map((r) => ({ id: Number(r.id), timestamp: Number(r.timestamp), name: r.name, known: known.has(r.name) }));
}

/** What `tux-db version` reports about the database. */
export interface DatabaseVersion {
  /** The server's `server_version` setting, e.g. "18.4" or "15.20 (Debian 15.20-0+deb12u1)". */
  readonly serverVersion: string;
  /** The migration applied last (null when none is). */
  readonly latestMigration: AppliedMigration | null;
  readonly appliedCount: number;
  /** How many migrations this version of the library has, with the bot's own (DatabaseOptions.migrations). */
  readonly knownCount: number;
}

/**
 * The server's version and the newest applied migration.
 * @throws DatabaseError (converted) when the server cannot be asked.
 * @example
 * const { serverVersion, latestMigration } = await databaseVersion(service.dataSource);
 */
export async function databaseVersion(dataSource: DataSource): Promise<DatabaseVersion> {
  let serverVersion: string;
  try {
    const rows: Array<{ server_version: string }> = await dataSource.query(`SELECT current_setting('server_version') AS server_version`);
    serverVersion = rows[0]?.server_version ?? 'unknown';
  } catch (e) {
    throw convertError(e);
  }
  const applied = await appliedMigrations(dataSource);
  return { serverVersion, latestMigration: applied.at(-1) ?? null, appliedCount: applied.length, knownCount: knownMigrations(dataSource).length };
}
