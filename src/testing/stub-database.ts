import sinon, { type SinonSandbox, type SinonStubbedInstance } from 'sinon';
import { container as rootContainer, type DependencyContainer, type InjectionToken } from 'tsyringe';
import { DatabaseCoordinator } from '../coordinator';
import { DatabaseService } from '../service/database-service';
import { UnitOfWork } from '../service/unit-of-work';
import { AfkRepository } from '../repositories/afk-repository';
import { CaseRepository } from '../repositories/case-repository';
import { GuildConfigRepository } from '../repositories/guild-config-repository';
import { GuildPermissionRepository } from '../repositories/guild-permission-repository';
import { GuildRepository } from '../repositories/guild-repository';
import { LevelsRepository } from '../repositories/levels-repository';
import { PermissionAssignmentRepository } from '../repositories/permission-assignment-repository';
import { PermissionCommandRepository } from '../repositories/permission-command-repository';
import { PermissionRankRepository } from '../repositories/permission-rank-repository';
import { ReminderRepository } from '../repositories/reminder-repository';
import { SnippetRepository } from '../repositories/snippet-repository';
import { StarboardMessageRepository } from '../repositories/starboard-message-repository';
import { StarboardRepository } from '../repositories/starboard-repository';

/** A DatabaseCoordinator whose every repository method is a sinon stub. */
export interface StubDatabase {
  readonly db: DatabaseCoordinator;
  readonly case: SinonStubbedInstance<CaseRepository>;
  readonly guild: SinonStubbedInstance<GuildRepository>;
  readonly guildConfig: SinonStubbedInstance<GuildConfigRepository>;
  readonly afk: SinonStubbedInstance<AfkRepository>;
  readonly levels: SinonStubbedInstance<LevelsRepository>;
  readonly snippet: SinonStubbedInstance<SnippetRepository>;
  readonly starboard: SinonStubbedInstance<StarboardRepository>;
  readonly starboardMessage: SinonStubbedInstance<StarboardMessageRepository>;
  readonly reminder: SinonStubbedInstance<ReminderRepository>;
  readonly guildPermissions: SinonStubbedInstance<GuildPermissionRepository>;
  readonly permissionRanks: SinonStubbedInstance<PermissionRankRepository>;
  readonly permissionAssignments: SinonStubbedInstance<PermissionAssignmentRepository>;
  readonly permissionCommands: SinonStubbedInstance<PermissionCommandRepository>;
  /** A child container resolving the coordinator, every repository and the service to the stubs. */
  readonly container: DependencyContainer;
}

/**
 * Stubs for bot authors' unit tests: no database, every repository method a `sinon` stub (from `sandbox`
 * when given, so `sandbox.restore()` resets them). `db.transaction(fn)` simply runs `fn`.
 *
 * ```ts
 * const stub = createStubDatabase(sandbox);
 * stub.case.createCase.resolves(someCase);
 * const service = new ModerationService(stub.db);
 * ```
 */
export function createStubDatabase(sandbox: SinonSandbox = sinon.createSandbox()): StubDatabase {
  const repositories = {
    case: sandbox.createStubInstance(CaseRepository),
    guild: sandbox.createStubInstance(GuildRepository),
    guildConfig: sandbox.createStubInstance(GuildConfigRepository),
    afk: sandbox.createStubInstance(AfkRepository),
    levels: sandbox.createStubInstance(LevelsRepository),
    snippet: sandbox.createStubInstance(SnippetRepository),
    starboard: sandbox.createStubInstance(StarboardRepository),
    starboardMessage: sandbox.createStubInstance(StarboardMessageRepository),
    reminder: sandbox.createStubInstance(ReminderRepository),
    guildPermissions: sandbox.createStubInstance(GuildPermissionRepository),
    permissionRanks: sandbox.createStubInstance(PermissionRankRepository),
    permissionAssignments: sandbox.createStubInstance(PermissionAssignmentRepository),
    permissionCommands: sandbox.createStubInstance(PermissionCommandRepository),
  };
  const service = sandbox.createStubInstance(DatabaseService);
  const unitOfWork = sandbox.createStubInstance(UnitOfWork);
  unitOfWork.run.callsFake((fn: () => Promise<unknown>) => fn());
  const db = new DatabaseCoordinator(
    service,
    unitOfWork,
    repositories.case,
    repositories.guild,
    repositories.guildConfig,
    repositories.afk,
    repositories.levels,
    repositories.snippet,
    repositories.starboard,
    repositories.starboardMessage,
    repositories.reminder,
    repositories.guildPermissions,
    repositories.permissionRanks,
    repositories.permissionAssignments,
    repositories.permissionCommands,
  );
  const container = rootContainer.createChildContainer();
  container.registerInstance(DatabaseService, service);
  container.registerInstance(UnitOfWork, unitOfWork);
  container.registerInstance(DatabaseCoordinator, db);
  // sinon's stubs are made from each class's prototype, so `constructor` is the class: the DI token.
  for (const stub of Object.values(repositories)) container.registerInstance<object>(stub.constructor as InjectionToken<object>, stub);
  return { db, container, ...repositories };
}
