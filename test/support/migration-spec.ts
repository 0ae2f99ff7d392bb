import { expect } from 'chai';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { ALL_MIGRATIONS } from '../../src/migrations/all-migrations';
import { DatabaseService } from '../../src/service/database-service';
import { applyMigrations, revertLastMigration } from '../../src/service/migrations';
import { createScratchDatabase, dropScratchDatabase } from './test-server';

/**
 * Reverts the applied migrations newest first until the one named `name` is reverted, so a migration's spec can set
 * up the database as the version before it left it, however many migrations came after it. Returns the name reverted
 * last: `name`, or null when none was left to revert.
 * @example
 * expect(await revertThrough(service.dataSource, 'CaseUserRolesAsStrings1796179986075')).to.equal('CaseUserRolesAsStrings1796179986075');
 */
export async function revertThrough(dataSource: DataSource, name: string): Promise<string | null> {
  for (const _ of ALL_MIGRATIONS) {
    const reverted = await revertLastMigration(dataSource);
    if (reverted === name || reverted === null) return reverted;
  }
  return null;
}

/** A migration spec's database: the service (migrate off) and a plain client on it. */
export interface DatabaseBefore {
  readonly service: DatabaseService;
  readonly client: Client;
}

/**
 * Registers mocha hooks in the calling describe: before its own, a scratch database `scratch` migrated to the version
 * just before `migration` (every migration applied, then reverted through it), with a service and a client on it;
 * after, both closed and the database dropped. Read the fields inside hooks and tests.
 * @example
 * const t = useDatabaseBefore('perm_afk', PermanentAfkWithoutEnd1796204957178.name);
 * before(() => t.client.query(`INSERT INTO guild (guild_id) VALUES (1)`));
 */
export function useDatabaseBefore(scratch: string, migration: string): DatabaseBefore {
  let opened: DatabaseBefore | undefined;
  const current = (): DatabaseBefore => {
    if (opened === undefined) throw new Error('useDatabaseBefore: read the database inside a hook or a test');
    return opened;
  };
  before(async () => {
    const url = await createScratchDatabase(scratch);
    const service = new DatabaseService({ url, migrate: false });
    await service.connect();
    const client = new Client({ connectionString: url });
    await client.connect();
    opened = { service, client };
    await applyMigrations(service.dataSource);
    expect(await revertThrough(service.dataSource, migration)).to.equal(migration);
  });
  after(async () => {
    await opened?.client.end();
    await opened?.service.disconnect();
    await dropScratchDatabase(scratch);
  });
  return {
    get service() {
      return current().service;
    },
    get client() {
      return current().client;
    },
  };
}
