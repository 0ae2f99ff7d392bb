import sinon, { type SinonSandbox, type SinonStub, type SinonStubbedInstance } from 'sinon';
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

/** A DatabaseCoordinator whose every method, and every method of its repositories, is a sinon stub. */
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

/** A repository method that takes a callback, as the stubs see it. */
type CallbackStub = SinonStub<[fn: (repository: unknown) => Promise<unknown>], Promise<unknown>>;

/**
 * Stubs for bot authors' unit tests: no database, every repository and coordinator method a `sinon` stub (from
 * `sandbox` when given, so `sandbox.restore()` resets them). The methods that take a callback run it, as the
 * real ones do, so the bot code inside is tested too: `repository.withSession(fn)` returns `fn(repository)`,
 * `db.transaction(fn)` and `db.unitOfWork.run(fn)` return `fn()`. Each is still a stub (`calledOnce`, …).
 *
 * ```ts
 * const stub = createStubDatabase(sandbox);
 * stub.case.createCase.resolves(someCase);
 * await stub.case.withSession(async (cases) => cases.createCase(values)); // runs, and resolves someCase
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
  // Bot code does its database work inside these callbacks (the seed's `with_session` pattern): a stub that only
  // recorded the call would silently skip that code under test.
  for (const stub of Object.values(repositories)) (stub.withSession as CallbackStub).callsFake((fn) => fn(stub));
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
  stubCoordinatorMethods(sandbox, db, unitOfWork);
  const container = rootContainer.createChildContainer();
  container.registerInstance(DatabaseService, service);
  container.registerInstance(UnitOfWork, unitOfWork);
  container.registerInstance(DatabaseCoordinator, db);
  // sinon's stubs are made from each class's prototype, so `constructor` is the class: the DI token.
  for (const stub of Object.values(repositories)) container.registerInstance<object>(stub.constructor as InjectionToken<object>, stub);
  return { db, container, ...repositories };
}

/**
 * Stubs every method of the coordinator itself (read from its class, so a new one cannot be missed): `transaction`
 * runs its callback through the stubbed unit of work, the others (health, close) are plain stubs.
 */
function stubCoordinatorMethods(sandbox: SinonSandbox, db: DatabaseCoordinator, unitOfWork: SinonStubbedInstance<UnitOfWork>): void {
  for (const name of Object.getOwnPropertyNames(DatabaseCoordinator.prototype)) {
    const descriptor = Object.getOwnPropertyDescriptor(DatabaseCoordinator.prototype, name);
    if (name === 'constructor' || typeof descriptor?.value !== 'function') continue;
    sandbox.stub(db, name as keyof DatabaseCoordinator);
  }
  (db.transaction as unknown as SinonStub<Parameters<UnitOfWork['run']>, Promise<unknown>>).callsFake((fn, options) => unitOfWork.run(fn, options));
}
