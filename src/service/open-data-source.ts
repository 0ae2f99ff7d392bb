import type { DataSource } from 'typeorm';
import type { Pool } from 'pg';
import type { ResolvedOptions } from '../config';
import { checkDatabaseUrl } from '../database-url';
import { redactSecrets, redactUrl, secretsOf } from '../redact-secrets';
import { buildDataSource, SILENT_TYPEORM_LOGGER } from './data-source';
import { applyMigrations, migrationRunOptions } from './migrations';
import { statementTimeoutWarning } from './statement-timeout-check';
import { convertError } from '../errors/convert-error';
import { DatabaseConnectionError } from '../errors/connection-error';
import { DatabaseError } from '../errors/database-error';
import { startEmbeddedServer, type EmbeddedServer } from '../embedded/embedded-server';
import { ensureDatabase } from '../embedded/ensure-database';
import { ReplicaSet } from './replica-set';
import { openCache } from '../cache/open-cache';
import type { StatementCache } from '../cache/statement-cache';
import { WriteTracker } from './write-tracker';

const warned = new Set<string>();

/** The database the library uses on the embedded server. */
export const EMBEDDED_DATABASE = 'tux';

/** A connected DataSource, its pg pool, and how to close both (and the embedded server, if one was started). */
export interface OpenedDataSource {
  readonly dataSource: DataSource;
  readonly pool: Pool;
  /** The cache of per-message reads, with its LISTEN connection; undefined with `cache: false`. */
  readonly cache: StatementCache | undefined;
  /** The read replicas and the write tickets for read-your-writes; undefined when no replicas are configured. */
  readonly replicas: { readonly set: ReplicaSet; readonly writes: WriteTracker } | undefined;
  /** False while the embedded server is down (its supervisor is restarting it); always true for a URL. */
  serverRunning(): boolean;
  close(): Promise<void>;
}

/** `url` with its database name replaced. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/**
 * Starts (or reuses) the embedded server on `dataDir` and makes sure the library's database exists on it.
 * @throws DatabaseConnectionError (EmbeddedServerError) when the server cannot start.
 */
export async function startEmbeddedDatabase(dataDir: string): Promise<{ url: string; server: EmbeddedServer }> {
  const server = await startEmbeddedServer({ dataDir });
  try {
    await ensureDatabase(server.url, EMBEDDED_DATABASE);
    return { url: withDatabase(server.url, EMBEDDED_DATABASE), server };
  } catch (e) {
    await server.stop();
    if (e instanceof DatabaseError) throw e;
    throw new DatabaseConnectionError(`The embedded server started but its "${EMBEDDED_DATABASE}" database could not be created: ${convertError(e).message}`, { cause: e });
  }
}

/**
 * Connects to `options.url`, or to the embedded server when it is unset, and applies pending migrations
 * when `options.migrate` is true (under the migration advisory lock, with `options.migrationTimeoutMs`).
 * @throws DatabaseConnectionError naming the server (password redacted) when it cannot be reached.
 */
export async function openDataSource(options: ResolvedOptions): Promise<OpenedDataSource> {
  if (options.url !== undefined) checkDatabaseUrl(options.url);
  const embedded = options.url === undefined ? await startEmbeddedDatabase(options.dataDir) : undefined;
  const url = options.url ?? embedded?.url ?? '';
  const dataSource = buildDataSource(url, options, SILENT_TYPEORM_LOGGER);
  try {
    await dataSource.initialize();
  } catch (e) {
    await embedded?.server.stop();
    const converted = convertError(e);
    // PgBouncer's answer to the statement_timeout startup parameter the library sends when connected directly.
    const hint = /unsupported startup parameter/.test(converted.message) && !options.behindPooler
      ? ' This looks like a transaction-mode pooler such as PgBouncer: set behindPooler: true (TUX_DB_BEHIND_POOLER=1).'
      : '';
    // The driver's own text is masked too: a server or driver may echo parts of the connection string.
    throw new DatabaseConnectionError(redactSecrets(`Cannot connect to PostgreSQL at ${redactUrl(url)}: ${converted.message}${hint}`, secretsOf(url)), { cause: e });
  }
  const close = async (): Promise<void> => {
    try {
      if (dataSource.isInitialized) await dataSource.destroy();
    } finally {
      await embedded?.server.stop();
    }
  };
  // TypeORM keeps the pg Pool on its driver; the library sends its own statements straight to it.
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  if (options.migrate) {
    try {
      await applyMigrations(dataSource, migrationRunOptions(options));
    } catch (e) {
      await close();
      throw e;
    }
  }
  try {
    const warning = await statementTimeoutWarning(pool, options);
    // Once per process and finding: every shard's pool would otherwise repeat it at each connect.
    if (warning && !warned.has(warning)) {
      warned.add(warning);
      process.emitWarning(warning, 'TuxDatabaseStatementTimeout');
    }
  } catch (e) {
    await close();
    throw convertError(e);
  }
  const serverRunning = embedded ? () => embedded.server.isRunning() : () => true;
  let opened: { cache: StatementCache | undefined; close(): Promise<void> };
  try {
    opened = await openCache(options, url, close);
  } catch (e) {
    await close();
    throw e;
  }
  const { cache } = opened;
  if (options.replicas.length === 0) return { dataSource, pool, serverRunning, cache, replicas: undefined, close: opened.close };
  // A replica that is down now is only skipped: reads go to the primary until a check finds it up.
  const writes = new WriteTracker(options.readYourWrites);
  const set = new ReplicaSet(options, pool, writes);
  await set.poll();
  const closeAll = async (): Promise<void> => {
    await set.close();
    await opened.close();
  };
  return { dataSource, pool, serverRunning, cache, replicas: { set, writes }, close: closeAll };
}
