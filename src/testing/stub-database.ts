import sinon, { type SinonSandbox, type SinonStub, type SinonStubbedInstance } from 'sinon';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { DatabaseCoordinator, REPOSITORIES } from '../coordinator';
import { DatabaseService } from '../service/database-service';
import { UnitOfWork } from '../service/unit-of-work';
import { byRepositoryName, REPOSITORY_TABLE, type Repositories, type RepositoryName } from '../repositories/repository-table';

/** One sinon-stubbed repository per REPOSITORY_TABLE row, under the coordinator's name for it (`case`, `guild`, …). */
export type StubRepositories = { readonly [K in RepositoryName]: SinonStubbedInstance<Repositories[K]> };

/**
 * The coordinator of createStubDatabase, typed as what it is: a DatabaseCoordinator (bot code takes it as one) whose
 * own methods (`transaction`, `health`, `close`), unit of work, service and repositories are sinon stubs, so
 * `sinon.assert.calledOnce(stub.db.transaction)` and `stub.db.health.resolves(report)` need no cast.
 */
export type StubCoordinator = SinonStubbedInstance<DatabaseCoordinator> &
  StubRepositories & {
    readonly unitOfWork: SinonStubbedInstance<UnitOfWork>;
    readonly service: SinonStubbedInstance<DatabaseService>;
  };

/** A DatabaseCoordinator whose every method, and every method of its repositories, is a sinon stub. */
export interface StubDatabase extends StubRepositories {
  readonly db: StubCoordinator;
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
  const repositories = byRepositoryName((r) => sandbox.createStubInstance<object>(r.repository)) as StubRepositories;
  // Bot code does its database work inside these callbacks (the seed's `with_session` pattern): a stub that only
  // recorded the call would silently skip that code under test.
  for (const stub of Object.values(repositories)) (stub.withSession as CallbackStub).callsFake((fn) => fn(stub));
  const service = sandbox.createStubInstance(DatabaseService);
  const unitOfWork = sandbox.createStubInstance(UnitOfWork);
  unitOfWork.run.callsFake((fn: () => Promise<unknown>) => fn());
  const db = new DatabaseCoordinator(service, unitOfWork, repositories);
  stubCoordinatorMethods(sandbox, db, unitOfWork);
  const container = rootContainer.createChildContainer();
  container.registerInstance(DatabaseService, service);
  container.registerInstance(UnitOfWork, unitOfWork);
  container.registerInstance(DatabaseCoordinator, db);
  container.registerInstance(REPOSITORIES, repositories);
  for (const { name, repository } of REPOSITORY_TABLE) container.registerInstance<object>(repository, repositories[name]);
  // Every member the type names a stub is one: the repositories and unit of work above, the service, the methods.
  return { db: db as StubCoordinator, container, ...repositories };
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
