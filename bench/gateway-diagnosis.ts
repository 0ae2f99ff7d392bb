import type { GatewayClient } from './gateway-clients';

/**
 * For `--diagnose`: `inner` with every read answered at once, without a statement, so only addXp's statement
 * reaches the database, for every message. Its messages/s is the most a cache of the reads alone could give this
 * workload; the library's cache also answers addXp on cooldown, so it can pass it. Not staleness-checked (it reads nothing).
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

  addXp(userId: string, guildId: string, xp: number, now: Date): Promise<void> {
    return this.inner.addXp(userId, guildId, xp, now);
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
