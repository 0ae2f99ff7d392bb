import { createHash } from 'node:crypto';
import type { QueryResult, QueryResultRow } from 'pg';
import type { CacheFamily, ResolvedCacheOptions } from '../config';
import type { CacheStore, CachedValue, FillToken } from './cache-store';
import { CACHED_TABLES, CASCADES, MEMBER_TABLES } from './cached-tables';
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

/**
 * The scopes an entry of `tables` depends on, for `target` (a guild id, or `<guild>:<user>` for one member): each
 * table's guild scope and whole-table scope, and the member's scope of a member-scoped table.
 */
export function scopesOf(tables: ReadonlyArray<string>, target: string): string[] {
  const at = target.indexOf(':');
  const guild = at < 0 ? target : target.slice(0, at);
  const scopes: string[] = [];
  for (const table of tables) {
    if (at >= 0 && MEMBER_TABLES.has(table)) scopes.push(`${table}:${target}`);
    scopes.push(`${table}:${guild}`, `${table}:*`);
  }
  return scopes;
}

// What a write of `table` for `target` invalidates: the member's scope of a member-scoped table, else the guild's
// (a member-scoped table written without a member drops the whole guild's entries of it).
function writtenScope(table: string, target: string | undefined): string {
  if (target === undefined) return `${table}:*`;
  const at = target.indexOf(':');
  return at < 0 || MEMBER_TABLES.has(table) ? `${table}:${target}` : `${table}:${target.slice(0, at)}`;
}

// Cacheable: every table cached, and a member-scoped one only for a read of one member (a guild-wide read of it,
// a leaderboard say, depends on every member's rows, which are invalidated one member at a time).
function cacheable(tables: ReadonlyArray<string>, target: string): boolean {
  const oneMember = target.includes(':');
  return tables.every((t) => CACHED.has(t) && (oneMember || !MEMBER_TABLES.has(t)));
}

/** What afterOwnWrite stores for its write: the cached read of a member table the write's result answers, and that answer. */
export interface OwnWriteFill {
  readonly family: CacheFamily;
  readonly text: string;
  readonly values: ReadonlyArray<unknown>;
  readonly tables: ReadonlyArray<string>;
  readonly value: CachedValue;
}

// Statement texts whose digests are kept for keys (see StatementCache.keyOf) before the map starts over.
const MAX_TEXTS = 10_000;

// The own writes afterOwnWrite remembers and the notifications heard lately, each; past this many the oldest go (an own
// write's notification that never came, LISTEN being down say; a notification heard long before its write returned).
const MAX_REMEMBERED = 10_000;

// Adds `key` (with `value` to a map), dropping the oldest past MAX_REMEMBERED.
function remember<V>(keys: Set<string> | Map<string, V>, key: string, value?: V): void {
  if (keys instanceof Map) keys.set(key, value as V);
  else keys.add(key);
  for (const oldest of keys.keys()) {
    if (keys.size <= MAX_REMEMBERED) break;
    keys.delete(oldest);
  }
}


// Rows handed out are the caller's to change: top-level fields are copied, and Dates, arrays and JSON are cloned. A
// row read as an array (StatementOptions.rowsAsArrays) stays an array.
function copyRows(rows: ReadonlyArray<QueryResultRow>): QueryResultRow[] {
  return rows.map((row) => {
    const copy: QueryResultRow = Array.isArray(row) ? [...(row as unknown[])] : { ...row };
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
 * const xp = await cache.read('levels', text, values, ['levels'], '42:7', () => runOnPool(pool, config)); // member 7 of guild 42
 * ```
 */
export class StatementCache {
  private hits = 0;
  private misses = 0;
  private active = false;
  private readonly flights = new Map<string, Promise<CachedValue>>();
  // `<scope>@<xid>` of this process's own writes whose rows afterOwnWrite stored: their notifications are not invalidations.
  private readonly own = new Set<string>();
  // `<scope>@<xid>` of the notifications heard lately that named their transaction, with the store's token just after
  // each was handled (see afterOwnWrite).
  private readonly heard = new Map<string, FillToken | undefined>();
  private listener: InvalidationListener | undefined;
  // A short digest of each statement text, so keys are not hundreds of characters long to hash and compare on every
  // read. A digest, not a counter, because Redis keys are shared by every process. The texts are the builders' (one
  // string per shape), so the map stays small; past MAX_TEXTS it starts over.
  private readonly textIds = new Map<string, string>();

  constructor(
    readonly store: CacheStore,
    private readonly options: ResolvedCacheOptions,
  ) {}

  // An entry's key: its statement's digest (132 bits of SHA-256) and its values.
  private keyOf(text: string, values: ReadonlyArray<unknown>): string {
    let id = this.textIds.get(text);
    if (id === undefined) {
      if (this.textIds.size >= MAX_TEXTS) this.textIds.clear();
      this.textIds.set(text, (id = createHash('sha256').update(text).digest('base64url').slice(0, 22)));
    }
    return `${id}\u0000${JSON.stringify(values)}`;
  }

  /** The listener whose state decides whether the cache is active (set once, by the service). */
  attach(listener: InvalidationListener): void {
    this.listener = listener;
  }

  /** True while reads may be served and filled: LISTEN is in force and the store is trusted. */
  isActive(): boolean {
    return this.active && this.store.usable();
  }

  /**
   * A read of `tables` for one guild, or one member (`target` `<guild>:<user>`): from the cache when it holds a usable
   * entry, else from `load` (one run for all concurrent callers), stored when no invalidation of its scopes happened
   * since the lookup.
   */
  async read<R extends QueryResultRow>(family: CacheFamily, text: string, values: ReadonlyArray<unknown>, tables: ReadonlyArray<string>, target: string, load: () => Promise<QueryResult<R>>): Promise<QueryResult<R>> {
    if (!this.isActive() || !cacheable(tables, target)) {
      this.misses++;
      return load();
    }
    const key = this.keyOf(text, values);
    const scopes = scopesOf(tables, target);
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
   * For a write whose caller took over its invalidation (StatementOptions.ownInvalidation): drops what it changed, as
   * afterWrite does, and when `fill` is given, stores `fill.value`, what the read `fill.text`/`fill.values` of a
   * member table returns now as the write's own result shows it (addXp's member after an award, transaction `xid`),
   * so the next read sends nothing. A commit's notification comes after every earlier commit's and before every
   * later one's, and the write's own result is newer than every earlier commit to its rows:
   * - when the write's own notification has come already, it did the dropping, and the value is stored with the
   *   token taken just after it: refused if a later commit's notification (or a later write of this process) came
   *   since, like every fill that raced an invalidation (with Redis, in this process's memory only);
   * - when it has not, the scopes are dropped now and the value stored after, and the notification, this process's
   *   own, will leave it in place; a later commit's drops it.
   * Never stored over an entry a read filled since (as new). Never throws, counts neither a hit nor a miss.
   */
  async afterOwnWrite(writes: ReadonlyArray<string>, target: string | undefined, xid: string | undefined, fill?: OwnWriteFill): Promise<void> {
    const member = fill !== undefined && target !== undefined && xid !== undefined && this.isActive() && cacheable(fill.tables, target) && fill.tables.every((t) => MEMBER_TABLES.has(t));
    if (!member) {
      await this.afterWrite(writes, target);
      return;
    }
    const key = this.keyOf(fill.text, fill.values);
    const scopes = scopesOf(fill.tables, target);
    const ttlMs = this.options.ttlSeconds[fill.family] * 1_000;
    const own = fill.tables.map((t) => `${t}:${target}@${xid}`);
    // Other cached tables the write touched are dropped as usual; `guild` here is a row it created on the way, not a
    // guild's delete (which afterWrite takes `guild` alone for).
    const others = writes.filter((t) => CACHED.has(t) && !fill.tables.includes(t));
    if (others.length > 0) await this.afterWrite(others, target);
    // The token taken just after the write's own notification(s), once all came; one per table, handled in one
    // turn, so the first stands for them.
    const heardToken = (): FillToken | undefined => (own.every((k) => this.heard.has(k)) ? this.heard.get(own[0] ?? '') : undefined);
    try {
      if (heardToken() === undefined) {
        await this.afterWrite(fill.tables, target);
        const found = await this.store.lookup(key, scopes, ttlMs);
        // With Redis the awaits above let notifications in: when the write's own came meanwhile, its token decides.
        if (heardToken() === undefined) {
          if (found.value === undefined) this.store.fill(key, scopes, found.token, fill.value, ttlMs);
          for (const k of own) remember(this.own, k);
          return;
        }
      }
      const token = heardToken();
      if (token !== undefined && (await this.store.lookup(key, scopes, ttlMs)).value === undefined) this.store.fill(key, scopes, token, fill.value, ttlMs);
    } catch {
      // The store is marked untrusted; nothing is stored.
    }
  }

  /**
   * After a write committed (outside units: the statement; inside: at COMMIT): drops what it may have changed, before
   * the write returns. `tables` written for one guild or member (`target` as for read); none drops the tables whole; `undefined` tables (a raw
   * statement) drops everything. A statement that writes `guild` rows and nothing else may be a guild's delete, whose
   * cascade empties every cached table of that guild: it drops them all. A statement that also writes another table
   * only creates or counts on its guild row (createCase, addXp's ensure-guild), and drops just that table.
   * Never throws: a store that fails stops being used until it answers again.
   */
  async afterWrite(tables: ReadonlyArray<string> | undefined, target: string | undefined): Promise<void> {
    const cascade = tables?.length === 1 && tables[0] === 'guild';
    const written = tables === undefined ? undefined : cascade ? CACHED_TABLES : withCascades(tables.filter((t) => CACHED.has(t)));
    if (written?.length === 0) return;
    this.flights.clear();
    try {
      if (written === undefined) await this.store.flush();
      else await this.store.invalidate(written.map((t) => writtenScope(t, cascade ? target?.split(':')[0] : target)));
    } catch {
      // Never the writer's error (its write committed): the store failed and distrusts itself until a flush succeeds.
    }
  }

  /**
   * From the LISTEN connection: a committed write (of any client; transaction `xid` when named) touched `table` rows
   * of `target` (a guild, `<guild>:<user>`, or `*`). The notification of a write whose rows afterOwnWrite stored is skipped.
   */
  invalidate(table: string, target: string, xid?: string): void {
    if (!CACHED.has(table)) return;
    const heardKey = xid === undefined ? undefined : `${table}:${target}@${xid}`;
    if (heardKey !== undefined && this.own.delete(heardKey)) return;
    this.flights.clear();
    const done = this.store.invalidate([`${table}:${target}`]);
    if (done instanceof Promise) done.catch(() => undefined);
    // After this process's memory dropped the scope (a tiered store does that before it answers).
    if (heardKey !== undefined) remember(this.heard, heardKey, this.store.currentToken());
  }

  /** The LISTEN connection dropped: stop serving and filling, and drop everything. */
  down(): void {
    this.active = false;
    this.flights.clear();
    this.own.clear();
    this.heard.clear();
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

/** `tables` and the cached tables a write to them may change through ON DELETE CASCADE (see CASCADES), once each. */
function withCascades(tables: ReadonlyArray<string>): ReadonlyArray<string> {
  if (!tables.some((t) => CASCADES.has(t))) return tables;
  return [...new Set(tables.flatMap((t) => [t, ...(CASCADES.get(t) ?? [])]))];
}
