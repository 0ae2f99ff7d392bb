import type { CacheStore, CachedValue, FillToken, Lookup } from './cache-store';
import type { MemoryStore } from './memory-store';
import type { RedisStore } from './redis-store';

/** A fill's tokens for both levels: the memory one, and Redis's when Redis was asked (it is skipped while an invalidation is on its way there). */
interface TieredToken {
  readonly near: FillToken;
  readonly shared: FillToken | undefined;
}

function isTiered(token: FillToken): token is TieredToken {
  return typeof token === 'object' && token !== null && 'near' in token;
}

/**
 * The `redis` backend as the service uses it: this process's memory in front of the Redis every process shares.
 * A read asks memory first, then Redis, then the database; a value found in Redis is kept in memory too. Memory
 * answers the per-message reads at memory speed, and Redis spares the database the misses of a process that
 * just started or evicted an entry, or of the other shards after one of them filled it.
 *
 * Both levels are invalidated together. While an invalidation is still on its way to Redis, Redis is not asked:
 * an entry read there then could predate the write this process has already seen.
 *
 * ```ts
 * const store = new TieredStore(new MemoryStore(50_000), await RedisStore.open(url, '127.0.0.1:5432/tux'));
 * ```
 */
export class TieredStore implements CacheStore {
  readonly backend = 'redis';
  private invalidating = 0;

  constructor(
    private readonly near: MemoryStore,
    private readonly shared: RedisStore,
  ) {}

  usable(): boolean {
    return this.shared.usable();
  }

  async lookup(key: string, scopes: ReadonlyArray<string>, ttlMs: number): Promise<Lookup> {
    const local = this.near.lookup(key);
    if (local.value !== undefined) return local;
    if (this.invalidating > 0) return { token: { near: local.token, shared: undefined } satisfies TieredToken };
    const remote = await this.shared.lookup(key, scopes);
    if (remote.value !== undefined) {
      // Kept in memory only if nothing this process saw invalidated it since the memory lookup.
      this.near.fill(key, scopes, local.token, remote.value, ttlMs);
      return remote;
    }
    return { token: { near: local.token, shared: remote.token } satisfies TieredToken };
  }

  currentToken(): FillToken {
    return { near: this.near.currentToken(), shared: undefined } satisfies TieredToken;
  }

  fill(key: string, scopes: ReadonlyArray<string>, token: FillToken, value: CachedValue, ttlMs: number): void {
    if (!isTiered(token)) return;
    this.near.fill(key, scopes, token.near, value, ttlMs);
    if (token.shared !== undefined) this.shared.fill(key, scopes, token.shared, value, ttlMs);
  }

  async invalidate(scopes: ReadonlyArray<string>): Promise<void> {
    this.near.invalidate(scopes);
    // An untrusted Redis is not waited for: its repair (an epoch INCR) drops everything it holds anyway.
    if (!this.shared.usable()) return;
    this.invalidating++;
    try {
      await this.shared.invalidate(scopes);
    } finally {
      this.invalidating--;
    }
  }

  async flush(): Promise<void> {
    this.near.flush();
    if (!this.shared.usable()) return;
    this.invalidating++;
    try {
      await this.shared.flush();
    } finally {
      this.invalidating--;
    }
  }

  async counts(): Promise<{ entries: number; evictions: number | null }> {
    const [near, shared] = await Promise.all([this.near.counts(), this.shared.counts()]);
    return { entries: near.entries, evictions: shared.evictions === null ? near.evictions : near.evictions + shared.evictions };
  }

  async close(): Promise<void> {
    await this.near.close();
    await this.shared.close();
  }
}
