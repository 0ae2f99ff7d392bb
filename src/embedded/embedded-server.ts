import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkDataDir } from './check-data-dir';
import { EmbeddedServerError } from './embedded-server-error';
import { findRunningPostmaster, type RunningPostmaster } from './find-running-postmaster';
import { preferredPort } from './server-port';
import { launchPostgres } from './launch-postgres';
import { LogTail } from './log-tail';
import { findProcess, isRunningSync } from './process-inspection';
import { releaseOnExit } from './release-on-exit';
import { otherUsers, registerUser, unregisterUser } from './server-users';
import { withStartLock } from './start-lock';
import { stopPostmaster, waitForExit } from './stop-postmaster';
import { waitForServer } from './wait-for-server';

/** Where the embedded server keeps its data, and who hears its log. */
export interface EmbeddedServerOptions {
  /** The cluster's directory, created and initialised on first use; relative paths resolve against the cwd. */
  dataDir: string;
  /** Receives each line the server logs while this call starts it (it also logs to `<dataDir>/tux-server.log`). */
  onLog?: ((line: string) => void) | undefined;
}

/** A PostgreSQL server on 127.0.0.1, shared by every user of its data directory in this and other processes. */
export interface EmbeddedServer {
  /** `postgres://postgres:…@127.0.0.1:<port>/postgres`, the superuser on the maintenance database. */
  readonly url: string;
  readonly port: number;
  /** The absolute data directory. */
  readonly dataDir: string;
  /** False from the moment the server process is found dead until the supervisor has it running again. */
  isRunning(): boolean;
  /** Lets go of the server; the last user across all processes stops it. Safe to call more than once. */
  stop(): Promise<void>;
}

const USER = 'postgres';
// The server only listens on loopback; the password just keeps other local users out of casual reach.
const PASSWORD = 'postgres';
// How long a server found running may take to accept connections (it may still be replaying its WAL).
const ATTACH_TIMEOUT_MS = 15_000;
/** How often a user checks that the server process still runs. */
const WATCH_INTERVAL_MS = 200;
/** Restart attempts back off exponentially from the first delay up to the cap, with jitter. */
const RESTART_FIRST_DELAY_MS = 100;
const RESTART_MAX_DELAY_MS = 5_000;

const servers = new Map<string, Promise<SharedServer>>();
const stops = new Map<string, Promise<void>>();

/**
 * Starts PostgreSQL on `options.dataDir` (initialising it on first use), or attaches to the server already
 * running there, and returns a handle to it. Every handle on one directory shares one server, in this process
 * (reference-counted) and across processes (each using process is registered in the data dir): the server
 * stops when the last handle anywhere is stopped, or when the last using process exits. A start lock beside
 * the directory serialises starts, so processes starting at once all succeed and exactly one runs initdb.
 * While any handle is held the server is supervised: if it dies, it is restarted on the same port with
 * bounded, jittered backoff, and `isRunning()` says false meanwhile.
 * @throws EmbeddedServerError quoting the server's last log lines when it cannot start
 * @example
 * const server = await startEmbeddedServer({ dataDir: '.tux-db' });
 * await ensureDatabase(server.url, 'tux');
 * await server.stop();
 */
export async function startEmbeddedServer(options: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const dataDir = path.resolve(options.dataDir);
  let shared = servers.get(dataDir);
  if (!shared) {
    const stopping = stops.get(dataDir)?.catch(() => undefined);
    const opening = (async () => {
      await stopping;
      return SharedServer.open(dataDir, new LogTail(options.onLog));
    })();
    shared = opening;
    servers.set(dataDir, opening);
    opening.catch(() => {
      if (servers.get(dataDir) === opening) servers.delete(dataDir);
    });
  }
  return (await shared).acquire();
}

/** The postmaster serving one data directory, and this process's references to it. */
class SharedServer {
  private references = 0;
  private running = true;
  private released = false;
  private supervising: Promise<void> | undefined;
  private readonly watch: NodeJS.Timeout;
  private readonly forgetOnExit: () => void;

  private constructor(
    readonly dataDir: string,
    readonly port: number,
    private pid: number,
    private readonly log: LogTail,
  ) {
    this.watch = setInterval(() => this.check(), WATCH_INTERVAL_MS);
    // Supervision must not keep a finished program alive.
    this.watch.unref();
    this.forgetOnExit = releaseOnExit(dataDir, () => this.pid);
  }

  static async open(dataDir: string, log: LogTail): Promise<SharedServer> {
    try {
      // Before the lock, which lives beside the directory: an unusable path fails with its own clear message.
      await checkDataDir(dataDir);
      await mkdir(path.dirname(dataDir), { recursive: true });
      const { port, pid } = await withStartLock(dataDir, async () => {
        const server = await attachOrLaunch(dataDir, undefined, log);
        // From here an exit lets go of the server (stopping it when no other process uses it), as after open();
        // the SharedServer takes the hook over with its own pid, which a restart may change.
        releaseOnExit(dataDir, () => server.pid);
        registerUser(dataDir);
        return server;
      });
      return new SharedServer(dataDir, port, pid, log);
    } catch (e: unknown) {
      throw asStartError(dataDir, e, log);
    }
  }

  acquire(): EmbeddedServer {
    this.references++;
    let stopping: Promise<void> | undefined;
    return {
      url: serverUrl(this.port),
      port: this.port,
      dataDir: this.dataDir,
      isRunning: () => this.isRunning(),
      stop: () => (stopping ??= this.releaseOne()),
    };
  }

  isRunning(): boolean {
    return this.running && isRunningSync(this.pid);
  }

  private async releaseOne(): Promise<void> {
    this.references--;
    if (this.references > 0) return;
    this.released = true;
    clearInterval(this.watch);
    // Later starts in this process wait for this release, then open afresh.
    servers.delete(this.dataDir);
    const released = this.releaseServer();
    stops.set(this.dataDir, released);
    try {
      await released;
    } finally {
      if (stops.get(this.dataDir) === released) stops.delete(this.dataDir);
    }
  }

  // Under the start lock, so no other process attaches between the count of users and the stop.
  private async releaseServer(): Promise<void> {
    await this.supervising;
    this.forgetOnExit();
    await withStartLock(this.dataDir, async () => {
      unregisterUser(this.dataDir);
      if (otherUsers(this.dataDir).length > 0) return;
      const running = await findRunningPostmaster(this.dataDir);
      if (running) await stopPostmaster(running.pid);
    });
  }

  private check(): void {
    if (this.released || this.supervising || isRunningSync(this.pid)) return;
    this.running = false;
    this.supervising = this.restart().finally(() => {
      this.supervising = undefined;
    });
  }

  // Another user may restart it first: attachOrLaunch then attaches. Committed data survives: a restart
  // after a crash replays the WAL.
  private async restart(): Promise<void> {
    for (let attempt = 0; !this.released; attempt++) {
      try {
        const { port, pid } = await withStartLock(this.dataDir, () => attachOrLaunch(this.dataDir, this.port, this.log));
        if (port !== this.port) {
          throw new EmbeddedServerError(`The server in ${this.dataDir} came back on port ${port}, not ${this.port}; this process must reconnect`, this.dataDir);
        }
        this.pid = pid;
        this.running = true;
        return;
      } catch {
        const delay = Math.min(RESTART_MAX_DELAY_MS, RESTART_FIRST_DELAY_MS * 2 ** attempt);
        await sleep(delay / 2 + Math.random() * (delay / 2));
      }
    }
  }
}

/**
 * Attaches to the server running on `dataDir`, or launches one: on `port` when given (a restart keeps the
 * port every user's connections point at), else on the port last used there when it is free.
 */
async function attachOrLaunch(dataDir: string, port: number | undefined, log: LogTail): Promise<{ port: number; pid: number }> {
  const running = await findRunningPostmaster(dataDir);
  const attached = running ? await attach(dataDir, running) : null;
  if (attached) return attached;
  const chosen = port === undefined ? await preferredPort(dataDir) : { port, remember: async () => undefined };
  const launched = await launchPostgres({ dataDir, port: chosen.port, user: USER, password: PASSWORD, log });
  // Held from the moment launchPostgres lets go of it (see SharedServer.open).
  releaseOnExit(dataDir, () => launched.pid);
  await chosen.remember();
  return { port: chosen.port, pid: launched.pid };
}

// Returns null when the server found is on its way out, or was an unresponsive leftover nobody uses (stopped here).
async function attach(dataDir: string, running: RunningPostmaster): Promise<{ port: number; pid: number } | null> {
  if (running.status === 'stopping') {
    if (await waitForExit(running.pid, ATTACH_TIMEOUT_MS)) return null;
    throw new EmbeddedServerError(`The PostgreSQL server ${running.pid} in ${dataDir} is shutting down but did not exit within ${ATTACH_TIMEOUT_MS / 1000} s`, dataDir);
  }
  if (await waitForServer(serverUrl(running.port), running.pid, ATTACH_TIMEOUT_MS)) return { port: running.port, pid: running.pid };
  if ((await findProcess(running.pid)) === null) return null;
  if (otherUsers(dataDir).length > 0) {
    throw new EmbeddedServerError(
      `The PostgreSQL server ${running.pid} in ${dataDir} is in use by other processes but does not accept connections on port ${running.port}`,
      dataDir,
    );
  }
  // A leftover that does not answer (or that we cannot log in to) is stopped; its committed data is on disk.
  await stopPostmaster(running.pid);
  return null;
}

function asStartError(dataDir: string, e: unknown, log: LogTail): EmbeddedServerError {
  if (e instanceof EmbeddedServerError) return e;
  return EmbeddedServerError.startFailed(dataDir, e, log.lines(), rootPermissionHint(e, log.lines()));
}

function rootPermissionHint(cause: unknown, logLines: ReadonlyArray<string>): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const text = [cause instanceof Error ? cause.message : '', ...logLines].join('\n');
  if (!/Permission denied/.test(text)) return undefined;
  return 'As root, PostgreSQL runs as the OS user "postgres", which needs search (x) permission on every parent directory of the data directory.';
}

function serverUrl(port: number): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
}
