import type { QueryResultRow } from 'pg';

/** What the cache keeps of one statement's result: enough to hand the repository a QueryResult again. */
export interface CachedValue {
  readonly command: string;
  readonly rowCount: number | null;
  readonly rows: ReadonlyArray<QueryResultRow>;
}

/**
 * What a fill must present to store its value: taken at the lookup that missed, before the statement ran, so an
 * invalidation between the two makes the fill's value unusable (a local counter, or the Redis generations read).
 */
export type FillToken = number | ReadonlyArray<string> | { readonly near: FillToken; readonly shared: FillToken | undefined };

/** A lookup's answer: the value, or the token a fill of this key must present. */
export type Lookup = { readonly value: CachedValue; readonly token?: undefined } | { readonly value?: undefined; readonly token: FillToken };

/**
 * Where cached results live: the memory backend (one process) or Redis/Valkey (shared). Every entry depends on
 * scopes (`<table>:<guild>` and `<table>:*`); invalidating a scope makes every entry filled before it unusable,
 * and a fill whose token predates an invalidation of one of its scopes stores nothing (race-free refill).
 */
export interface CacheStore {
  readonly backend: 'memory' | 'redis';
  /** False while the store cannot be trusted (Redis unreachable, or an invalidation failed): the cache is bypassed. */
  usable(): boolean;
  /** The entry of `key` if it is still usable, else the token its fill must present; `ttlMs` for a copy kept nearer. */
  lookup(key: string, scopes: ReadonlyArray<string>, ttlMs: number): Lookup | Promise<Lookup>;
  /**
   * The token a lookup that missed would return now, for a fill of this process's memory; undefined when the store
   * cannot tell without a round trip (Redis alone). A tiered store's leaves its shared level out: a fill with it
   * stores the near copy only.
   */
  currentToken(): FillToken | undefined;
  /** Stores `value` unless one of `scopes` was invalidated after `token` was taken. Never throws. */
  fill(key: string, scopes: ReadonlyArray<string>, token: FillToken, value: CachedValue, ttlMs: number): void;
  /** Makes every entry depending on one of `scopes` unusable, before it resolves. */
  invalidate(scopes: ReadonlyArray<string>): void | Promise<void>;
  /** Makes every entry unusable. */
  flush(): void | Promise<void>;
  /** Entries held (null when the store cannot tell, as for a shared Redis) and entries evicted for space or age. */
  counts(): Promise<{ readonly entries: number | null; readonly evictions: number | null }>;
  close(): Promise<void>;
}
