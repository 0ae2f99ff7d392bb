import type { PoolClient } from 'pg';

/**
 * The pooled connection of one unit of work, from checkout to release. It listens for connection errors while
 * the unit holds it (pg emits them on idle checked-out clients, and an unheard one would crash the process),
 * and it goes back to the pool only in a known state: a connection that failed, or whose transaction could not
 * be rolled back, is destroyed instead.
 */
export class UnitConnection {
  private released = false;
  private error: unknown;
  private readonly onError = (e: unknown): void => {
    this.error ??= e;
  };

  constructor(
    readonly client: PoolClient,
    private readonly onRelease: (connection: UnitConnection) => void,
  ) {
    client.on('error', this.onError);
  }

  /** True once the connection reported an error: its state is unknown, so it must not be pooled again. */
  failed(): boolean {
    return this.error !== undefined;
  }

  /** Returns the connection to the pool, or destroys it when `broken` is given or it failed. Only the first call counts. */
  release(broken?: unknown): void {
    if (this.released) return;
    this.released = true;
    this.onRelease(this);
    const reason = broken ?? this.error;
    if (reason === undefined) {
      this.client.removeListener('error', this.onError);
      this.client.release();
    } else {
      // The listener stays: a destroyed connection may still report its end.
      this.client.release(reason instanceof Error ? reason : new Error(String(reason)));
    }
  }
}
