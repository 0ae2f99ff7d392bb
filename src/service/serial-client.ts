import { Client } from 'pg';

/** A pg Client whose promise-style queries wait for each other here rather than in pg's own queue. */
interface QueuedClient extends Client {
  queryTail?: Promise<void> | undefined;
}

/** pg's own query, looked up on each call (not captured once), so a spy placed on Client.prototype sees every call. */
function baseQuery(client: Client, args: unknown[]): unknown {
  return (Client.prototype.query as (this: Client, ...args: unknown[]) => unknown).apply(client, args);
}

function isSubmittable(config: unknown): boolean {
  return typeof config === 'object' && config !== null && typeof (config as { submit?: unknown }).submit === 'function';
}

/**
 * pg's Client with one change: a promise-style query started while another runs on the same connection waits
 * for it in this class, instead of in pg's client-level queue, which pg has deprecated (it prints a
 * DeprecationWarning) and will remove in pg 9. The library's own statements never overlap on a connection (a
 * unit of work queues them itself), but TypeORM's schema builder and migrations run several queries of one
 * QueryRunner with Promise.all. Callback-style and streaming queries (the pool's own) pass straight through.
 *
 * ```ts
 * new Pool({ connectionString, Client: SerialClient });
 * ```
 */
export class SerialClient extends Client {}

(SerialClient.prototype as { query: unknown }).query = function query(this: QueuedClient, ...args: unknown[]): unknown {
  if (isSubmittable(args[0]) || typeof args[args.length - 1] === 'function') return baseQuery(this, args);
  const run = (): Promise<unknown> => baseQuery(this, args) as Promise<unknown>;
  const previous = this.queryTail;
  const result = previous === undefined ? run() : previous.then(run);
  const settled = result.then(
    () => undefined,
    () => undefined,
  );
  this.queryTail = settled;
  void settled.then(() => {
    if (this.queryTail === settled) this.queryTail = undefined;
  });
  return result;
};
