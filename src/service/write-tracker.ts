import { AsyncLocalStorage } from 'node:async_hooks';
import type { ReadYourWritesScope } from '../config';

// What one async context has written: the ticket of its latest write. Mutable, so every continuation that inherited
// it sees the writes made further down the same chain.
interface Holder {
  required: number;
}

/**
 * Orders the writes sent to the primary (single statements and units of work) by ticket, and remembers for each
 * async context the last ticket it must see, for read-your-writes on replicas.
 *
 * A ticket is issued synchronously as a write starts and completed when it settled. `completedThrough()` is the
 * largest ticket T such that every write with a ticket ≤ T has settled: a primary WAL position read after that
 * moment covers all of them (see ReplicaSet's samples). A context's holder is created at its first statement with
 * every ticket issued so far as its requirement, so a write still in flight that the context may have started
 * further up its chain is never missed; later writes in the chain raise it. Everything a context starts shares its
 * holder (a write made after an await in a callee must still be seen by the caller), so contexts that should not wait
 * for each other are opened with scope(), such as one per bot event. In `process` scope one holder serves all.
 *
 * ```ts
 * const writes = new WriteTracker('context');
 * const ticket = writes.begin(); // as a write is sent
 * writes.end(ticket); // when it settled
 * writes.required(); // ≥ ticket in this async context
 * ```
 */
export class WriteTracker {
  private issued = 0;
  private lowestInFlight = Number.POSITIVE_INFINITY;
  private readonly inFlight = new Set<number>();
  private readonly contexts = new AsyncLocalStorage<Holder>();
  private readonly processHolder: Holder | undefined;

  constructor(scope: ReadYourWritesScope) {
    this.processHolder = scope === 'process' ? { required: 0 } : undefined;
  }

  /** Issues the ticket of a write that starts now. Call it synchronously, before the write's first await. */
  begin(): number {
    this.holder();
    const ticket = ++this.issued;
    this.inFlight.add(ticket);
    if (ticket < this.lowestInFlight) this.lowestInFlight = ticket;
    return ticket;
  }

  /** Marks the write of `ticket` settled (committed, failed or unknown: it may have committed) and owed to this context. */
  end(ticket: number): void {
    this.inFlight.delete(ticket);
    if (ticket === this.lowestInFlight) {
      this.lowestInFlight = Number.POSITIVE_INFINITY;
      for (const t of this.inFlight) if (t < this.lowestInFlight) this.lowestInFlight = t;
    }
    const holder = this.holder();
    if (holder.required < ticket) holder.required = ticket;
  }

  /** The largest ticket whose write, and every earlier one, has settled. */
  completedThrough(): number {
    return this.inFlight.size === 0 ? this.issued : this.lowestInFlight - 1;
  }

  /**
   * Runs `fn` in a new context that owes nothing yet: its reads wait only for writes made inside it (and what those
   * start). In `process` scope it just runs `fn`.
   */
  scope<T>(fn: () => T): T {
    return this.processHolder ? fn() : this.contexts.run({ required: 0 }, fn);
  }

  /** The ticket a read in this async context must see (0: none). Call it synchronously, as the read starts. */
  required(): number {
    return this.holder().required;
  }

  // enterWith, not run: the holder must outlive this call, in the caller's continuation.
  private holder(): Holder {
    if (this.processHolder) return this.processHolder;
    let holder = this.contexts.getStore();
    if (holder === undefined) {
      holder = { required: this.issued };
      this.contexts.enterWith(holder);
    }
    return holder;
  }
}
