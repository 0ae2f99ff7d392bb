import { randomUUID } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import { DatabaseError } from '../errors/database-error';
import { DatabaseConnectionError } from '../errors/connection-error';
import { redactSecrets, redactUrl, secretsOf } from '../redact-secrets';
import type { CacheStore, CachedValue, FillToken, Lookup } from './cache-store';
import { MAX_MEMBER_TTL_SECONDS } from '../config';
import { isMemberScope } from './cached-tables';
import { thrownText } from '../errors/thrown-text';

/** How often a broken store tries to come back (one global flush, then it is trusted again). */
const REPAIR_INTERVAL_MS = 1_000;

/**
 * How long a member scope's generation outlives its last invalidation: longer than any entry of it lives (fills cap
 * their TTL at MAX_MEMBER_TTL_SECONDS), so once it expires no entry filled before that invalidation is left.
 */
const MEMBER_GENERATION_MS = (MAX_MEMBER_TTL_SECONDS + 60) * 1_000;

// The few commands used, on a client whose bulk strings come back as Buffers (entries are v8-serialized).
interface RedisCommands {
  mGet(keys: string[]): Promise<Array<Buffer | null>>;
  set(key: string, value: Buffer, options: { expiration: { type: 'PX'; value: number } }): Promise<unknown>;
  incr(key: string): Promise<number>;
  multi(): RedisMulti;
  info(section: string): Promise<Buffer | string>;
}

interface RedisMulti {
  incr(key: string): RedisMulti;
  set(key: string, value: string, options: { expiration: { type: 'PX'; value: number } }): RedisMulti;
  exec(): Promise<unknown>;
}

interface RedisClientLike extends RedisCommands {
  on(event: 'error' | 'reconnecting' | 'end', listener: (e?: unknown) => void): RedisClientLike;
  connect(): Promise<unknown>;
  close(): Promise<void>;
  withTypeMapping(mapping: Record<number, unknown>): RedisCommands;
}

interface RedisModule {
  createClient(options: { url: string; disableOfflineQueue?: boolean; socket?: { connectTimeout?: number; reconnectStrategy?: (retries: number, cause: Error) => number | Error } }): RedisClientLike;
  RESP_TYPES: { BLOB_STRING: number };
}

/**
 * @internal Loads the `redis` package on first use; `load` is replaceable so a test can play a missing package.
 * @throws DatabaseError naming the package to install when it cannot be loaded.
 */
export function loadRedis(load: () => unknown = () => require('redis')): RedisModule {
  try {
    return load() as RedisModule;
  } catch (e) {
    if ((e as { code?: unknown } | null)?.code !== 'MODULE_NOT_FOUND') throw e;
    throw new DatabaseError('cache: { redis } needs the `redis` package, an optional peer dependency of tux-database that is not installed. Run `npm install redis`.', { cause: e });
  }
}

// An entry as stored: the generations of its scopes when its fill began, and the value.
interface StoredEntry {
  readonly gens: ReadonlyArray<string>;
  readonly value: CachedValue;
}

/**
 * The Redis (or Valkey) backend: entries shared by every process, under a prefix naming the database, so bots on
 * other databases can share one Redis.
 *
 * Coherence by generation: each scope has a counter key (`INCR` on invalidation) and there is one epoch key for
 * flushes. A member's scope (there are as many as members earning XP) instead gets a random value that expires
 * MEMBER_GENERATION_MS after its last invalidation: a value never comes back, as a counter recreated at 0 would,
 * and its entries are gone before it expires. An entry is stored with the generations read by the lookup that missed, before the statement ran, and
 * is used only while they are all still current: a fill that raced an invalidation is never used. When a command
 * fails, or the connection drops, the store is not trusted (the cache is bypassed) until one `INCR` of the epoch
 * succeeds again, since an invalidation may have been lost meanwhile, and a Redis that restarted from a snapshot has
 * its older entries and generations back. Commands are never queued while the connection is down: they fail at once,
 * so a read goes to the database and a write returns, instead of waiting for Redis to come back.
 *
 * ```ts
 * const store = await RedisStore.open('redis://127.0.0.1:6379', '127.0.0.1:5432/tux');
 * ```
 */
export class RedisStore implements CacheStore {
  readonly backend = 'redis';
  private broken: string | undefined;
  private repairing: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(
    private readonly client: RedisClientLike,
    private readonly commands: RedisCommands,
    private readonly prefix: string,
    private readonly secrets: ReadonlyArray<string>,
  ) {}

  /**
   * Connects to Redis at `url`; keys start with `tux-db:<database>:`.
   * @throws DatabaseConnectionError (password masked) when Redis cannot be reached; DatabaseError when `redis` is not installed.
   */
  static async open(url: string, database: string, load?: () => unknown): Promise<RedisStore> {
    const redis = loadRedis(load);
    let connected = false;
    // The first connection fails at once (connect() rejects); once up, a lost connection is retried with backoff.
    const reconnectStrategy = (retries: number, cause: Error): number | Error => (connected ? Math.min(5_000, 100 * 2 ** retries) : cause);
    // Without the offline queue a command sent while the connection is down fails at once (see the class comment).
    const client = redis.createClient({ url, disableOfflineQueue: true, socket: { connectTimeout: 5_000, reconnectStrategy } });
    const secrets = secretsOf(url);
    // Reconnection is the client's; an error event between commands must not crash the process.
    let store: RedisStore | undefined;
    client.on('error', (e) => store?.connectionLost(e));
    client.on('reconnecting', () => store?.connectionLost(new Error('the connection to Redis was lost; reconnecting')));
    client.on('end', () => store?.connectionLost(new Error('the connection to Redis ended')));
    try {
      await client.connect();
      connected = true;
    } catch (e) {
      await client.close().catch(() => undefined);
      throw new DatabaseConnectionError(redactSecrets(`Cannot connect to the cache's Redis at ${redactUrl(url)}: ${thrownText(e)}`, secrets), { cause: e });
    }
    const commands = client.withTypeMapping({ [redis.RESP_TYPES.BLOB_STRING]: Buffer });
    store = new RedisStore(client, commands, `tux-db:${database}:`, secrets);
    return store;
  }

  usable(): boolean {
    return this.broken === undefined;
  }

  async lookup(key: string, scopes: ReadonlyArray<string>): Promise<Lookup> {
    const keys = [this.prefix + key, ...scopes.map((s) => `${this.prefix}gen:${s}`), `${this.prefix}epoch`];
    const replies = await this.guard(this.commands.mGet(keys));
    const gens = replies.slice(1).map((g) => (g === null ? '0' : g.toString()));
    const stored = replies[0];
    if (stored) {
      const entry = deserialize(stored) as StoredEntry;
      if (entry.gens.length === gens.length && entry.gens.every((g, i) => g === gens[i])) return { value: entry.value };
    }
    return { token: gens };
  }

  // The generations are in Redis: no token without a round trip.
  currentToken(): undefined {
    return undefined;
  }

  fill(key: string, scopes: ReadonlyArray<string>, token: FillToken, value: CachedValue, ttlMs: number): void {
    const entry: StoredEntry = { gens: token as ReadonlyArray<string>, value };
    const ttl = scopes.some(isMemberScope) ? Math.min(ttlMs, MAX_MEMBER_TTL_SECONDS * 1_000) : ttlMs;
    this.guard(this.commands.set(this.prefix + key, serialize(entry), { expiration: { type: 'PX', value: Math.max(1, ttl) } })).catch(() => undefined);
  }

  async invalidate(scopes: ReadonlyArray<string>): Promise<void> {
    let multi = this.commands.multi();
    for (const scope of scopes) {
      const gen = `${this.prefix}gen:${scope}`;
      multi = isMemberScope(scope) ? multi.set(gen, randomUUID(), { expiration: { type: 'PX', value: MEMBER_GENERATION_MS } }) : multi.incr(gen);
    }
    await this.guard(multi.exec());
  }

  async flush(): Promise<void> {
    await this.guard(this.commands.incr(`${this.prefix}epoch`));
  }

  async counts(): Promise<{ entries: null; evictions: number | null }> {
    const info = await this.commands.info('stats').catch(() => '');
    const evicted = /evicted_keys:(\d+)/.exec(info.toString())?.[1];
    return { entries: null, evictions: evicted === undefined ? null : Number(evicted) };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.repairing);
    await this.client.close().catch(() => undefined);
  }

  /** Why the store is not trusted now (undefined when it is), without secrets. */
  problem(): string | undefined {
    return this.broken;
  }

  // A failed command may have been a lost invalidation: distrust the store until a flush goes through.
  private async guard<T>(command: Promise<T>): Promise<T> {
    try {
      return await command;
    } catch (e) {
      this.markBroken(e);
      throw e;
    }
  }

  // The client's events: a dropped connection may have lost an invalidation, or come back to a restarted Redis.
  private connectionLost(e: unknown): void {
    if (!this.closed) this.markBroken(e);
  }

  private markBroken(e: unknown): void {
    this.broken = redactSecrets(thrownText(e), this.secrets);
    if (this.repairing) return;
    this.repairing = setInterval(() => {
      this.commands.incr(`${this.prefix}epoch`).then(
        () => {
          clearInterval(this.repairing);
          this.repairing = undefined;
          this.broken = undefined;
        },
        () => undefined,
      );
    }, REPAIR_INTERVAL_MS);
    this.repairing.unref();
  }
}
