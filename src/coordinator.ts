import { injectable } from 'tsyringe';
import { DatabaseService } from './service/database-service';
import { UnitOfWork, type UnitOfWorkOptions } from './service/unit-of-work';
import type { HealthReport } from './service/health';
import { AfkRepository } from './repositories/afk-repository';
import { CaseRepository } from './repositories/case-repository';
import { GuildConfigRepository } from './repositories/guild-config-repository';
import { GuildPermissionRepository } from './repositories/guild-permission-repository';
import { GuildRepository } from './repositories/guild-repository';
import { LevelsRepository } from './repositories/levels-repository';
import { PermissionAssignmentRepository } from './repositories/permission-assignment-repository';
import { PermissionCommandRepository } from './repositories/permission-command-repository';
import { PermissionRankRepository } from './repositories/permission-rank-repository';
import { ReminderRepository } from './repositories/reminder-repository';
import { SnippetRepository } from './repositories/snippet-repository';
import { StarboardMessageRepository } from './repositories/starboard-message-repository';
import { StarboardRepository } from './repositories/starboard-repository';

/**
 * Every repository in one place: the seed's `self.db` (`db.case.createCase(...)`), plus transactions,
 * health and close.
 *
 * ```ts
 * const db = await createDatabase();
 * await db.transaction(async () => { await db.case.createCase({ ... }); await db.guildConfig.updateConfig(g, { ... }); });
 * await db.close();
 * ```
 */
@injectable()
export class DatabaseCoordinator {
  /** Moderation cases (`case` is a reserved word, so it cannot be a constructor parameter property). */
  readonly case: CaseRepository;

  constructor(
    readonly service: DatabaseService,
    readonly unitOfWork: UnitOfWork,
    caseRepository: CaseRepository,
    readonly guild: GuildRepository,
    readonly guildConfig: GuildConfigRepository,
    readonly afk: AfkRepository,
    readonly levels: LevelsRepository,
    readonly snippet: SnippetRepository,
    readonly starboard: StarboardRepository,
    readonly starboardMessage: StarboardMessageRepository,
    readonly reminder: ReminderRepository,
    readonly guildPermissions: GuildPermissionRepository,
    readonly permissionRanks: PermissionRankRepository,
    readonly permissionAssignments: PermissionAssignmentRepository,
    readonly permissionCommands: PermissionCommandRepository,
  ) {
    this.case = caseRepository;
  }

  /** Runs `fn` in one transaction that every repository call inside joins (see UnitOfWork.run). */
  transaction<T>(fn: () => Promise<T>, options?: UnitOfWorkOptions): Promise<T> {
    return this.unitOfWork.run(fn, options);
  }

  /** See DatabaseService.health. */
  health(): Promise<HealthReport> {
    return this.service.health();
  }

  /** Waits for running units of work, then closes the pool and stops the embedded server. */
  close(timeoutMs?: number): Promise<void> {
    return this.service.disconnect(timeoutMs);
  }
}
