/** The environment variable that lets `reset` / `nuke` run on any target (still only with --force). */
export const ALLOW_RESET_ENV = 'TUX_DB_ALLOW_RESET';

/** Database names `reset` / `nuke` refuse on a local server too: a word prod, production or live in the name (Tux's keywords). */
const PRODUCTION_NAME = /(^|[^a-z0-9])(prod|production|live)([^a-z0-9]|$)/i;

/** Environment variables that mark a production deployment when one says `production` (Tux checks ENVIRONMENT and APP_ENV). */
const ENVIRONMENT_KEYS = ['NODE_ENV', 'ENVIRONMENT', 'APP_ENV'] as const;

function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === '' || bare === 'localhost' || bare === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare) || bare.startsWith('/');
}

/**
 * Why `tux-db reset` / `nuke` must not touch this target, or null when they may. Allowed: the embedded server
 * (no DATABASE_URL), or a URL whose host is this machine (localhost, 127.0.0.0/8, ::1, a Unix socket) and whose
 * database name has no word prod, production or live, while none of NODE_ENV, ENVIRONMENT, APP_ENV is
 * `production`. `TUX_DB_ALLOW_RESET=1` allows any target. Pure: reads only its arguments.
 * @example
 * resetRefusal('postgres://tux@db.example.com/tux', {}); // 'the host db.example.com is not this machine …'
 * resetRefusal('postgres://tux@127.0.0.1/tux_dev', {});  // null
 * resetRefusal(undefined, {});                            // null: the embedded server
 */
export function resetRefusal(url: string | undefined, env: Readonly<Record<string, string | undefined>>): string | null {
  if (env[ALLOW_RESET_ENV] === '1') return null;
  const override = `set ${ALLOW_RESET_ENV}=1 to override`;
  for (const key of ENVIRONMENT_KEYS) {
    if (env[key]?.trim().toLowerCase() === 'production') return `${key} is production; ${override}`;
  }
  if (url === undefined) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'DATABASE_URL is not a valid URL';
  }
  // pg reads ?host= (a Unix socket directory or a host name) over the URL's host.
  const host = parsed.searchParams.get('host') ?? parsed.hostname;
  if (!isLoopback(host)) return `the host ${host} is not this machine (only localhost, 127.0.0.0/8, ::1 or a Unix socket may be reset); ${override}`;
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || decodeURIComponent(parsed.username);
  if (PRODUCTION_NAME.test(database)) return `the database name ${JSON.stringify(database)} looks like production (it has a word prod, production or live); ${override}`;
  return null;
}
