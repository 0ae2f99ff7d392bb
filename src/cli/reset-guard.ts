/** The environment variable that lets `reset` / `nuke` run on any target (still only with --force). */
export const ALLOW_RESET_ENV = 'TUX_DB_ALLOW_RESET';

/** Database names `reset` / `nuke` refuse on a local server too: a word prod, production or live in the name (Tux's keywords). */
const PRODUCTION_NAME = /(^|[^a-z0-9])(prod|production|live)([^a-z0-9]|$)/i;

/** Environment variables that mark a production deployment when one says `production` (Tux checks ENVIRONMENT and APP_ENV). */
const ENVIRONMENT_KEYS = ['NODE_ENV', 'ENVIRONMENT', 'APP_ENV'] as const;

type Env = Readonly<Record<string, string | undefined>>;

const OVERRIDE = `set ${ALLOW_RESET_ENV}=1 to override`;

function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare) || bare.startsWith('/');
}

function decodeOr(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function notThisMachine(host: string): string {
  return `the host ${host} is not this machine (only localhost, 127.0.0.0/8, ::1 or a Unix socket may be reset); ${OVERRIDE}`;
}

function productionName(database: string): string | null {
  return PRODUCTION_NAME.test(database) ? `the database name ${JSON.stringify(database)} looks like production (it has a word prod, production or live); ${OVERRIDE}` : null;
}

/**
 * The host and database pg connects to for `url`, read as pg reads them: the last non-empty `?host=` over the URL's
 * host, percent-decoded (a Unix socket directory may be written `%2Fvar%2Frun%2Fpostgresql`); then PGHOST, then
 * localhost. The database is the URL's path, else PGDATABASE, else the user (`?user=`, the URL's, PGUSER).
 */
function targetOf(parsed: URL, env: Env): { host: string; database: string } {
  const hosts = parsed.searchParams.getAll('host').filter((h) => h !== '');
  const host = hosts.at(-1) ?? (decodeOr(parsed.hostname) || env['PGHOST'] || 'localhost');
  const user = parsed.searchParams.getAll('user').filter((u) => u !== '').at(-1) ?? (decodeOr(parsed.username) || env['PGUSER'] || '');
  const database = decodeOr(parsed.pathname.replace(/^\//, '')) || env['PGDATABASE'] || user;
  return { host, database };
}

/**
 * Why `tux-db reset` / `nuke` must not touch this target, or null when they may, judged before connecting.
 * Allowed: the embedded server (no DATABASE_URL), or a URL whose host is this machine (localhost, 127.0.0.0/8, ::1,
 * a Unix socket) and whose database name has no word prod, production or live, while none of NODE_ENV,
 * ENVIRONMENT, APP_ENV is `production`. `TUX_DB_ALLOW_RESET=1` allows any target. Host and database are read as pg
 * reads them, environment fallbacks included (see targetOf); serverRefusal then checks what the server itself says.
 * Pure: reads only its arguments.
 * @example
 * resetRefusal('postgres://tux@db.example.com/tux', {}); // 'the host db.example.com is not this machine …'
 * resetRefusal('postgres://tux@127.0.0.1/tux_dev', {});  // null
 * resetRefusal(undefined, {});                            // null: the embedded server
 */
export function resetRefusal(url: string | undefined, env: Env): string | null {
  if (env[ALLOW_RESET_ENV] === '1') return null;
  for (const key of ENVIRONMENT_KEYS) {
    if (env[key]?.trim().toLowerCase() === 'production') return `${key} is production; ${OVERRIDE}`;
  }
  if (url === undefined) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'DATABASE_URL is not a valid URL';
  }
  const { host, database } = targetOf(parsed, env);
  if (!isLoopback(host)) return notThisMachine(host);
  return productionName(database);
}

/** What the server says about a connection: its database, and the address it accepted the connection on (null over a Unix socket). */
export type ServerFacts = {
  readonly database: string;
  readonly address: string | null;
};

/** The SQL that reads ServerFacts on the connection a reset would use. */
export const SERVER_FACTS_SQL = 'SELECT current_database() AS database, host(inet_server_addr()) AS address';

/**
 * Why `reset` / `nuke` must not touch the server they connected to, from the server's own answer (see
 * SERVER_FACTS_SQL), whatever the URL and environment seemed to say: it accepted the connection on a loopback
 * address or a Unix socket, and its database name has no word prod, production or live. Checked after connecting,
 * before anything is changed; `TUX_DB_ALLOW_RESET=1` allows any. Pure.
 * @example
 * serverRefusal({ database: 'tux', address: '10.0.0.5' }, {}); // 'the host 10.0.0.5 is not this machine …'
 * serverRefusal({ database: 'tux_dev', address: null }, {});   // null: a Unix socket
 */
export function serverRefusal(facts: ServerFacts, env: Env): string | null {
  if (env[ALLOW_RESET_ENV] === '1') return null;
  if (facts.address !== null && !isLoopback(facts.address)) return notThisMachine(facts.address);
  return productionName(facts.database);
}
