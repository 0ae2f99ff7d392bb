import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

// Kept inside the data dir (postgres ignores unknown files there) so it travels with the cluster.
const OWNER_FILE = 'tux-embedded-owner.pid';

/** Records this process as the one that started the server in `dataDir` (and will stop it). */
export async function writeServerOwner(dataDir: string): Promise<void> {
  await writeFile(path.join(dataDir, OWNER_FILE), `${process.pid}\n`);
}

/** The pid of the process that last started a server in `dataDir`, or null when unknown. */
export async function readServerOwner(dataDir: string): Promise<number | null> {
  try {
    const pid = Number((await readFile(path.join(dataDir, OWNER_FILE), 'utf8')).trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}
