import type { DataSource } from 'typeorm';
import { ALL_MIGRATIONS } from '../../src/migrations/all-migrations';
import { revertLastMigration } from '../../src/service/migrations';

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
