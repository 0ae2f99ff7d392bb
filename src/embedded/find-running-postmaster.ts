import { readPostmasterPidFile, removePostmasterPidFile } from './postmaster-pid-file';
import { findProcess, worksInDirectory } from './process-inspection';
import { readServerOwner } from './server-owner-file';

/** A live postmaster serving a data directory, found through its postmaster.pid. */
export interface RunningPostmaster {
  readonly pid: number;
  readonly port: number;
  readonly status: string;
  /** The process that started it (maybe this one, through another copy of the library) still runs and will stop it; false for an orphan. */
  readonly ownerAlive: boolean;
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
  // A process killed with SIGKILL leaves its postmaster reparented, so the recorded owner is no longer its parent.
  const owner = await readServerOwner(dataDir);
  const ownerAlive = owner !== null && owner === info.parentPid;
  return { pid: pidFile.pid, port: pidFile.port, status: pidFile.status, ownerAlive };
}
