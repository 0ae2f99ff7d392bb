import { MigrationExecutor, type DataSource, type QueryRunner } from 'typeorm';
import { withMigrationLock, type MigrationRunOptions } from './migrations';
import { appliedMigrations } from './migration-history';
import { ValidationError } from '../errors/validation-error';

/** The most migrations one `revertMigrations` call undoes (a guard against a typo such as 1000). */
export const MAX_REVERT_COUNT = 1000;

/**
 * Runs `fn` in one transaction on `runner` (a savepoint when the runner is already in one), rolled back whole
 * when it throws.
 * @example
 * await inTransaction(runner, async () => { await runner.query('DROP TABLE "a"'); await runner.query('DROP TABLE "b"'); });
 */
export async function inTransaction<T>(runner: QueryRunner, fn: () => Promise<T>): Promise<T> {
  await runner.startTransaction();
  try {
    const result = await fn();
    await runner.commitTransaction();
    return result;
  } catch (e) {
    // Keep the original error when the rollback fails too (the connection is then discarded by the lock's release).
    await runner.rollbackTransaction().catch(() => undefined);
    throw e;
  }
}

/**
 * Reverts the `count` most recently applied migrations, newest first, under the migration advisory lock and in
 * one transaction: either all of them are reverted or, when one fails, none is. Returns their names in the
 * order they were reverted.
 * @throws ValidationError when `count` is not a whole number from 1 to MAX_REVERT_COUNT, or exceeds the number of
 * applied migrations (then nothing is reverted); DatabaseError (converted) when a revert fails.
 * @example
 * const reverted = await revertMigrations(service.dataSource, 2, { timeoutMs: 0 });
 * // ['GuildCascadeIndexes1795679899967', 'InitialSchema1764140000000']
 */
export async function revertMigrations(dataSource: DataSource, count: number, options: MigrationRunOptions = {}): Promise<string[]> {
  if (!Number.isInteger(count) || count < 1 || count > MAX_REVERT_COUNT) {
    throw ValidationError.forField('downgrade', 'count', `must be a whole number from 1 to ${MAX_REVERT_COUNT}`);
  }
  return withMigrationLock(dataSource, options, (runner) =>
    inTransaction(runner, async () => {
      // Read on the locked session, inside the transaction: what is reverted is exactly what was counted.
      const applied = await appliedMigrations(runner);
      if (count > applied.length) {
        throw ValidationError.forField('downgrade', 'count', `is ${count}, but only ${applied.length} migration(s) are applied: nothing was reverted`);
      }
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'none'; // the one transaction above holds every step
      const reverted = applied.slice(-count).reverse().map((m) => m.name);
      for (let i = 0; i < count; i++) await executor.undoLastMigration();
      return reverted;
    }),
  );
}
