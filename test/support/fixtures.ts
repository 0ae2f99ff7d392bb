import { randomInt } from 'node:crypto';
import { createDatabase } from '../../src/container';
import type { DatabaseCoordinator } from '../../src/coordinator';
import type { DatabaseOptions } from '../../src/config';
import { prepareTestServer, testDatabaseUrl } from './test-server';

/** A random 18-digit Discord-style id, so tests never share rows. */
export function randomSnowflake(): string {
  return `${randomInt(100_000_000, 999_999_999)}${randomInt(100_000_000, 999_999_999)}`;
}

/** A database on the suite's migrated test database, preparing the test server first if no spec has yet. */
export async function openTestDatabase(options: DatabaseOptions = {}): Promise<DatabaseCoordinator> {
  await prepareTestServer();
  return createDatabase({ url: testDatabaseUrl(), migrate: false, ...options });
}

/** Deletes guilds a test made; every other table cascades from guild. */
export async function deleteGuilds(db: DatabaseCoordinator, guildIds: ReadonlyArray<string>): Promise<void> {
  if (guildIds.length > 0) await db.guild.deleteWhere({ filters: { guildId: { in: guildIds } } });
}
