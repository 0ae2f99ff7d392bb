import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// One empty file per process using the server, named by its pid, inside the data dir (postgres ignores it).
// Plain synchronous calls: the release on process exit must work from an 'exit' listener, and these are tiny.
const USERS_DIR = 'tux-users';

/** Records this process as a user of the server in `dataDir`. */
export function registerUser(dataDir: string): void {
  const dir = path.join(dataDir, USERS_DIR);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, String(process.pid)), '');
}

/** Removes this process from the users of the server in `dataDir`. */
export function unregisterUser(dataDir: string): void {
  rmSync(path.join(dataDir, USERS_DIR, String(process.pid)), { force: true });
}

/**
 * The pids of the other live processes using the server in `dataDir`. Entries of processes that died without
 * letting go (SIGKILL) are removed on the way, so they never keep a server running.
 */
export function otherUsers(dataDir: string): number[] {
  const dir = path.join(dataDir, USERS_DIR);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const alive: number[] = [];
  for (const name of names) {
    const pid = Number(name);
    if (pid === process.pid) continue;
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) alive.push(pid);
    else rmSync(path.join(dir, name), { force: true });
  }
  return alive;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e: unknown) {
    // EPERM: alive, but another OS user's.
    return typeof e === 'object' && e !== null && 'code' in e && e.code === 'EPERM';
  }
}
