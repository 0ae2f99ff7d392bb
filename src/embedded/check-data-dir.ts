import type { Stats } from 'node:fs';
import { access, constants, realpath, stat, statfs } from 'node:fs/promises';
import path from 'node:path';
import { EmbeddedServerError } from './embedded-server-error';

// statfs(2) f_type of the kernel's virtual file systems (linux/magic.h): they hold no files of ours, and Node's
// recursive mkdir spins forever under /proc instead of failing.
const VIRTUAL_FILE_SYSTEMS: ReadonlyMap<number, string> = new Map([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
]);

/** The data directory itself or its nearest ancestor that exists, with what stat says about it. */
interface ExistingPart {
  readonly path: string;
  readonly stats: Stats;
}

async function nearestExisting(dir: string): Promise<ExistingPart> {
  for (let current = dir; ; current = path.dirname(current)) {
    const stats = await stat(current).catch((e: unknown) => {
      // ENOTDIR: a component above is a file; walking up finds it.
      if (hasCode(e, 'ENOENT') || hasCode(e, 'ENOTDIR')) return undefined;
      throw e;
    });
    if (stats !== undefined) return { path: current, stats };
    if (path.dirname(current) === current) throw new Error(`no part of ${dir} exists, not even /`);
  }
}

/**
 * Refuses, in milliseconds and before anything is created, a data directory the embedded server could never
 * use: one under /proc or /sys (where a recursive mkdir never returns), a regular file or a path below one, a
 * directory this process cannot write to, and one on a read-only mount. Changes nothing itself.
 * @throws EmbeddedServerError naming the path, what is wrong with it and what to do instead.
 * @example
 * await checkDataDir('/srv/bot/.tux-db');
 */
export async function checkDataDir(dataDir: string): Promise<void> {
  const target = path.resolve(dataDir);
  const existing = await nearestExisting(target);
  const instead = 'Choose another data directory (dataDir / TUX_DB_DATA_DIR) or set DATABASE_URL.';
  const fail = (problem: string, todo = instead): never => {
    throw new EmbeddedServerError(`The embedded PostgreSQL data directory ${dataDir} ${problem}. ${todo}`, dataDir);
  };
  if (!existing.stats.isDirectory()) {
    fail(existing.path === target ? 'is a file, not a directory' : `cannot be created: ${existing.path} is a file, not a directory`);
  }
  const real = await realpath(existing.path);
  const fileSystem = VIRTUAL_FILE_SYSTEMS.get((await statfs(real)).type);
  if (fileSystem !== undefined) {
    fail(`is on the kernel's virtual ${fileSystem} file system (${real}), which cannot hold a database`);
  }
  const where = existing.path === target ? '' : ` (its nearest existing parent ${existing.path})`;
  try {
    await access(existing.path, constants.W_OK | constants.X_OK);
  } catch (e: unknown) {
    if (hasCode(e, 'EROFS')) fail(`is on a read-only mount${where}`);
    if (hasCode(e, 'EACCES') || hasCode(e, 'EPERM')) fail(`is not writable by this process${where}`, 'Make it writable, choose another data directory (dataDir / TUX_DB_DATA_DIR) or set DATABASE_URL.');
    throw e;
  }
}

function hasCode(e: unknown, code: string): boolean {
  return typeof e === 'object' && e !== null && 'code' in e && e.code === code;
}
