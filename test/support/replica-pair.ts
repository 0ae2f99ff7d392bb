import { spawn } from 'node:child_process';
import { chmod, chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { findFreePort } from '../../src/embedded/free-port';
import { stopPostmaster } from '../../src/embedded/stop-postmaster';

/** Where this machine kind keeps the PostgreSQL binaries for extra clusters (CI has the same). */
export const PG_BIN = process.env['TUX_TEST_PG_BIN'] ?? '/usr/lib/postgresql/15/bin';

/** A primary and a streaming-replication standby of it, both private to one spec, on loopback with trust auth. */
export interface ReplicaPair {
  readonly primaryUrl: string;
  readonly standbyUrl: string;
  /** Stops the standby (fast shutdown: its connections are cut), keeping its data. */
  stopStandby(): Promise<void>;
  /** Starts the stopped standby again on the same port; it resumes streaming from the primary. */
  startStandby(): Promise<void>;
  /** Stops both servers and deletes their data. */
  remove(): Promise<void>;
}

// As root the servers run as the OS user postgres (PostgreSQL refuses root).
async function asPostgres(): Promise<{ uid: number; gid: number } | Record<string, never>> {
  if (process.getuid?.() !== 0) return {};
  const fields = (await readFile('/etc/passwd', 'utf8')).split('\n').find((l) => l.startsWith('postgres:'))?.split(':');
  if (!fields) throw new Error('running as root needs the OS user postgres');
  return { uid: Number(fields[2]), gid: Number(fields[3]) };
}

function run(command: string, args: string[], ids: object): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(PG_BIN, command), args, { ...ids, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}: ${stderr}`))));
  });
}

async function startServer(dataDir: string, port: number, ids: object, settings: ReadonlyArray<string> = []): Promise<number> {
  const options = ['listen_addresses=127.0.0.1', 'unix_socket_directories=', ...settings].flatMap((s) => ['-c', s]);
  const child = spawn(path.join(PG_BIN, 'postgres'), ['-D', dataDir, '-p', String(port), ...options], {
    ...ids,
    stdio: 'ignore',
    detached: true,
  });
  child.unref();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  for (let i = 0; i < 600; i++) {
    const client = new Client({ connectionString: url });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.end();
      return child.pid ?? 0;
    } catch {
      await client.end().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`the server in ${dataDir} did not accept connections`);
}

/** Whether the binaries for extra clusters are on this machine. */
export async function replicaBinariesAvailable(): Promise<boolean> {
  return readFile(path.join(PG_BIN, 'pg_basebackup')).then(
    () => true,
    () => false,
  );
}

/**
 * Creates a primary (initdb) and a standby of it (pg_basebackup -R, streaming), starts both, and returns their URLs.
 * `standbySettings` are `name=value` server settings for the standby (`max_standby_streaming_delay=0`, say).
 * @example
 * const pair = await startReplicaPair();
 * // … pair.primaryUrl, pair.standbyUrl …
 * await pair.remove();
 */
export async function startReplicaPair(standbySettings: ReadonlyArray<string> = []): Promise<ReplicaPair> {
  const ids = await asPostgres();
  const root = await mkdtemp(path.join(os.tmpdir(), 'tux-replica-'));
  await chmod(root, 0o755);
  if ('uid' in ids) await chown(root, ids.uid, ids.gid);
  const primaryDir = path.join(root, 'primary');
  const standbyDir = path.join(root, 'standby');
  const pids: number[] = [];
  const remove = async (): Promise<void> => {
    for (const pid of pids.reverse()) await stopPostmaster(pid).catch(() => undefined);
    await rm(root, { recursive: true, force: true });
  };
  try {
    await run('initdb', ['-D', primaryDir, '-U', 'postgres', '--auth=trust', '--no-sync'], ids);
    const primaryPort = await findFreePort();
    pids.push(await startServer(primaryDir, primaryPort, ids));
    await run('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'postgres', '-D', standbyDir, '-R', '-X', 'stream', '--no-sync'], ids);
    const standbyPort = await findFreePort();
    let standbyPid = await startServer(standbyDir, standbyPort, ids, standbySettings);
    pids.push(standbyPid);
    return {
      primaryUrl: `postgres://postgres@127.0.0.1:${primaryPort}/postgres`,
      standbyUrl: `postgres://postgres@127.0.0.1:${standbyPort}/postgres`,
      stopStandby: async () => {
        await stopPostmaster(standbyPid);
        pids.splice(pids.indexOf(standbyPid), 1);
      },
      startStandby: async () => {
        standbyPid = await startServer(standbyDir, standbyPort, ids, standbySettings);
        pids.push(standbyPid);
      },
      remove,
    };
  } catch (e) {
    await remove();
    throw e;
  }
}
