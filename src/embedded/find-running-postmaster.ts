import { readPostmasterPidFile, removePostmasterPidFile } from './postmaster-pid-file';
import { findProcess, worksInDirectory } from './process-inspection';

/** A live postmaster serving a data directory, found through its postmaster.pid. */
export interface RunningPostmaster {
  readonly pid: number;
  readonly port: number;
  readonly status: string;
}

/**
 * Finds the live postmaster serving `dataDir`. When postmaster.pid names a dead process, a zombie or an
 * unrelated one, deletes that stale file and returns null, so a fresh start is not refused.
 */
export async function findRunningPostmaster(dataDir: string): Promise<RunningPostmaster | null> {
  const pidFile = await readPostmasterPidFile(dataDir);
  if (!pidFile) return null;
  const info = await findProcess(pidFile.pid);
  if (!info || !/postgres/.test(info.command) || !(await worksInDirectory(info, dataDir))) {
    await removePostmasterPidFile(dataDir);
    return null;
  }
  return { pid: pidFile.pid, port: pidFile.port, status: pidFile.status };
}
