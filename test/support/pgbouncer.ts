import { spawn } from 'node:child_process';
import { access, chmod, chown, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { findFreePort } from '../../src/embedded/free-port';
import { stopPostmaster } from '../../src/embedded/stop-postmaster';

/** Where Debian's package installs PgBouncer (`apt-get install -y pgbouncer`; `.ci/run` does it in CI). */
export const PGBOUNCER = process.env['TUX_TEST_PGBOUNCER'] ?? '/usr/sbin/pgbouncer';

/** A PgBouncer of one spec's own, in transaction mode, in front of one server. */
export interface Bouncer {
  /** `url` (the server's) with host and port replaced by the bouncer's. */
  readonly url: string;
  stop(): Promise<void>;
}

/** Whether PgBouncer is installed here. */
export async function pgbouncerAvailable(): Promise<boolean> {
  return access(PGBOUNCER).then(
    () => true,
    () => false,
  );
}

/**
 * Starts PgBouncer in transaction mode on a free loopback port in front of the server of `serverUrl`, with
 * `serverPoolSize` server connections per database and user (fewer than the clients, to make it multiplex).
 * @example
 * const bouncer = await startPgBouncer(testDatabaseUrl(), 2);
 * const db = await createDatabase({ url: bouncer.url, behindPooler: true });
 */
export async function startPgBouncer(serverUrl: string, serverPoolSize: number): Promise<Bouncer> {
  const server = new URL(serverUrl);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tux-pgbouncer-'));
  const port = await findFreePort();
  const user = decodeURIComponent(server.username) || 'postgres';
  const password = decodeURIComponent(server.password);
  // The bouncer logs in to the server as the client's user, with that user's password from the auth file (plain
  // text, so it can answer a SCRAM challenge such as the embedded server's; empty under trust).
  const target = `host=${server.hostname} port=${server.port || 5432}`;
  await writeFile(path.join(dir, 'userlist.txt'), `"${user}" "${password}"\n`);
  await writeFile(
    path.join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      `* = ${target}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${path.join(dir, 'userlist.txt')}`,
      'pool_mode = transaction',
      `default_pool_size = ${serverPoolSize}`,
      'max_client_conn = 500',
      `logfile = ${path.join(dir, 'pgbouncer.log')}`,
      `pidfile = ${path.join(dir, 'pgbouncer.pid')}`,
      '',
    ].join('\n'),
  );
  // PgBouncer refuses to run as root: -u switches to the OS user postgres, which must read the files.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const fields = (await readFile('/etc/passwd', 'utf8')).split('\n').find((l) => l.startsWith('postgres:'))?.split(':');
    await chmod(dir, 0o755);
    if (fields) await chown(dir, Number(fields[2]), Number(fields[3]));
  }
  const child = spawn(PGBOUNCER, [...(asRoot ? ['-u', 'postgres'] : []), path.join(dir, 'pgbouncer.ini')], { stdio: 'ignore', detached: true });
  child.unref();
  const url = new URL(serverUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  const stop = async (): Promise<void> => {
    if (child.pid !== undefined) await stopPostmaster(child.pid).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 200; i++) {
    const client = new Client({ connectionString: url.toString(), connectionTimeoutMillis: 2_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return { url: url.toString(), stop };
    } catch {
      await client.end().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const log = await readFile(path.join(dir, 'pgbouncer.log'), 'utf8').catch(() => '');
  await stop();
  throw new Error(`PgBouncer did not accept connections: ${log.slice(-2000)}`);
}
