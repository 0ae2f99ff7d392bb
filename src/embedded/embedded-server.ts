import path from 'node:path';
import { EmbeddedServerError } from './embedded-server-error';
import { findRunningPostmaster, type RunningPostmaster } from './find-running-postmaster';
import { findFreePort } from './free-port';
import { launchPostgres } from './launch-postgres';
import { LogTail } from './log-tail';
import { writeServerOwner } from './server-owner-file';
import { stopOnExit } from './stop-on-exit';
import { stopPostmaster, waitForExit } from './stop-postmaster';
import { waitForServer } from './wait-for-server';

/** Where the embedded server keeps its data, and who hears its log. */
export interface EmbeddedServerOptions {
  /** The cluster's directory, created and initialised on first use; relative paths resolve against the cwd. */
  dataDir: string;
  /** Receives each line the server logs; by default the log is dropped (failures still quote it). */
  onLog?: (line: string) => void;
}

/** A running PostgreSQL server on 127.0.0.1 that this process started, reuses or shares. */
export interface EmbeddedServer {
  /** `postgres://postgres:…@127.0.0.1:<port>/postgres`, the superuser on the maintenance database. */
  readonly url: string;
  readonly port: number;
  /** The absolute data directory. */
  readonly dataDir: string;
  /** Stops the server (or lets go of one another live process started); safe to call more than once. */
  stop(): Promise<void>;
}

const USER = 'postgres';
// The server only listens on loopback; the password just keeps other local users out of casual reach.
const PASSWORD = 'postgres';
// How long a server found running may take to accept connections (it may still be replaying its WAL).
const REUSE_TIMEOUT_MS = 15_000;
const servers = new Map<string, Promise<EmbeddedServer>>();

/**
 * Starts PostgreSQL on `options.dataDir` (initialising it on first use) on a free loopback port, or reuses the
 * server already running there: one left behind by a process that was killed (stop() then stops it), or one a
 * live process owns (stop() then only lets go). Calls for the same directory share one server. The server
 * stops when this process exits.
 * @throws EmbeddedServerError quoting the server's last log lines when it cannot start
 * @example
 * const server = await startEmbeddedServer({ dataDir: '.tux-db' });
 * await ensureDatabase(server.url, 'tux');
 * await server.stop();
 */
export function startEmbeddedServer(options: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const dataDir = path.resolve(options.dataDir);
  const existing = servers.get(dataDir);
  if (existing) return existing;
  const starting = openServer(dataDir, new LogTail(options.onLog));
  servers.set(dataDir, starting);
  starting.catch(() => {
    if (servers.get(dataDir) === starting) servers.delete(dataDir);
  });
  return starting;
}

async function openServer(dataDir: string, log: LogTail): Promise<EmbeddedServer> {
  try {
    const running = await findRunningPostmaster(dataDir);
    const reused = running ? await reuse(dataDir, running) : null;
    return reused ?? (await launch(dataDir, log));
  } catch (e: unknown) {
    if (e instanceof EmbeddedServerError) throw e;
    throw EmbeddedServerError.startFailed(dataDir, e, log.lines());
  }
}

async function launch(dataDir: string, log: LogTail): Promise<EmbeddedServer> {
  const port = await findFreePort();
  const launched = await launchPostgres({ dataDir, port, user: USER, password: PASSWORD, log });
  await writeServerOwner(dataDir);
  const cancelExitStop = stopOnExit(launched.pid);
  return serverHandle(dataDir, port, async () => {
    await launched.stop();
    cancelExitStop();
  });
}

// Returns null when the found server is on its way out and a fresh one should be started instead.
async function reuse(dataDir: string, running: RunningPostmaster): Promise<EmbeddedServer | null> {
  if (running.status === 'stopping') {
    if (await waitForExit(running.pid, REUSE_TIMEOUT_MS)) return null;
    throw new EmbeddedServerError(
      `The PostgreSQL server ${running.pid} in ${dataDir} is shutting down but did not exit within ${REUSE_TIMEOUT_MS / 1000} s`,
      dataDir,
    );
  }
  const url = serverUrl(running.port);
  if (await waitForServer(url, running.pid, REUSE_TIMEOUT_MS)) {
    if (running.ownerAlive) return serverHandle(dataDir, running.port, async () => undefined);
    const cancelExitStop = stopOnExit(running.pid);
    return serverHandle(dataDir, running.port, async () => {
      await stopPostmaster(running.pid);
      cancelExitStop();
    });
  }
  if (running.ownerAlive) {
    throw new EmbeddedServerError(
      `The PostgreSQL server ${running.pid} in ${dataDir} belongs to another running process but does not accept connections on port ${running.port}`,
      dataDir,
    );
  }
  // An orphan that does not answer (or that we cannot log in to) is stopped; its committed data is on disk.
  await stopPostmaster(running.pid);
  return null;
}

function serverHandle(dataDir: string, port: number, stopServer: () => Promise<void>): EmbeddedServer {
  let stopping: Promise<void> | undefined;
  return {
    url: serverUrl(port),
    port,
    dataDir,
    stop() {
      // The map entry is this server's until its first stop (entries only go away by stopping or failing).
      // Drop it first, so a start racing this stop waits for the exit and starts afresh instead of getting us.
      if (!stopping) {
        servers.delete(dataDir);
        stopping = stopServer();
      }
      return stopping;
    },
  };
}

function serverUrl(port: number): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
}
