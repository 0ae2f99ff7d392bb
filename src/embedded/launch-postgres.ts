import { ChildProcess } from 'node:child_process';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { checkDataDir } from './check-data-dir';
import { checkPostgresUserAccess } from './check-postgres-user-access';
import { loadEmbeddedPostgres } from './load-embedded-postgres';
import type { LogTail } from './log-tail';
import { stopPostmaster } from './stop-postmaster';

/** Where and how to run a new server. */
export interface LaunchOptions {
  readonly dataDir: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly log: LogTail;
}

/** A postgres server this process started as its child. */
export interface LaunchedPostgres {
  readonly pid: number;
  /** Stops the server and resolves once it has exited. */
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 60_000;

/**
 * Initialises `dataDir` when it holds no cluster yet, then starts postgres on 127.0.0.1:`port` through
 * embedded-postgres. The child does not keep Node alive: a process that ends normally stops it on exit.
 * @throws EmbeddedServerError for a data directory it could never use (see checkDataDir); otherwise whatever initdb, the file system or embedded-postgres raised (`undefined` when postgres exited early)
 */
export async function launchPostgres(options: LaunchOptions): Promise<LaunchedPostgres> {
  await checkDataDir(options.dataDir);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const instance = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: options.user,
    password: options.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // postgres refuses to run as root; embedded-postgres then runs it as (and chowns the data dir to) `postgres`.
    createPostgresUser: process.getuid?.() === 0,
    // UTF8 whatever the host locale (a bare container would give SQL_ASCII); the builtin provider needs no OS locales.
    initdbFlags: ['--encoding=UTF8', '--locale=C', '--locale-provider=builtin', '--builtin-locale=C.UTF-8'],
    // Loopback only, and no unix socket that could clash with a system server's /var/run/postgresql.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message) => options.log.push(message),
    onError: (error) => options.log.push(error instanceof Error ? error.message : String(error)),
  });

  await mkdir(path.dirname(options.dataDir), { recursive: true });
  if (process.getuid?.() === 0) await checkPostgresUserAccess(options.dataDir);
  if (!(await holdsCluster(options.dataDir))) await instance.initialise();
  await startWithin(instance, STARTUP_TIMEOUT_MS);

  const child = serverProcessOf(instance);
  const pid = child.pid ?? 0;
  // embedded-postgres waits for an 'exit' event in stop(), which never comes again once the child is gone.
  child.once('exit', () => Reflect.set(instance, 'process', undefined));
  setReferenced(child, false);
  return {
    pid,
    async stop() {
      // Once the child has exited its pid may belong to another process: never signal it then.
      if (hasExited(child)) return;
      child.ref();
      const stopping = instance.stop();
      await stopPostmaster(pid);
      await stopping;
    },
  };
}

async function holdsCluster(dataDir: string): Promise<boolean> {
  try {
    await stat(path.join(dataDir, 'PG_VERSION'));
    return true;
  } catch (e: unknown) {
    if (hasCode(e, 'ENOENT') || hasCode(e, 'ENOTDIR')) return false;
    throw e;
  }
}

async function startWithin(instance: Startable, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no "ready to accept connections" after ${timeoutMs / 1000} s`)), timeoutMs);
  });
  try {
    await Promise.race([instance.start(), timeout]);
  } catch (e: unknown) {
    await discard(instance);
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

interface Startable {
  start(): Promise<void>;
  stop(): Promise<void>;
}

// After a failed start: stop a server that is still running, and make embedded-postgres forget one that exited
// (its stop() would otherwise wait forever for an 'exit' event, also in its own exit hook).
async function discard(instance: Startable): Promise<void> {
  const child: unknown = Reflect.get(instance, 'process');
  if (!(child instanceof ChildProcess) || child.pid === undefined || hasExited(child)) {
    Reflect.set(instance, 'process', undefined);
    return;
  }
  const stopping = instance.stop();
  await stopPostmaster(child.pid);
  await stopping;
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function serverProcessOf(instance: object): ChildProcess {
  // `process` is private in embedded-postgres' typings; it is the postgres child we need to unref and signal.
  const child: unknown = Reflect.get(instance, 'process');
  if (!(child instanceof ChildProcess) || child.pid === undefined) {
    throw new Error('embedded-postgres did not expose the server process it started');
  }
  return child;
}

function setReferenced(child: ChildProcess, referenced: boolean): void {
  for (const handle of [child, child.stdin, child.stdout, child.stderr]) {
    if (!isRefCounted(handle)) continue;
    if (referenced) handle.ref();
    else handle.unref();
  }
}

function isRefCounted(handle: unknown): handle is { ref(): void; unref(): void } {
  return (
    typeof handle === 'object' &&
    handle !== null &&
    'ref' in handle &&
    typeof handle.ref === 'function' &&
    'unref' in handle &&
    typeof handle.unref === 'function'
  );
}

function hasCode(e: unknown, code: string): boolean {
  return typeof e === 'object' && e !== null && 'code' in e && e.code === code;
}
