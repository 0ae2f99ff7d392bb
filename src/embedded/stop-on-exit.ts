const pids = new Set<number>();
let hooked = false;

/**
 * Sends SIGINT to server `pid` when this Node process exits, so the server shuts down cleanly on its own;
 * returns the function that cancels this.
 */
export function stopOnExit(pid: number): () => void {
  if (!hooked) {
    hooked = true;
    // 'exit' listeners must be synchronous: signalling is all that can be done, the server does the rest.
    process.on('exit', () => {
      for (const target of pids) {
        try {
          process.kill(target, 'SIGINT');
        } catch {
          // Already gone.
        }
      }
    });
  }
  pids.add(pid);
  return () => pids.delete(pid);
}
