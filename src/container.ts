import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { DatabaseService } from './service/database-service';
import { UnitOfWork } from './service/unit-of-work';
import { DatabaseCoordinator } from './coordinator';
import { ALL_REPOSITORIES } from './repositories/all-repositories';
import type { DatabaseOptions } from './config';

/**
 * Registers the database in a tsyringe container: one DatabaseService (not yet connected: call
 * `connect()`), the UnitOfWork, every repository and the DatabaseCoordinator, all as singletons.
 *
 * ```ts
 * registerDatabase(container, { url: process.env.DATABASE_URL });
 * await container.resolve(DatabaseService).connect();
 * const cases = container.resolve(CaseRepository);
 * ```
 */
export function registerDatabase(container: DependencyContainer, options: DatabaseOptions = {}): DatabaseService {
  const service = new DatabaseService(options);
  container.registerInstance(DatabaseService, service);
  container.registerInstance(UnitOfWork, new UnitOfWork(service));
  for (const repository of ALL_REPOSITORIES) container.registerSingleton<object>(repository);
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
 * @throws DatabaseConnectionError when the server cannot be reached; ValidationError for bad options.
 */
export async function createDatabase(options: DatabaseOptions = {}): Promise<DatabaseCoordinator> {
  const container = rootContainer.createChildContainer();
  const service = registerDatabase(container, options);
  await service.connect();
  return container.resolve(DatabaseCoordinator);
}
