import { container as rootContainer, instanceCachingFactory, type DependencyContainer } from 'tsyringe';
import { DatabaseService } from './service/database-service';
import { UnitOfWork } from './service/unit-of-work';
import { DatabaseCoordinator, REPOSITORIES } from './coordinator';
import { byRepositoryName, REPOSITORY_TABLE, type Repositories } from './repositories/repository-table';
import type { DatabaseOptions } from './config';
import { ValidationError } from './errors/validation-error';

/**
 * Registers the database in a tsyringe container: one DatabaseService (not yet connected: call
 * `connect()`), the UnitOfWork, every repository of REPOSITORY_TABLE (each under its class, and all together under
 * REPOSITORIES) and the DatabaseCoordinator, all as singletons.
 *
 * ```ts
 * registerDatabase(container, { url: process.env.DATABASE_URL });
 * await container.resolve(DatabaseService).connect();
 * const cases = container.resolve(CaseRepository);
 * ```
 * @throws ValidationError, before anything is registered, when `container` is not a tsyringe container or the
 * options are bad (see resolveOptions).
 */
export function registerDatabase(container: DependencyContainer, options: DatabaseOptions = {}): DatabaseService {
  if (!isContainer(container)) {
    throw ValidationError.forField('registerDatabase', 'container', 'must be a tsyringe DependencyContainer (container, or container.createChildContainer())');
  }
  const service = new DatabaseService(options);
  container.registerInstance(DatabaseService, service);
  container.registerInstance(UnitOfWork, new UnitOfWork(service));
  for (const { repository } of REPOSITORY_TABLE) container.registerSingleton<object>(repository);
  // The coordinator's repositories are the singletons above, so `db.case === container.resolve(CaseRepository)`.
  container.register(REPOSITORIES, { useFactory: instanceCachingFactory((c) => byRepositoryName((r) => c.resolve<object>(r.repository)) as Repositories) });
  container.registerSingleton(DatabaseCoordinator);
  return service;
}

/**
 * Connects (starting the embedded server when no URL is set), applies pending migrations unless
 * `migrate: false`, and returns the coordinator. `db.close()` undoes all of it.
 *
 * ```ts
 * const db = await createDatabase();
 * const c = await db.case.createCase({ caseType: CaseType.BAN, caseUserId: u, caseModeratorId: m, guildId: g });
 * await db.close();
 * ```
 * @throws DatabaseConnectionError when the server cannot be reached; ValidationError for bad options (null, an
 * unknown key, a wrong type), before anything connects.
 */
export async function createDatabase(options: DatabaseOptions = {}): Promise<DatabaseCoordinator> {
  const container = rootContainer.createChildContainer();
  const service = registerDatabase(container, options);
  await service.connect();
  return container.resolve(DatabaseCoordinator);
}

// JavaScript callers can pass anything; what registerDatabase calls must be there before anything is registered.
function isContainer(value: unknown): value is DependencyContainer {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<'register' | 'registerInstance' | 'registerSingleton' | 'resolve', unknown>>;
  return (['register', 'registerInstance', 'registerSingleton', 'resolve'] as const).every((method) => typeof candidate[method] === 'function');
}
