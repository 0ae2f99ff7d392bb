import type { CacheStore, CachedValue, FillToken, Lookup } from './cache-store';

interface Entry {
  readonly value: CachedValue;
  readonly filledAt: number;
  readonly scopes: ReadonlyArray<string>;
  readonly expiresAt: number;
  /** The hit count when it last moved to the back of the LRU order. */
  movedAt: number;
}

/** Invalidated scopes remembered one by one; past this many, the oldest fold into `floor` (all entries before it go). */
const REMEMBERED_SCOPES = 100_000;

/**
 * The memory backend: an LRU map of at most `maxEntries` entries, each with its own expiry, in this process. A hit
 * moves its entry to the back of the LRU order only when a quarter of `maxEntries` hits came since it last moved:
 * moving costs a delete and an insert in a map of up to `maxEntries` keys, which a hot entry would otherwise pay on
 * every read, and an entry that moved that recently is nowhere near the front that eviction takes from.
 *
 * Coherence by counter: every invalidation takes the next value of one counter and records it for its scope; an
 * entry is usable while it was filled at or after every invalidation of its scopes. A lookup that misses returns the
 * counter as the fill's token, so a value read from the database before an invalidation is never stored after it.
 *
 * ```ts
 * const store = new MemoryStore(10_000);
 * const found = store.lookup('key', ['guild_config:42', 'guild_config:*']);
 * if (found.token !== undefined) store.fill('key', ['guild_config:42', 'guild_config:*'], found.token, value, 60_000);
 * ```
 */
export class MemoryStore implements CacheStore {
  readonly backend = 'memory';
  private counter = 0;
  private floor = 0;
  private evicted = 0;
  private hits = 0;
  private readonly invalidated = new Map<string, number>();
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxEntries: number) {}

  usable(): boolean {
    return true;
  }

  lookup(key: string): Lookup {
    const entry = this.entries.get(key);
    if (entry !== undefined) {
      const expired = entry.expiresAt <= Date.now();
      if (!expired && this.fresh(entry.filledAt, entry.scopes)) {
        if (++this.hits - entry.movedAt > this.maxEntries / 4) {
          // Re-inserted last: Map order is the LRU order.
          this.entries.delete(key);
          this.entries.set(key, entry);
          entry.movedAt = this.hits;
        }
        return { value: entry.value };
      }
      this.entries.delete(key);
      if (expired) this.evicted++;
    }
    return { token: this.counter };
  }

  currentToken(): FillToken {
    return this.counter;
  }

  fill(key: string, scopes: ReadonlyArray<string>, token: FillToken, value: CachedValue, ttlMs: number): void {
    const filledAt = token as number;
    if (!this.fresh(filledAt, scopes)) return;
    this.entries.delete(key);
    this.entries.set(key, { value, filledAt, scopes, expiresAt: Date.now() + ttlMs, movedAt: this.hits });
    if (this.entries.size > this.maxEntries) {
      for (const oldest of this.entries.keys()) {
        this.entries.delete(oldest);
        this.evicted++;
        break;
      }
    }
  }

  invalidate(scopes: ReadonlyArray<string>): void {
    for (const scope of scopes) {
      this.invalidated.delete(scope);
      this.invalidated.set(scope, ++this.counter);
    }
    while (this.invalidated.size > REMEMBERED_SCOPES) {
      for (const [scope, at] of this.invalidated) {
        this.invalidated.delete(scope);
        this.floor = Math.max(this.floor, at);
        break;
      }
    }
  }

  flush(): void {
    this.floor = ++this.counter;
    this.invalidated.clear();
    this.entries.clear();
  }

  counts(): Promise<{ entries: number; evictions: number }> {
    return Promise.resolve({ entries: this.entries.size, evictions: this.evicted });
  }

  close(): Promise<void> {
    this.entries.clear();
    return Promise.resolve();
  }

  // Filled at or after every invalidation of its scopes (an invalidation takes a counter value above every token before it).
  private fresh(filledAt: number, scopes: ReadonlyArray<string>): boolean {
    if (this.floor > filledAt) return false;
    for (const scope of scopes) if ((this.invalidated.get(scope) ?? 0) > filledAt) return false;
    return true;
  }
}
