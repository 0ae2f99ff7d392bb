import { randomBytes } from 'node:crypto';
import { asServerAdmin } from './test-server';

/** A login role of one spec's own, made by createSessionRole. */
export interface SessionRole {
  /** The URL it was made from, logging in as this role instead. */
  readonly url: string;
  /** Ends its sessions and drops it. */
  drop(): Promise<void>;
}

/**
 * Creates a superuser login role whose every session starts with `settings` (`ALTER ROLE … SET`), and returns `url`
 * logging in as it. This is how a session setting reaches every server connection through a transaction pooler too:
 * PgBouncer refuses the `options` startup parameter, and keeps one pool of server connections per user.
 * Setting names and values come from the spec's own constants.
 * @example
 * const kolkata = await createSessionRole(testDatabaseUrl(), { TimeZone: 'Asia/Kolkata' });
 * try { … kolkata.url … } finally { await kolkata.drop(); }
 */
export async function createSessionRole(url: string, settings: Readonly<Record<string, string | number>>): Promise<SessionRole> {
  const name = `tux_session_${process.pid}_${randomBytes(3).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  await asServerAdmin(async (c) => {
    await c.query(`CREATE ROLE "${name}" LOGIN SUPERUSER PASSWORD '${password}'`);
    for (const [setting, value] of Object.entries(settings)) await c.query(`ALTER ROLE "${name}" SET "${setting}" = ${c.escapeLiteral(String(value))}`);
  });
  const asRole = new URL(url);
  asRole.username = name;
  asRole.password = password;
  return {
    url: asRole.toString(),
    drop: () =>
      asServerAdmin(async (c) => {
        // A pooler keeps the role's server connections open after its clients left.
        await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1', [name]);
        await c.query(`DROP ROLE IF EXISTS "${name}"`);
      }),
  };
}
