import type { GatewayClient } from './gateway-clients';

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
