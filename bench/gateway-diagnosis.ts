import type { DatabaseCoordinator } from '../src/coordinator';
import type { GatewayClient } from './gateway-clients';

interface AfterWrite {
  afterWrite(tables: ReadonlyArray<string> | undefined, guild: string | undefined): Promise<void>;
}

function hasAfterWrite(x: unknown): x is AfterWrite {
  return typeof x === 'object' && x !== null && typeof (x as { afterWrite?: unknown }).afterWrite === 'function';
}

/**
 * For `--diagnose` only, never a measurement of the library as shipped: makes the cache of `db` ignore the `guild`
 * table among the tables a statement writes together with another one. Such a statement only ensures the guild row
 * (`INSERT … ON CONFLICT DO NOTHING` in a CTE, as addXp has), which cannot cascade into a cached table, yet the
 * cache drops every cached table of the guild for it; a guild deletion writes `guild` alone and still drops them.
 * The row this gives shows what the workload would get if the cache told the two apart.
 * @throws Error when the cache is not where this expects it (the library changed; update or drop the diagnosis).
 */
export function ignoreEnsureGuildWrites(db: DatabaseCoordinator): void {
  const opened: unknown = (db.service as unknown as { opened?: { cache?: unknown } }).opened?.cache;
  if (!hasAfterWrite(opened)) throw new Error('--diagnose cannot reach the cache (DatabaseService.opened.cache.afterWrite): update bench/gateway-diagnosis.ts');
  const original = opened.afterWrite.bind(opened);
  opened.afterWrite = (tables, guild) => original(tables !== undefined && tables.length > 1 ? tables.filter((t) => t !== 'guild') : tables, guild);
}

/**
 * For `--diagnose`: `inner` with every read answered at once, without a statement, so only addXp reaches the
 * database. Its messages/s is the most a read cache could give this workload. Not staleness-checked (it reads nothing).
 */
export class AddXpOnlyClient implements GatewayClient {
  constructor(
    readonly name: string,
    private readonly inner: GatewayClient,
  ) {}

  prefix(): Promise<string> {
    return Promise.resolve('!');
  }

  isAfk(): Promise<boolean> {
    return Promise.resolve(false);
  }

  addXp(userId: string, guildId: string, xp: number): Promise<void> {
    return this.inner.addXp(userId, guildId, xp);
  }

  canRun(): Promise<boolean> {
    return Promise.resolve(true);
  }

  rankName(): Promise<string | null> {
    return Promise.resolve(null);
  }

  cacheCounts(): Promise<undefined> {
    return Promise.resolve(undefined);
  }

  // The inner client is closed by whoever opened it.
  close(): Promise<void> {
    return Promise.resolve();
  }
}
