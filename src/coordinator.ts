import { inject, injectable, type InjectionToken } from 'tsyringe';
import { DatabaseService } from './service/database-service';
import { UnitOfWork, type UnitOfWorkOptions } from './service/unit-of-work';
import type { HealthReport } from './service/health';
import { REPOSITORY_TABLE, type Repositories } from './repositories/repository-table';

/** The container's one object of every repository, keyed as REPOSITORY_TABLE names them (registered by registerDatabase). */
export const REPOSITORIES: InjectionToken<Repositories> = Symbol('Repositories');

/** The coordinator's repository properties, one per REPOSITORY_TABLE row (`db.case: CaseRepository`, …): declaration merging, no hand list. */
export interface DatabaseCoordinator extends Repositories {}

/**
 * Every repository in one place: the seed's `self.db` (`db.case.createCase(...)`), plus transactions,
 * health and close. Its repository properties are REPOSITORY_TABLE's names.
 *
 * ```ts
 * const db = await createDatabase();
 * await db.transaction(async () => {
 *   await db.case.createCase({ guildId, caseType: CaseType.JAIL, caseUserId: userId, caseModeratorId: moderatorId });
 *   await db.guildConfig.updateConfig(guildId, { jailRoleId: roleId });
 * });
 * await db.close();
 * ```
 */
@injectable()
export class DatabaseCoordinator {
  constructor(
    /** The DatabaseService underneath: the connection (connect, disconnect) and health(). */
    readonly service: DatabaseService,
    /** The unit of work behind transaction(). */
    readonly unitOfWork: UnitOfWork,
    @inject(REPOSITORIES) repositories: Repositories,
  ) {
    // Only the table's names, so an object carrying more keys adds nothing else to the coordinator.
    for (const { name } of REPOSITORY_TABLE) Object.assign(this, { [name]: repositories[name] });
  }

  /**
   * Runs `fn` in one transaction that every repository call inside joins (see UnitOfWork.run).
   *
   * ```ts
   * const undo = async () => { await db.guildConfig.setPrefix(guildId, '?'); throw new Error('undo'); };
   * await db.transaction(undo, { isolationLevel: 'SERIALIZABLE' }).catch((e) => e.message); // 'undo': rolled back, then rethrown
   * await db.guildConfig.getPrefix(guildId); // '!': the prefix write was undone
   * ```
   */
  transaction<T>(fn: () => Promise<T>, options?: UnitOfWorkOptions): Promise<T> {
    return this.unitOfWork.run(fn, options);
  }

  /**
   * See DatabaseService.health.
   *
   * ```ts
   * const report = await db.health(); // never throws
   * report.status; // 'healthy'
   * report.schema; // { pendingMigrations: [], drift: false, pendingStatements: 0 }
   * ```
   */
  health(): Promise<HealthReport> {
    return this.service.health();
  }

  /**
   * Waits up to `timeoutMs` (default 10 s) for running units of work, then closes the pool and lets go of the embedded
   * server (its last user stops it); units still running then fail with DatabaseClosedError and roll back (one whose
   * COMMIT was in flight says its outcome is unknown). See DatabaseService.disconnect.
   *
   * ```ts
   * process.once('SIGTERM', () => void db.close(5_000));
   * ```
   */
  close(timeoutMs?: number): Promise<void> {
    return this.service.disconnect(timeoutMs);
  }
}
