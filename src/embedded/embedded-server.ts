import path from 'node:path';
import { EmbeddedServerError } from './embedded-server-error';
import { findRunningPostmaster, type RunningPostmaster } from './find-running-postmaster';
import { findFreePort } from './free-port';
import { launchPostgres } from './launch-postgres';
import { LogTail } from './log-tail';
import { findProcess } from './process-inspection';
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
const stops = new Map<string, Promise<void>>();

/**
 * Starts PostgreSQL on `options.dataDir` (initialising it on first use) on a free loopback port, or reuses the
 * server already running there: one left behind by a process that was killed (stop() then stops it), or one a
 * live process owns (stop() then only lets go). Calls for the same directory share one server (and the first
 * call's onLog; a reused server's log is not available). The server stops when this process exits.
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
  const stopping = stops.get(dataDir)?.catch(() => undefined);
  const starting = (async () => {
    await stopping;
    return openServer(dataDir, new LogTail(options.onLog));
  })();
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
    throw EmbeddedServerError.startFailed(dataDir, e, log.lines(), rootPermissionHint(e, log.lines()));
  }
}

function rootPermissionHint(cause: unknown, logLines: ReadonlyArray<string>): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const text = [cause instanceof Error ? cause.message : '', ...logLines].join('\n');
  if (!/Permission denied/.test(text)) return undefined;
  return 'As root, PostgreSQL runs as the OS user "postgres", which needs search (x) permission on every parent directory of the data directory.';
}

async function launch(dataDir: string, log: LogTail): Promise<EmbeddedServer> {
  const port = await findFreePort();
  const launched = await launchPostgres({ dataDir, port, user: USER, password: PASSWORD, log });
  const cancelExitStop = stopOnExit(launched.pid);
  // Without the record other processes take the server for an orphan; that costs sharing, not correctness.
  await writeServerOwner(dataDir).catch(() => undefined);
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
  if ((await findProcess(running.pid)) === null) return null;
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
      if (!stopping) {
        const stopped = stopServer();
        stopping = stopped;
        // Later starts for this directory wait for the exit, then start afresh.
        servers.delete(dataDir);
        stops.set(dataDir, stopped);
        void stopped.catch(() => undefined).then(() => {
          if (stops.get(dataDir) === stopped) stops.delete(dataDir);
        });
      }
      return stopping;
    },
  };
}

function serverUrl(port: number): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
}
