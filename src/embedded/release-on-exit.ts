import { otherUsers, unregisterUser } from './server-users';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** The servers this process uses, by data dir, with the current postmaster pid of each. */
const held = new Map<string, () => number>();
let hooked = false;

/**
 * Lets go of the server in `dataDir` when this process ends without stopping its handles: on exit, and on
 * SIGINT, SIGTERM or SIGHUP when nothing else in the program listens for that signal (the signal's default
 * action then still ends the process, with the signal as its status). Letting go means: leave the users, and
 * when no other live process uses the server, ask it to shut down (SIGINT: a fast, clean shutdown).
 * A program that handles those signals itself lets go through its own exit. Returns the function that cancels this.
 */
export function releaseOnExit(dataDir: string, pidOf: () => number): () => void {
  if (!hooked) {
    hooked = true;
    // 'exit' listeners must be synchronous, and so is everything here.
    process.on('exit', releaseAll);
    for (const signal of SIGNALS) process.on(signal, onSignal);
  }
  held.set(dataDir, pidOf);
  return () => held.delete(dataDir);
}

function releaseAll(): void {
  for (const [dataDir, pidOf] of held) {
    try {
      unregisterUser(dataDir);
      if (otherUsers(dataDir).length === 0) process.kill(pidOf(), 'SIGINT');
    } catch {
      // Already gone, or the data dir went away: nothing left to release.
    }
  }
  held.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return;
  releaseAll();
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  process.kill(process.pid, signal);
}
