import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';

/** What a postmaster records about itself in `<dataDir>/postmaster.pid`. */
export interface PostmasterPidFile {
  readonly pid: number;
  readonly port: number;
  /** 'starting', 'ready', 'stopping' or 'standby'; '' while the server is still writing the file. */
  readonly status: string;
}

/** Reads `<dataDir>/postmaster.pid`; null when there is none or it names no pid. */
export async function readPostmasterPidFile(dataDir: string): Promise<PostmasterPidFile | null> {
  let text: string;
  try {
    text = await readFile(pidFilePath(dataDir), 'utf8');
  } catch {
    return null;
  }
  // Line 1 pid, 2 data dir, 3 start time, 4 port, 5 socket dir, 6 listen address, 7 shmem key, 8 status.
  const lines = text.split('\n').map((line) => line.trim());
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  return { pid, port: Number(lines[3]), status: lines[7] ?? '' };
}

/** Deletes a postmaster.pid whose server is gone: postgres itself refuses to start when its pid is a zombie or was recycled. */
export async function removePostmasterPidFile(dataDir: string): Promise<void> {
  await rm(pidFilePath(dataDir), { force: true });
}

function pidFilePath(dataDir: string): string {
  return path.join(dataDir, 'postmaster.pid');
}
