import { link, open, readFile, rename, rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { EmbeddedServerError } from './embedded-server-error';
import { findProcess } from './process-inspection';
import { thrownText } from '../errors/thrown-text';

/** How long a process waits for another one's start, stop or restart of the same server before giving up. */
const LOCK_TIMEOUT_MS = 120_000;
const POLL_MS = 25;

/** The lock file of `dataDir`: beside it, because initdb wants the directory itself empty. */
export function startLockPath(dataDir: string): string {
  return `${dataDir}.lock`;
}

/**
 * Runs `work` while this process holds the start lock of `dataDir`, so that across processes one at a time
 * initialises, starts, attaches to, restarts or stops its server (exactly one runs initdb, and a stop never
 * races an attach). The lock is a file created with O_EXCL holding the holder's pid; a file whose holder died
 * (SIGKILL mid-start) is taken over.
 * @throws EmbeddedServerError when another live process holds the lock for LOCK_TIMEOUT_MS
 * @example
 * await withStartLock('/srv/bot/.tux-db', async () => launchOrAttach());
 */
export async function withStartLock<T>(dataDir: string, work: () => Promise<T>): Promise<T> {
  const file = startLockPath(dataDir);
  await acquire(file, dataDir);
  try {
    return await work();
  } finally {
    await rm(file, { force: true });
  }
}

async function acquire(file: string, dataDir: string): Promise<void> {
  const deadline = Date.now() + LOCK_TIMEOUT_MS;
  for (;;) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return;
    } catch (e: unknown) {
      if (!hasCode(e, 'EEXIST')) {
        throw new EmbeddedServerError(`Cannot create the start lock ${file}: ${thrownText(e)}`, dataDir, { cause: e });
      }
    }
    const holder = await readHolder(file);
    if (holder === process.pid) {
      throw new EmbeddedServerError(`The start lock ${file} is already held by this process (a start inside a start)`, dataDir);
    }
    // No pid yet means the holder is between creating and writing the file: wait like for any live holder.
    if (holder !== null && (await findProcess(holder)) === null) await takeOverStale(file, holder);
    else if (Date.now() >= deadline) {
      throw new EmbeddedServerError(
        `Another process (${holder ?? 'unknown'}) has held the start lock ${file} for over ${LOCK_TIMEOUT_MS / 1000} s; if no process is starting the server, delete that file`,
        dataDir,
      );
    } else await sleep(POLL_MS + Math.random() * POLL_MS);
  }
}

async function readHolder(file: string): Promise<number | null> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

// Renaming first means two processes that both found the same dead holder cannot both delete: the second
// rename fails (ENOENT), or moves the file a live holder created meanwhile, which the content check puts back
// (link, so it never replaces a lock a third process created in between).
async function takeOverStale(file: string, deadHolder: number): Promise<void> {
  const aside = `${file}.${process.pid}.stale`;
  try {
    await rename(file, aside);
  } catch {
    return;
  }
  const moved = await readHolder(aside);
  if (moved === deadHolder) await rm(aside, { force: true });
  else {
    await link(aside, file).catch(() => undefined);
    await rm(aside, { force: true });
  }
}

function hasCode(e: unknown, code: string): boolean {
  return typeof e === 'object' && e !== null && 'code' in e && e.code === code;
}
