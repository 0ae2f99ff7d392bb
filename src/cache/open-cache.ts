import type { ResolvedOptions } from '../config';
import type { CacheStore } from './cache-store';
import { InvalidationListener } from './invalidation-listener';
import { MemoryStore } from './memory-store';
import { RedisStore } from './redis-store';
import { StatementCache } from './statement-cache';
import { TieredStore } from './tiered-store';

/** A cache ready for the service, and how to close it with whatever `closeRest` closes. */
export interface OpenedCache {
  readonly cache: StatementCache | undefined;
  close(): Promise<void>;
}

// host:port/database of a PostgreSQL URL: the Redis key prefix, so bots on different databases can share one Redis.
function databaseLabel(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
}

/**
 * Opens the cache the options ask for (none with `cache: false`): its store, and its LISTEN connection to
 * `options.cache.listenUrl` or else `url`. The first LISTEN is waited for, so a fresh service caches from its
 * first read; if it fails, the cache stays bypassed and the listener keeps trying.
 * @throws DatabaseConnectionError when the Redis of `cache: { redis }` cannot be reached.
 * @example
 * const { cache, close } = await openCache(options, url, () => dataSource.destroy());
 */
export async function openCache(options: ResolvedOptions, url: string, closeRest: () => Promise<void>): Promise<OpenedCache> {
  const { backend, maxEntries, listenUrl } = options.cache;
  if (backend === false) return { cache: undefined, close: closeRest };
  const store: CacheStore = backend === 'memory' ? new MemoryStore(maxEntries) : new TieredStore(new MemoryStore(maxEntries), await RedisStore.open(backend.redis, databaseLabel(url)));
  const cache = new StatementCache(store, options.cache);
  const listener = new InvalidationListener(listenUrl ?? url, options.applicationName, {
    invalidate: (table, target, xid) => cache.invalidate(table, target, xid),
    down: () => cache.down(),
    up: () => cache.up(),
  });
  cache.attach(listener);
  await listener.start();
  return {
    cache,
    close: async () => {
      await listener.close();
      await store.close();
      await closeRest();
    },
  };
}
