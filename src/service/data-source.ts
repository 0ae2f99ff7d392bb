import { DataSource, type Logger } from 'typeorm';
import { ALL_ENTITIES } from '../entities/all-entities';
import { ALL_MIGRATIONS } from '../migrations/all-migrations';
import type { ResolvedOptions } from '../config';
import { TYPE_PARSERS } from './type-parsers';
import { ExactDateClient } from './exact-date-client';

/** Connection settings the DataSource needs beyond the URL. */
export type DataSourceSettings = Pick<ResolvedOptions, 'poolSize' | 'acquireTimeoutMs' | 'statementTimeoutMs' | 'slowQueryMs' | 'applicationName'> &
  Partial<Pick<ResolvedOptions, 'behindPooler' | 'migrations'>>;

/**
 * A TypeORM logger that prints nothing. TypeORM writes migration progress and failures (and slow queries, with their
 * parameters) to the console whatever `logging` says, past the CLI's password scrubber; the library reports each its
 * own way: the names applied, a DatabaseError, the TuxDatabaseSlowQuery warning. The typeorm CLI's DataSource
 * (ormconfig.ts) keeps TypeORM's logger, whose lines are that CLI's output.
 */
export const SILENT_TYPEORM_LOGGER: Logger = {
  logQuery: () => undefined,
  logQueryError: () => undefined,
  logQuerySlow: () => undefined,
  logSchemaBuild: () => undefined,
  logMigration: () => undefined,
  log: () => undefined,
};

/**
 * The TypeORM DataSource for a PostgreSQL URL: every entity, the migrations (as classes, never a glob, so
 * the same list works from TS sources and compiled JS: the library's, then the bot's), and the pool settings;
 * `logger` replaces TypeORM's console logger (see SILENT_TYPEORM_LOGGER).
 */
export function buildDataSource(url: string, settings: DataSourceSettings, logger?: Logger): DataSource {
  return new DataSource({
    ...(logger === undefined ? {} : { logger }),
    type: 'postgres',
    url,
    entities: [...ALL_ENTITIES],
    // The bot's own migrations (DatabaseOptions.migrations, checked) after the library's.
    migrations: [...ALL_MIGRATIONS, ...(settings.migrations ?? [])],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    poolSize: settings.poolSize,
    applicationName: settings.applicationName,
    connectTimeoutMS: settings.acquireTimeoutMs,
    maxQueryExecutionTime: settings.slowQueryMs,
    extra: poolExtras(settings),
  });
}

/**
 * The pg pool settings every pool of the library uses (the primary's, through TypeORM, and each replica's): timeouts,
 * the statement timeout unless behind a pooler, the type parsers and the Client class.
 * @example
 * const replica = new Pool({ connectionString: url, max: 10, application_name: 'tux-database', ...poolExtras(options) });
 */
export function poolExtras(settings: DataSourceSettings): Record<string, unknown> {
  return {
    // pg uses connectionTimeoutMillis both for new connections and for waiting on a busy pool.
    connectionTimeoutMillis: settings.acquireTimeoutMs,
    // A startup parameter; PgBouncer refuses it (or drops it), so behind a pooler units SET LOCAL it instead.
    ...(settings.behindPooler ? {} : { statement_timeout: settings.statementTimeoutMs }),
    idleTimeoutMillis: 30_000,
    // pg's parsers but for timestamptz, read without regexes (see parseTimestamptz); on this pool only.
    types: TYPE_PARSERS,
    // TypeORM's schema code overlaps queries on one connection; SerialClient keeps them off pg's deprecated queue.
    // ExactDateClient, a SerialClient, binds Dates as exact UTC text (pg's drops historical offsets' seconds).
    Client: ExactDateClient,
  };
}
