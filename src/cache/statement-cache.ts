import type { QueryResult, QueryResultRow } from 'pg';
import type { CacheFamily, ResolvedCacheOptions } from '../config';
import type { CacheStore, CachedValue } from './cache-store';
import { CACHED_TABLES } from './cached-tables';
import type { InvalidationListener } from './invalidation-listener';

/** The cache's counters and state, as `health()` reports them. */
export interface CacheHealth {
  /** `memory`, `redis`, or `off` (the `cache: false` option, or behind a pooler with no `cacheListenUrl`). */
  readonly backend: 'memory' | 'redis' | 'off';
  /** Whether reads are served from the cache now: LISTEN is in force and the store is trusted. */
  readonly active: boolean;
  /** Reads answered from the cache since connect(). */
  readonly hits: number;
  /** Cacheable reads that went to the database (a miss, or the cache bypassed while not active). */
  readonly misses: number;
  /** Entries dropped for space (the memory backend's LRU bound) or age; Redis's own `evicted_keys`; null when unknown. */
  readonly evictions: number | null;
  /** Entries held (null for Redis, which other processes share). */
  readonly entries: number | null;
  /** Why it is not active, without secrets. */
  readonly error?: string;
}

const CACHED = new Set<string>(CACHED_TABLES);

/** The scopes an entry of `tables` for `guild` depends on: each table's guild scope, and its whole-table scope. */
export function scopesOf(tables: ReadonlyArray<string>, guild: string): string[] {
  const scopes: string[] = [];
  for (const table of tables) scopes.push(`${table}:${guild}`, `${table}:*`);
  return scopes;
}

// Rows handed out are the caller's to change: top-level fields are copied, and Dates, arrays and JSON are cloned.
function copyRows(rows: ReadonlyArray<QueryResultRow>): QueryResultRow[] {
  return rows.map((row) => {
    const copy: QueryResultRow = { ...row };
    for (const key in copy) {
      const value: unknown = copy[key];
      if (typeof value === 'object' && value !== null) copy[key] = structuredClone(value);
    }
    return copy;
  });
}

function asResult<R extends QueryResultRow>(value: CachedValue): QueryResult<R> {
  return { command: value.command, rowCount: value.rowCount, oid: 0, fields: [], rows: copyRows(value.rows) as R[] };
}

/**
 * The cache layer of DESIGN §8, between a repository's read and the statement runner: reads that a repository marks
 * with a family, outside units of work, keyed by the statement's text and values, and dropped by guild and table when
 * anything writes there.
 *
 * - Writes through this process invalidate before they return (afterWrite); at commit for a unit's writes.
 * - Writes by anyone reach every process through the LISTEN connection (triggers NOTIFY at commit).
 * - While LISTEN is down the cache is flushed and bypassed; it fills again only once LISTEN is back.
 * - Concurrent misses of one key run one statement (single flight); an invalidation detaches the flights running,
 *   so a read that starts after a write never joins a statement that started before it.
 *
 * ```ts
 * const cache = new StatementCache(new MemoryStore(10_000), options.cache);
 * const result = await cache.read('guildConfig', text, values, ['guild_config'], '42', () => runOnPool(pool, config));
 * ```
 */
export class StatementCache {
  private hits = 0;
  private misses = 0;
  private active = false;
  private readonly flights = new Map<string, Promise<CachedValue>>();
  private listener: InvalidationListener | undefined;

  constructor(
    readonly store: CacheStore,
    private readonly options: ResolvedCacheOptions,
  ) {}

  /** The listener whose state decides whether the cache is active (set once, by the service). */
  attach(listener: InvalidationListener): void {
    this.listener = listener;
  }

  /** True while reads may be served and filled: LISTEN is in force and the store is trusted. */
  isActive(): boolean {
    return this.active && this.store.usable();
  }

  /**
   * A read of `tables` for one guild: from the cache when it holds a usable entry, else from `load` (one run for
   * all concurrent callers), stored when no invalidation of its scopes happened since the lookup.
   */
  async read<R extends QueryResultRow>(family: CacheFamily, text: string, values: ReadonlyArray<unknown>, tables: ReadonlyArray<string>, guild: string, load: () => Promise<QueryResult<R>>): Promise<QueryResult<R>> {
    if (!this.isActive() || !tables.every((t) => CACHED.has(t))) {
      this.misses++;
      return load();
    }
    const key = `${text}\u0000${JSON.stringify(values)}`;
    const scopes = scopesOf(tables, guild);
    const ttlMs = this.options.ttlSeconds[family] * 1_000;
    let found;
    try {
      found = await this.store.lookup(key, scopes, ttlMs);
    } catch {
      // The store is marked untrusted; this read goes to the database.
      this.misses++;
      return load();
    }
    if (found.value !== undefined) {
      this.hits++;
      return asResult<R>(found.value);
    }
    this.misses++;
    let flight = this.flights.get(key);
    if (flight === undefined) {
      const token = found.token;
      const started = load().then((result): CachedValue => {
        const value: CachedValue = { command: result.command, rowCount: result.rowCount, rows: result.rows };
        if (this.flights.get(key) === started && this.isActive()) this.store.fill(key, scopes, token, value, ttlMs);
        return value;
      });
      flight = started;
      this.flights.set(key, flight);
      const forget = (): void => {
        if (this.flights.get(key) === started) this.flights.delete(key);
      };
      flight.then(forget, forget);
    }
    return asResult<R>(await flight);
  }

  /**
   * After a write committed (outside units: the statement; inside: at COMMIT): drops what it may have changed, before
   * the write returns. `tables` written for one `guild`; no guild drops the tables whole; `undefined` tables (a raw
   * statement) drops everything. A statement that writes `guild` rows and nothing else may be a guild's delete, whose
   * cascade empties every cached table of that guild: it drops them all. A statement that also writes another table
   * only creates or counts on its guild row (createCase, addXp's ensure-guild), and drops just that table.
   * Never throws: a store that fails stops being used until it answers again.
   */
  async afterWrite(tables: ReadonlyArray<string> | undefined, guild: string | undefined): Promise<void> {
    const written = tables === undefined ? undefined : tables.length === 1 && tables[0] === 'guild' ? CACHED_TABLES : tables.filter((t) => CACHED.has(t));
    if (written?.length === 0) return;
    this.flights.clear();
    try {
      if (written === undefined) await this.store.flush();
      else await this.store.invalidate(written.map((t) => `${t}:${guild ?? '*'}`));
    } catch {
      // Never the writer's error (its write committed): the store failed and distrusts itself until a flush succeeds.
    }
  }

  /** From the LISTEN connection: a committed write (of any client) touched `table` rows of `guild`. */
  invalidate(table: string, guild: string): void {
    if (!CACHED.has(table)) return;
    this.flights.clear();
    const done = this.store.invalidate([`${table}:${guild}`]);
    if (done instanceof Promise) done.catch(() => undefined);
  }

  /** The LISTEN connection dropped: stop serving and filling, and drop everything. */
  down(): void {
    this.active = false;
    this.flights.clear();
    const done = this.store.flush();
    if (done instanceof Promise) done.catch(() => undefined);
  }

  /** LISTEN is in force: drop whatever may have been missed meanwhile, then serve and fill again. */
  async up(): Promise<void> {
    this.flights.clear();
    try {
      await this.store.flush();
    } catch {
      // An untrusted store stays bypassed until it repairs itself with a flush of its own.
    }
    this.active = true;
  }

  /** Counters and state for health(). */
  async health(): Promise<CacheHealth> {
    const { entries, evictions } = await this.store.counts();
    const problem = !this.active ? (this.listener?.problem() ?? 'LISTEN is not in force') : this.store.usable() ? undefined : 'the cache store failed a command; bypassed until it answers again';
    return { backend: this.store.backend, active: this.isActive(), hits: this.hits, misses: this.misses, evictions, entries, ...(problem === undefined ? {} : { error: `cache bypassed: ${problem}` }) };
  }
}
