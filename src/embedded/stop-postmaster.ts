import { findProcess } from './process-inspection';

/** How long stopPostmaster waits after each signal before it escalates. */
export interface StopTimeouts {
  /** After SIGINT (fast shutdown: ends sessions, writes a checkpoint). */
  readonly fastMs: number;
  /** After SIGQUIT (immediate shutdown: the next start replays the WAL, committed data is kept). */
  readonly immediateMs: number;
  /** After SIGKILL. */
  readonly killMs: number;
}

const DEFAULT_TIMEOUTS: StopTimeouts = { fastMs: 30_000, immediateMs: 5_000, killMs: 5_000 };

/**
 * Stops the postmaster `pid` and resolves once it has exited: SIGINT, then SIGQUIT and SIGKILL if it lingers.
 * @throws Error when the process survives SIGKILL
 */
export async function stopPostmaster(pid: number, timeouts: StopTimeouts = DEFAULT_TIMEOUTS): Promise<void> {
  const steps: ReadonlyArray<readonly [NodeJS.Signals, number]> = [
    ['SIGINT', timeouts.fastMs],
    ['SIGQUIT', timeouts.immediateMs],
    ['SIGKILL', timeouts.killMs],
  ];
  for (const [signal, waitMs] of steps) {
    if (!(await isRunning(pid))) return;
    try {
      process.kill(pid, signal);
    } catch {
      return;
    }
    if (await waitForExit(pid, waitMs)) return;
  }
  throw new Error(`PostgreSQL server process ${pid} did not exit, even after SIGKILL`);
}

/** Resolves true once `pid` has exited (a zombie counts as exited), false after `timeoutMs`. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (await isRunning(pid)) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return true;
}

async function isRunning(pid: number): Promise<boolean> {
  return (await findProcess(pid)) !== null;
}
