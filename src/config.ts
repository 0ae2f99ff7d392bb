import path from 'node:path';
import { inspect, type InspectOptions } from 'node:util';
import { ValidationError } from './errors/validation-error';
import { redactUrl } from './redact-secrets';

/** Options of createDatabase / registerDatabase; each falls back to an environment variable, then a default. */
export interface DatabaseOptions {
  /** PostgreSQL URL (`DATABASE_URL`). Unset: the embedded server is used. */
  readonly url?: string;
  /** Embedded server data directory (`TUX_DB_DATA_DIR`, default `.tux-db` in the working directory). */
  readonly dataDir?: string;
  /** Run pending migrations on connect (default true, as the Python bot does at start-up). */
  readonly migrate?: boolean;
  /** Maximum pooled connections (`TUX_DB_POOL_SIZE`, default 10). */
  readonly poolSize?: number;
  /** How long to wait for a pooled connection or a new connection, in ms (`TUX_DB_ACQUIRE_TIMEOUT_MS`, default 10000). */
  readonly acquireTimeoutMs?: number;
  /** Server-side statement timeout in ms, 0 = none (`TUX_DB_STATEMENT_TIMEOUT_MS`, default 30000). */
  readonly statementTimeoutMs?: number;
  /** Queries slower than this many ms are logged as slow (`TUX_DB_SLOW_QUERY_MS`, default 1000). */
  readonly slowQueryMs?: number;
  /** `application_name` shown in pg_stat_activity (`TUX_DB_APPLICATION_NAME`, default `tux-database`). */
  readonly applicationName?: string;
  /** How many times a unit of work is retried after a serialization failure or deadlock (`TUX_DB_MAX_RETRIES`, default 5). */
  readonly maxRetries?: number;
  /** Run hot queries as named prepared statements (`TUX_DB_PREPARED_STATEMENTS`, default true; turn off behind PgBouncer in transaction mode). */
  readonly preparedStatements?: boolean;
}

/** Every option with its value decided. */
export interface ResolvedOptions {
  readonly url: string | undefined;
  readonly dataDir: string;
  readonly migrate: boolean;
  readonly poolSize: number;
  readonly acquireTimeoutMs: number;
  readonly statementTimeoutMs: number;
  readonly slowQueryMs: number;
  readonly applicationName: string;
  readonly maxRetries: number;
  readonly preparedStatements: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

function intOption(name: string, value: number | undefined, envName: string, env: Env, fallback: number, min: number): number {
  const raw = value ?? (env[envName] !== undefined && env[envName] !== '' ? Number(env[envName]) : fallback);
  if (!Number.isSafeInteger(raw) || raw < min) {
    const source = value === undefined && env[envName] !== undefined ? `${envName}=${env[envName]}` : `${name}=${String(raw)}`;
    throw ValidationError.forField('DatabaseOptions', name, `must be an integer ≥ ${min} (got ${source})`);
  }
  return raw;
}

function boolOption(value: boolean | undefined, envName: string, env: Env, fallback: boolean): boolean {
  if (value !== undefined) return value;
  const raw = env[envName]?.toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  return !['0', 'false', 'no', 'off'].includes(raw);
}

/** Checks a PostgreSQL URL's shape without ever echoing it (it may hold a password). */
export function checkDatabaseUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw ValidationError.forField('DatabaseOptions', 'url', 'is not a valid URL (expected postgres://user:password@host:5432/database)');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw ValidationError.forField('DatabaseOptions', 'url', `must start with postgres:// or postgresql:// (got ${parsed.protocol}//)`);
  }
}

// JSON.stringify and console.log of resolved options show the URL redacted; the `url` property itself stays
// usable. Non-enumerable, so spreading or comparing the options is unaffected.
function withRedactedView(options: ResolvedOptions): ResolvedOptions {
  const view = (): ResolvedOptions => ({ ...options, url: options.url === undefined ? undefined : redactUrl(options.url) });
  Object.defineProperty(options, 'toJSON', { value: view });
  Object.defineProperty(options, inspect.custom, { value: (depth: number, inspectOptions: InspectOptions) => inspect(view(), { ...inspectOptions, depth }) });
  return options;
}

/**
 * Decides every option from the arguments, then the environment, then the defaults. The result prints (JSON,
 * console.log) with the URL's passwords masked; its `url` property is the URL as given.
 */
export function resolveOptions(options: DatabaseOptions = {}, env: Env = process.env): ResolvedOptions {
  const url = options.url ?? (env['DATABASE_URL'] || undefined);
  if (url !== undefined) checkDatabaseUrl(url);
  return withRedactedView({
    url,
    dataDir: path.resolve(options.dataDir ?? (env['TUX_DB_DATA_DIR'] || '.tux-db')),
    migrate: options.migrate ?? true,
    poolSize: intOption('poolSize', options.poolSize, 'TUX_DB_POOL_SIZE', env, 10, 1),
    acquireTimeoutMs: intOption('acquireTimeoutMs', options.acquireTimeoutMs, 'TUX_DB_ACQUIRE_TIMEOUT_MS', env, 10_000, 1),
    statementTimeoutMs: intOption('statementTimeoutMs', options.statementTimeoutMs, 'TUX_DB_STATEMENT_TIMEOUT_MS', env, 30_000, 0),
    slowQueryMs: intOption('slowQueryMs', options.slowQueryMs, 'TUX_DB_SLOW_QUERY_MS', env, 1_000, 0),
    applicationName: options.applicationName ?? (env['TUX_DB_APPLICATION_NAME'] || 'tux-database'),
    maxRetries: intOption('maxRetries', options.maxRetries, 'TUX_DB_MAX_RETRIES', env, 5, 0),
    preparedStatements: boolOption(options.preparedStatements, 'TUX_DB_PREPARED_STATEMENTS', env, true),
  });
}
