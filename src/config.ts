import path from 'node:path';
import { inspect, type InspectOptions } from 'node:util';
import { checkOptions } from './query/check-options';
import { ValidationError } from './errors/validation-error';
import { textProblem } from './query/coerce-value';
import { redactUrl } from './redact-secrets';
import { checkDatabaseUrl, percentEscapeProblem } from './database-url';
import { checkLevelFormula, DEFAULT_LEVEL_FORMULA, type LevelFormula } from './entities/level-formula';
import { checkMigrationClasses, loadMigrations, type MigrationClass } from './migrations/consumer-migrations';

/** Whose writes a read on a replica must see (DatabaseOptions.readYourWrites). */
export type ReadYourWritesScope = 'context' | 'process';

/** The groups of cached reads, each with its own TTL (DatabaseOptions.cacheTtlSeconds). */
export type CacheFamily = 'guildConfig' | 'permissions' | 'cases' | 'afk' | 'levels';

/** Where cached reads live (DatabaseOptions.cache): this process's memory, a Redis/Valkey shared by all, or nowhere. */
export type CacheOption = 'memory' | { readonly redis: string } | false;

/** The cache options with every value decided (ResolvedOptions.cache). */
export interface ResolvedCacheOptions {
  /** `memory`, `{ redis: url }`, or false for no cache. */
  readonly backend: CacheOption;
  /** Each family's time to live in seconds: a bound on memory, never on staleness (invalidation handles that). */
  readonly ttlSeconds: Readonly<Record<CacheFamily, number>>;
  /** The memory backend's LRU bound, in entries. */
  readonly maxEntries: number;
  /** Where the LISTEN connection goes: `cacheListenUrl`, else the database URL (undefined: the embedded server's). */
  readonly listenUrl: string | undefined;
}

/**
 * The longest a member-scoped cache entry (the `levels` family) may live. Redis keeps a member scope's generation
 * only this long after its last invalidation (plus a margin), so the count of generation keys follows the members
 * active lately, not every member ever written.
 */
export const MAX_MEMBER_TTL_SECONDS = 3_600;

/**
 * Tux's own TTLs: guild config and permissions 2 h, case by number 30 min; AFK (not cached by Tux) 30 min; a member's
 * XP state, which addXp reads to skip a message on cooldown (not cached by Tux), 10 min.
 */
export const DEFAULT_CACHE_TTL_SECONDS: Readonly<Record<CacheFamily, number>> = { guildConfig: 7_200, permissions: 7_200, cases: 1_800, afk: 1_800, levels: 600 };

/** Options of createDatabase / registerDatabase; each falls back to an environment variable, then a default. */
export interface DatabaseOptions {
  /** PostgreSQL URL (`DATABASE_URL`). Unset: the embedded server is used. */
  readonly url?: string | undefined;
  /** Embedded server data directory (`TUX_DB_DATA_DIR`, default `.tux-db` in the working directory). */
  readonly dataDir?: string | undefined;
  /** Run pending migrations on connect (default true, as the Python bot does at start-up). */
  readonly migrate?: boolean | undefined;
  /** Maximum pooled connections (`TUX_DB_POOL_SIZE`, default 10). */
  readonly poolSize?: number | undefined;
  /** How long to wait for a pooled connection or a new connection, in ms (`TUX_DB_ACQUIRE_TIMEOUT_MS`, default 10000). */
  readonly acquireTimeoutMs?: number | undefined;
  /** Server-side statement timeout in ms, 0 = none (`TUX_DB_STATEMENT_TIMEOUT_MS`, default 30000). */
  readonly statementTimeoutMs?: number | undefined;
  /**
   * statement_timeout in ms of the session that runs migrations, 0 = none (`TUX_DB_MIGRATION_TIMEOUT_MS`, default 0):
   * an index build on a large table may take far longer than any runtime query should.
   */
  readonly migrationTimeoutMs?: number | undefined;
  /** Queries slower than this many ms are logged as slow (`TUX_DB_SLOW_QUERY_MS`, default 1000). */
  readonly slowQueryMs?: number | undefined;
  /** `application_name` shown in pg_stat_activity (`TUX_DB_APPLICATION_NAME`, default `tux-database`). */
  readonly applicationName?: string | undefined;
  /** How many times a unit of work is retried after a serialization failure or deadlock (`TUX_DB_MAX_RETRIES`, default 5, at most 100). */
  readonly maxRetries?: number | undefined;
  /**
   * Run hot queries as named prepared statements (`TUX_DB_PREPARED_STATEMENTS`, default true). Safe behind PgBouncer
   * too: names are hashes of the SQL, and a pooler that loses them makes the library fall back to unnamed statements.
   */
  readonly preparedStatements?: boolean | undefined;
  /**
   * The URL is a transaction-mode pooler such as PgBouncer (`TUX_DB_BEHIND_POOLER`, default false): no session
   * settings at connect (PgBouncer refuses a `statement_timeout` startup parameter), so each unit of work sets its
   * timeout with SET LOCAL and connect() checks the role's own statement_timeout, warning when it differs;
   * migrations run in one transaction under a transaction-level advisory lock. Ignored without a URL (the embedded
   * server is reached directly).
   */
  readonly behindPooler?: boolean | undefined;
  /**
   * How a level follows from XP, in SQL and in JavaScript (default DEFAULT_LEVEL_FORMULA). Set per database, once:
   * stored levels are not recomputed when it changes between runs. Check one with `db.levels.verifyLevelFormula()`.
   */
  readonly levelFormula?: LevelFormula | undefined;
  /**
   * The bot's own migration classes, run after the library's (TypeORM orders all of them by the 13-digit timestamp
   * ending each name) by connect() with `migrate`, tux-db and the typeorm CLI. Unset: the compiled migrations at
   * `TUX_DB_MIGRATIONS` (a directory of .js files, or a module exporting `migrations`), else none.
   */
  readonly migrations?: ReadonlyArray<MigrationClass> | undefined;
  /**
   * URLs of streaming replicas of the primary (`TUX_DB_REPLICAS`, comma-separated; default none). Declared reads
   * outside units of work go to a replica that is up, lags at most maxReplicaLagMs and has replayed the writes the
   * read must see (readYourWrites); units, writes, locking reads and raw `query()` calls go to the primary. Needs `url`.
   */
  readonly replicas?: ReadonlyArray<string> | undefined;
  /** A replica whose replay is further behind the primary than this, in ms, gets no reads (`TUX_DB_MAX_REPLICA_LAG_MS`, default 1000). */
  readonly maxReplicaLagMs?: number | undefined;
  /**
   * Whose writes a read on a replica must see (`TUX_DB_READ_YOUR_WRITES`, default `context`): `context`, the writes
   * made earlier in the same async context (the same chain of awaits); `process`, every write this process made.
   */
  readonly readYourWrites?: ReadYourWritesScope | undefined;
  /**
   * The cache of the per-message reads (`TUX_DB_CACHE`: `memory`, `off`, or a `redis://` URL; default `memory`):
   * guild config, permission levels, ranks, assignments and command permissions, case by number, and AFK. Kept
   * coherent across processes by NOTIFY from triggers, so it is never staler than delivery of a notification.
   * Behind a pooler it needs `cacheListenUrl`, and is off by default without it.
   */
  readonly cache?: CacheOption | undefined;
  /** Time to live of each family in seconds (default DEFAULT_CACHE_TTL_SECONDS); a missing family keeps its default. `levels` is at most 3600. */
  readonly cacheTtlSeconds?: Partial<Record<CacheFamily, number>> | undefined;
  /**
   * At most this many entries in the memory backend, about the least recently used dropped first: a hit moves its
   * entry back only once a quarter of this many hits came since it last moved (`TUX_DB_CACHE_MAX_ENTRIES`, default 50000).
   */
  readonly cacheMaxEntries?: number | undefined;
  /**
   * A direct PostgreSQL URL for the cache's LISTEN connection (`TUX_DB_CACHE_LISTEN_URL`): needed behind a
   * transaction-mode pooler, which cannot keep a LISTEN. Default: the database URL.
   */
  readonly cacheListenUrl?: string | undefined;
}

// Each key of DatabaseOptions once; `satisfies` makes a key added to the interface but not here a compile error.
const OPTION_KEYS = {
  url: true, dataDir: true, migrate: true, poolSize: true, acquireTimeoutMs: true, statementTimeoutMs: true, migrationTimeoutMs: true,
  slowQueryMs: true, applicationName: true, maxRetries: true, preparedStatements: true, behindPooler: true, levelFormula: true,
  migrations: true, replicas: true, maxReplicaLagMs: true, readYourWrites: true, cache: true, cacheTtlSeconds: true, cacheMaxEntries: true,
  cacheListenUrl: true,
} as const satisfies Record<keyof DatabaseOptions, true>;

/** The keys DatabaseOptions takes; resolveOptions refuses any other (a misspelt `poolsize` would otherwise be ignored). */
export const DATABASE_OPTION_KEYS = Object.keys(OPTION_KEYS) as ReadonlyArray<keyof DatabaseOptions>;

/** The longest timeout Node's timers and PostgreSQL's `statement_timeout` (an int4 of ms) take: about 24.8 days. */
export const MAX_TIMEOUT_MS = 2_147_483_647;

/** Every option with its value decided. */
export interface ResolvedOptions {
  /** The PostgreSQL URL as given (see DatabaseOptions.url); undefined means the embedded server. */
  readonly url: string | undefined;
  /** The embedded server's data directory, absolute (see DatabaseOptions.dataDir). */
  readonly dataDir: string;
  /** Whether connect() applies pending migrations (see DatabaseOptions.migrate). */
  readonly migrate: boolean;
  /** Maximum pooled connections (see DatabaseOptions.poolSize). */
  readonly poolSize: number;
  /** Wait for a pooled or new connection, in ms (see DatabaseOptions.acquireTimeoutMs). */
  readonly acquireTimeoutMs: number;
  /** Server-side statement timeout in ms, 0 = none (see DatabaseOptions.statementTimeoutMs). */
  readonly statementTimeoutMs: number;
  /** statement_timeout of the migrating session in ms, 0 = none (see DatabaseOptions.migrationTimeoutMs). */
  readonly migrationTimeoutMs: number;
  /** Slow-query warning threshold in ms, 0 = off (see DatabaseOptions.slowQueryMs). */
  readonly slowQueryMs: number;
  /** The application_name the server shows (see DatabaseOptions.applicationName). */
  readonly applicationName: string;
  /** Retries of a unit of work after a serialization failure or deadlock (see DatabaseOptions.maxRetries). */
  readonly maxRetries: number;
  /** Whether repository SQL runs as named prepared statements (see DatabaseOptions.preparedStatements). */
  readonly preparedStatements: boolean;
  /** Whether the URL is a transaction-mode pooler; always false without a URL (see DatabaseOptions.behindPooler). */
  readonly behindPooler: boolean;
  /** How a level follows from XP (see DatabaseOptions.levelFormula). */
  readonly levelFormula: LevelFormula;
  /** The bot's migrations, checked (empty when it has none). */
  readonly migrations: ReadonlyArray<MigrationClass>;
  /** The replicas' URLs, as given (see DatabaseOptions.replicas); empty when there are none. */
  readonly replicas: ReadonlyArray<string>;
  /** The replay lag past which a replica gets no reads, in ms (see DatabaseOptions.maxReplicaLagMs). */
  readonly maxReplicaLagMs: number;
  /** Whose writes a read on a replica must see (see DatabaseOptions.readYourWrites). */
  readonly readYourWrites: ReadYourWritesScope;
  /** The cache (see DatabaseOptions.cache and the cache* options). */
  readonly cache: ResolvedCacheOptions;
}

type Env = Readonly<Record<string, string | undefined>>;

/** An environment variable's value; unset and empty are the same. @throws ValidationError for a value that is not text. */
function envValue(env: Env, name: string): string | undefined {
  const value: unknown = env[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw ValidationError.forField('DatabaseOptions', `env.${name}`, `must be a string (got ${typeof value})`);
  return value;
}

/**
 * The largest maxReplicaLagMs: ten minutes. The lag is measured against the primary's positions of that long ago (see
 * ReplicaSet), ten a second, and a replica further behind than minutes is no read target anyway.
 */
export const MAX_REPLICA_LAG_MS = 600_000;

/** The most times one unit of work may be retried (maxRetries): a bound, so a bad value can never retry forever. */
export const MAX_UNIT_RETRIES = 100;

function intOption(name: string, value: unknown, envName: string, env: Env, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const text = value === undefined ? envValue(env, envName) : undefined;
  // Digits only: Number() would also take ' 5', '0x10', '1e3' and 'Infinity'.
  const raw = value ?? (text === undefined ? fallback : /^-?\d+$/.test(text) ? Number(text) : NaN);
  if (typeof raw !== 'number' || !Number.isSafeInteger(raw) || raw < min || raw > max) {
    const source = text !== undefined ? `${envName}=${text}` : `${name}=${typeof raw === 'number' ? String(raw) : typeof raw}`;
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
    throw ValidationError.forField('DatabaseOptions', name, `must be an integer ${range} (got ${source})`);
  }
  return raw;
}

function boolOption(name: string, value: unknown, envName: string | undefined, env: Env, fallback: boolean): boolean {
  if (value !== undefined) {
    if (typeof value !== 'boolean') throw ValidationError.forField('DatabaseOptions', name, `must be true or false (got ${typeof value})`);
    return value;
  }
  const text = envName === undefined ? undefined : envValue(env, envName);
  if (text === undefined) return fallback;
  const raw = text.toLowerCase();
  if (TRUE_WORDS.includes(raw)) return true;
  if (FALSE_WORDS.includes(raw)) return false;
  throw ValidationError.forField('DatabaseOptions', name, `must be one of ${[...TRUE_WORDS, ...FALSE_WORDS].join(', ')} (got ${envName}=${text})`);
}

// What a yes/no environment variable takes, in any case: anything else is a ValidationError, not a silent "on".
const TRUE_WORDS: ReadonlyArray<string> = ['1', 'true', 'yes', 'on'];
const FALSE_WORDS: ReadonlyArray<string> = ['0', 'false', 'no', 'off'];

function levelFormulaOption(value: unknown): LevelFormula {
  if (value === undefined) return DEFAULT_LEVEL_FORMULA;
  checkLevelFormula(value);
  return value;
}

function migrationsOption(value: unknown, env: Env): ReadonlyArray<MigrationClass> {
  if (value !== undefined) return checkMigrationClasses(value);
  const target = envValue(env, 'TUX_DB_MIGRATIONS');
  return target === undefined ? [] : loadMigrations(target);
}

function replicasOption(value: unknown, env: Env, url: string | undefined): ReadonlyArray<string> {
  const text = value === undefined ? envValue(env, 'TUX_DB_REPLICAS') : undefined;
  const list: unknown = value ?? (text === undefined ? [] : text.split(',').map((u) => u.trim()).filter((u) => u !== ''));
  if (!Array.isArray(list)) throw ValidationError.forField('DatabaseOptions', 'replicas', `must be an array of PostgreSQL URLs (got ${typeof list})`);
  const urls = list.map((u: unknown, i) => {
    if (typeof u !== 'string' || u === '') throw ValidationError.forField('DatabaseOptions', `replicas[${i}]`, `must be a PostgreSQL URL (got ${u === '' ? 'an empty string' : typeof u})`);
    checkDatabaseUrl(u, `replicas[${i}]`);
    return u;
  });
  if (urls.length > 0 && url === undefined) {
    throw ValidationError.forField('DatabaseOptions', 'replicas', 'need the primary\'s url (DATABASE_URL): replicas of the embedded server are not supported');
  }
  return urls;
}

function readYourWritesOption(value: unknown, env: Env): ReadYourWritesScope {
  const raw = value ?? envValue(env, 'TUX_DB_READ_YOUR_WRITES') ?? 'context';
  if (raw !== 'context' && raw !== 'process') {
    throw ValidationError.forField('DatabaseOptions', 'readYourWrites', `must be 'context' or 'process' (got ${typeof raw === 'string' ? JSON.stringify(raw) : typeof raw})`);
  }
  return raw;
}

const CACHE_FAMILIES: ReadonlyArray<CacheFamily> = ['guildConfig', 'permissions', 'cases', 'afk', 'levels'];

function cacheBackendOption(value: unknown, env: Env, behindPooler: boolean, listenUrl: string | undefined): CacheOption {
  const text = value === undefined ? envValue(env, 'TUX_DB_CACHE') : undefined;
  let backend: unknown = value;
  if (text !== undefined) backend = ['off', 'false', '0', 'no'].includes(text.toLowerCase()) ? false : text.toLowerCase() === 'memory' ? 'memory' : { redis: text };
  if (backend === undefined) return behindPooler && listenUrl === undefined ? false : 'memory';
  if (backend === false || backend === 'memory') {
    if (backend === 'memory' && behindPooler && listenUrl === undefined) {
      throw ValidationError.forField('DatabaseOptions', 'cache', 'needs cacheListenUrl behind a pooler: its LISTEN connection must reach PostgreSQL directly');
    }
    return backend;
  }
  const redis = typeof backend === 'object' && backend !== null ? (backend as { redis?: unknown }).redis : undefined;
  if (typeof redis !== 'string' || Object.keys(backend as object).length !== 1) {
    throw ValidationError.forField('DatabaseOptions', 'cache', `must be 'memory', { redis: 'redis://host:6379' } or false (got ${text !== undefined ? 'TUX_DB_CACHE' : typeof backend === 'string' ? JSON.stringify(backend) : typeof backend})`);
  }
  let parsed: URL | undefined;
  try {
    parsed = new URL(redis);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')) {
    throw ValidationError.forField('DatabaseOptions', 'cache.redis', 'must be a redis:// or rediss:// URL');
  }
  const problem = percentEscapeProblem(redis, parsed);
  if (problem !== undefined) throw ValidationError.forField('DatabaseOptions', 'cache.redis', problem);
  if (behindPooler && listenUrl === undefined) {
    throw ValidationError.forField('DatabaseOptions', 'cache', 'needs cacheListenUrl behind a pooler: its LISTEN connection must reach PostgreSQL directly');
  }
  return { redis };
}

function cacheTtlOption(value: unknown): Readonly<Record<CacheFamily, number>> {
  if (value === undefined) return DEFAULT_CACHE_TTL_SECONDS;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw ValidationError.forField('DatabaseOptions', 'cacheTtlSeconds', `must be an object such as { guildConfig: 7200 } (got ${Array.isArray(value) ? 'an array' : typeof value})`);
  checkOptions('cacheTtlSeconds', value, CACHE_FAMILIES, 'the cacheTtlSeconds option');
  const ttl: Record<CacheFamily, number> = { ...DEFAULT_CACHE_TTL_SECONDS };
  for (const family of CACHE_FAMILIES) {
    const seconds: unknown = (value as Partial<Record<CacheFamily, unknown>>)[family];
    if (seconds === undefined) continue;
    // A member's entries are bounded tighter: Redis keeps their scopes' generations only so long (see MAX_MEMBER_TTL_SECONDS).
    const most = family === 'levels' ? MAX_MEMBER_TTL_SECONDS : Math.floor(MAX_TIMEOUT_MS / 1_000);
    if (typeof seconds !== 'number' || !Number.isSafeInteger(seconds) || seconds < 1 || seconds > most) {
      throw ValidationError.forField('DatabaseOptions', `cacheTtlSeconds.${family}`, `must be a whole number of seconds from 1 to ${most}`);
    }
    ttl[family] = seconds;
  }
  return ttl;
}

function cacheOptions(options: DatabaseOptions, env: Env, behindPooler: boolean): ResolvedCacheOptions {
  const listenUrl = textOption('cacheListenUrl', options.cacheListenUrl, envValue(env, 'TUX_DB_CACHE_LISTEN_URL'));
  if (listenUrl !== undefined) checkDatabaseUrl(listenUrl, 'cacheListenUrl');
  return {
    backend: cacheBackendOption(options.cache, env, behindPooler, listenUrl),
    ttlSeconds: cacheTtlOption(options.cacheTtlSeconds),
    maxEntries: intOption('cacheMaxEntries', options.cacheMaxEntries, 'TUX_DB_CACHE_MAX_ENTRIES', env, 50_000, 1),
    listenUrl,
  };
}

function textOption(name: string, value: unknown, fallback: string | undefined): string | undefined {
  if (value === undefined) return fallback;
  const problem = typeof value !== 'string' ? `must be a string (got ${typeof value})` : value === '' ? 'must not be empty' : textProblem(value);
  if (problem !== undefined) throw ValidationError.forField('DatabaseOptions', name, problem);
  return value as string;
}

// The server keeps 63 bytes of application_name and shows every character outside printable ASCII as `?`: a name it
// would change is refused rather than shown otherwise in pg_stat_activity.
const APPLICATION_NAME = /^[\x20-\x7e]{1,63}$/;

function applicationNameOption(name: string): string {
  if (!APPLICATION_NAME.test(name)) {
    throw ValidationError.forField('DatabaseOptions', 'applicationName', 'must be 1–63 printable ASCII characters (PostgreSQL cuts a longer name and shows other characters as ?)');
  }
  return name;
}

/**
 * @internal The options as they print: a copy with every URL's password masked (the database URL, the replicas', the
 * cache's Redis and LISTEN URLs). A copy spread from the options loses their own printers (non-enumerable), so
 * whatever prints options it holds prints this.
 */
export function redactedOptions(options: ResolvedOptions): ResolvedOptions {
  const { cache } = options;
  return {
    ...options,
    url: options.url === undefined ? undefined : redactUrl(options.url),
    replicas: options.replicas.map(redactUrl),
    cache: {
      ...cache,
      backend: typeof cache.backend === 'object' ? { redis: redactUrl(cache.backend.redis) } : cache.backend,
      listenUrl: cache.listenUrl === undefined ? undefined : redactUrl(cache.listenUrl),
    },
  };
}

// JSON.stringify and console.log of resolved options show the URLs redacted; the `url` property itself stays
// usable. Non-enumerable, so spreading or comparing the options is unaffected.
function withRedactedView(options: ResolvedOptions): ResolvedOptions {
  const view = (): ResolvedOptions => redactedOptions(options);
  Object.defineProperty(options, 'toJSON', { value: view });
  Object.defineProperty(options, inspect.custom, { value: (depth: number, inspectOptions: InspectOptions) => inspect(view(), { ...inspectOptions, depth }) });
  return options;
}

/**
 * Decides every option from the arguments, then the environment, then the defaults. The result prints (JSON,
 * console.log) with the URL's passwords masked; its `url` property is the URL as given.
 * @throws ValidationError, before anything connects, for an options object that is not one, an unknown key (with
 * the likely intended one), a value of the wrong type or out of range (NaN, Infinity, a timeout past
 * MAX_TIMEOUT_MS), or an environment variable that is not a whole number where one is expected.
 *
 * ```ts
 * const options = resolveOptions({ poolSize: 5 }, { DATABASE_URL: 'postgres://tux:hunter2@db/tux', TUX_DB_STATEMENT_TIMEOUT_MS: '5000' });
 * options.statementTimeoutMs; // 5000: the environment given (process.env by default) fills what the options leave out
 * JSON.stringify(options); // '{"url":"postgres://tux:***@db/tux",…}'; options.url itself is as given
 * resolveOptions({}, { TUX_DB_POOL_SIZE: 'ten' }); // throws ValidationError: poolSize must be an integer ≥ 1 (got TUX_DB_POOL_SIZE=ten)
 * ```
 */
export function resolveOptions(options: DatabaseOptions = {}, env: Env = process.env): ResolvedOptions {
  checkOptions('DatabaseOptions', options, DATABASE_OPTION_KEYS, 'createDatabase, registerDatabase or new DatabaseService');
  if (typeof env !== 'object' || env === null) throw ValidationError.forField('DatabaseOptions', 'env', 'must be an object of environment variables, such as process.env');
  const url = textOption('url', options.url, envValue(env, 'DATABASE_URL'));
  if (url !== undefined) checkDatabaseUrl(url);
  // Only a URL can name a pooler; the embedded server is always reached directly.
  const behindPooler = boolOption('behindPooler', options.behindPooler, 'TUX_DB_BEHIND_POOLER', env, false) && url !== undefined;
  return withRedactedView({
    url,
    dataDir: path.resolve(textOption('dataDir', options.dataDir, envValue(env, 'TUX_DB_DATA_DIR') ?? '.tux-db') ?? '.tux-db'),
    migrate: boolOption('migrate', options.migrate, undefined, env, true),
    poolSize: intOption('poolSize', options.poolSize, 'TUX_DB_POOL_SIZE', env, 10, 1),
    acquireTimeoutMs: intOption('acquireTimeoutMs', options.acquireTimeoutMs, 'TUX_DB_ACQUIRE_TIMEOUT_MS', env, 10_000, 1, MAX_TIMEOUT_MS),
    statementTimeoutMs: intOption('statementTimeoutMs', options.statementTimeoutMs, 'TUX_DB_STATEMENT_TIMEOUT_MS', env, 30_000, 0, MAX_TIMEOUT_MS),
    migrationTimeoutMs: intOption('migrationTimeoutMs', options.migrationTimeoutMs, 'TUX_DB_MIGRATION_TIMEOUT_MS', env, 0, 0, MAX_TIMEOUT_MS),
    slowQueryMs: intOption('slowQueryMs', options.slowQueryMs, 'TUX_DB_SLOW_QUERY_MS', env, 1_000, 0),
    applicationName: applicationNameOption(textOption('applicationName', options.applicationName, envValue(env, 'TUX_DB_APPLICATION_NAME') ?? 'tux-database') ?? 'tux-database'),
    maxRetries: intOption('maxRetries', options.maxRetries, 'TUX_DB_MAX_RETRIES', env, 5, 0, MAX_UNIT_RETRIES),
    preparedStatements: boolOption('preparedStatements', options.preparedStatements, 'TUX_DB_PREPARED_STATEMENTS', env, true),
    behindPooler,
    levelFormula: levelFormulaOption(options.levelFormula),
    migrations: migrationsOption(options.migrations, env),
    replicas: replicasOption(options.replicas, env, url),
    maxReplicaLagMs: intOption('maxReplicaLagMs', options.maxReplicaLagMs, 'TUX_DB_MAX_REPLICA_LAG_MS', env, 1_000, 0, MAX_REPLICA_LAG_MS),
    readYourWrites: readYourWritesOption(options.readYourWrites, env),
    cache: cacheOptions(options, env, behindPooler),
  });
}
