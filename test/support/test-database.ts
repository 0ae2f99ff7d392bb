import type { DatabaseOptions } from '../../src/config';
import type { DatabaseCoordinator } from '../../src/coordinator';
import { deleteGuilds, openTestDatabase, randomSnowflake } from './fixtures';
import { TEST_SERVER_PREPARE_TIMEOUT_MS } from './test-server';

export interface TestDatabaseOptions extends DatabaseOptions {
  /** When the guilds `newGuild` handed out are deleted: after each test, or once after the suite (the default). */
  readonly deleteGuilds?: 'afterEach' | 'after';
}

/** What `useTestDatabase` gives a suite. */
export interface TestDatabase {
  /** The suite's coordinator; only usable in tests and hooks, once the suite's `before` has run. */
  readonly db: DatabaseCoordinator;
  /** A random guild id, deleted (with every row that cascades from it) when the suite cleans up. */
  newGuild(): string;
  /** Runs `fn` and returns its result with the SQL of every statement it sent through the repositories. */
  countStatements<T>(fn: () => Promise<T>): Promise<{ result: T; statements: string[] }>;
}

/**
 * Opens a coordinator on the suite's test database before the enclosing `describe` runs (starting the test
 * server if no suite has yet) and closes it after, deleting the guilds the suite made. Call it in the body of
 * a `describe`.
 */
export function useTestDatabase(options: TestDatabaseOptions = {}): TestDatabase {
  const { deleteGuilds: cleanup = 'after', ...databaseOptions } = options;
  let opened: DatabaseCoordinator | undefined;
  const guilds: string[] = [];
  const database = (): DatabaseCoordinator => {
    if (!opened) throw new Error('useTestDatabase: db is only available inside tests and hooks, after the suite’s before hook has run');
    return opened;
  };

  before(async function () {
    // The first suite to open the database also starts the test server.
    this.timeout(TEST_SERVER_PREPARE_TIMEOUT_MS);
    opened = await openTestDatabase(databaseOptions);
  });
  if (cleanup === 'afterEach') {
    afterEach(async () => {
      await deleteGuilds(database(), guilds.splice(0));
    });
  }
  after(async () => {
    if (!opened) return;
    await deleteGuilds(opened, guilds.splice(0));
    await opened.close();
    opened = undefined;
  });

  return {
    get db() {
      return database();
    },
    newGuild: () => {
      const id = randomSnowflake();
      guilds.push(id);
      return id;
    },
    countStatements: async (fn) => {
      const statements: string[] = [];
      const stop = database().service.addQueryListener((text) => statements.push(text));
      try {
        return { result: await fn(), statements };
      } finally {
        stop();
      }
    },
  };
}
