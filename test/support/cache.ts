import { createConnection } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DatabaseCoordinator } from '../../src/coordinator';
import { deleteGuilds, openTestDatabase, randomSnowflake } from './fixtures';
import type { QueryEvent } from '../../src/service/query-event';
import type { CacheOption, DatabaseOptions } from '../../src/config';
import { prepareTestServer, testDatabaseUrl } from './test-server';

/** Where the suite's Redis is: this machine kind (and CI) runs one on 127.0.0.1:6379. */
export const TEST_REDIS_URL = process.env['TUX_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** Whether a Redis answers at TEST_REDIS_URL. */
export function redisAnswers(): Promise<boolean> {
  const url = new URL(TEST_REDIS_URL);
  return new Promise((resolve) => {
    const socket = createConnection(Number(url.port || 6379), url.hostname);
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Options that give a coordinator a cache of `backend` on the test database. Behind a pooler the LISTEN connection
 * needs the direct URL (TUX_TEST_DIRECT_URL, which .ci/run sets); undefined when there is none.
 */
export function cacheOptions(backend: CacheOption): DatabaseOptions | undefined {
  const behindPooler = ['1', 'true', 'yes', 'on'].includes((process.env['TUX_DB_BEHIND_POOLER'] ?? '').toLowerCase());
  const direct = process.env['TUX_TEST_DIRECT_URL'];
  if (behindPooler && direct === undefined) return undefined;
  return { cache: backend, ...(behindPooler && direct !== undefined ? { cacheListenUrl: new URL(new URL(testDatabaseUrl()).pathname, direct).toString() } : {}) };
}

/**
 * In a suite's `before`: prepares the test server and returns the cache options of `backend`, or skips the suite
 * saying why (no Redis answers; behind a pooler with no direct URL for LISTEN).
 * @example
 * before(async function () { options = await cacheOptionsOrSkip(this, 'memory'); });
 */
export async function cacheOptionsOrSkip(suite: Mocha.Context, backend: CacheOption): Promise<DatabaseOptions> {
  await prepareTestServer();
  if (backend !== 'memory' && backend !== false && !(await redisAnswers())) {
    // Skip reason: the Redis backend is tested against a real server only; CI's machine runs one on 6379.
    console.log(`    (skipped: no Redis answers at ${TEST_REDIS_URL}; set TUX_TEST_REDIS_URL)`);
    suite.skip();
  }
  const options = cacheOptions(backend);
  if (options === undefined) {
    // Skip reason: LISTEN cannot live behind a transaction pooler; CI's PgBouncer run sets TUX_TEST_DIRECT_URL.
    console.log('    (skipped: behind a pooler the cache needs a direct URL for LISTEN; set TUX_TEST_DIRECT_URL)');
    return suite.skip();
  }
  return options;
}

/** Reads `read` until it returns `expected`, at most `attempts` times 10 ms apart; returns the values seen in order. */
export async function readUntil<T>(read: () => Promise<T>, expected: T, attempts = 500): Promise<T[]> {
  const seen: T[] = [];
  for (let i = 0; i < attempts; i++) {
    const value = await read();
    seen.push(value);
    if (value === expected) return seen;
    await sleep(10);
  }
  return seen;
}

/**
 * After a write, until the read is answered from the cache twice in a row: the writer's own notification, which
 * arrives a moment after its write returned and drops the entry once more, has then been handled.
 */
export async function settle(db: DatabaseCoordinator, read: () => Promise<unknown>): Promise<void> {
  let hits = 0;
  for (let i = 0; i < 200 && hits < 2; i++) {
    await sleep(20);
    hits = (await sent(db, read)).length === 0 ? hits + 1 : 0;
  }
}

/** Statements sent to the server while `work` runs (a read answered from the cache sends none). */
export async function sent(db: DatabaseCoordinator, work: () => Promise<unknown>): Promise<QueryEvent[]> {
  const events: QueryEvent[] = [];
  const stop = db.service.onQuery((e) => events.push(e));
  try {
    await work();
  } finally {
    stop();
  }
  return events;
}

/** Two bot processes' worth of the library, each with its own cache and LISTEN connection (see useTwoCaches). */
export interface TwoCaches {
  /** The first coordinator (opened in the suite's `before`). */
  readonly a: DatabaseCoordinator;
  /** The second coordinator. */
  readonly b: DatabaseCoordinator;
  /** A fresh guild id, deleted after the suite. */
  newGuild(): string;
}

/**
 * In the body of a `describe`: opens two coordinators with caches of `backend` before the suite (skipping it, with
 * the reason, when that backend is not available: see cacheOptionsOrSkip) and closes them after, deleting the guilds
 * newGuild() handed out.
 * @example
 * const t = useTwoCaches('memory');
 * it('…', async () => { await t.a.guildConfig.setPrefix(t.newGuild(), '?'); });
 */
export function useTwoCaches(backend: CacheOption): TwoCaches {
  const guilds: string[] = [];
  let opened: [DatabaseCoordinator, DatabaseCoordinator] | undefined;
  const coordinators = (): [DatabaseCoordinator, DatabaseCoordinator] => {
    if (opened === undefined) throw new Error('useTwoCaches: the coordinators open in the suite’s before hook');
    return opened;
  };
  before(async function () {
    this.timeout(180_000);
    const options = await cacheOptionsOrSkip(this, backend);
    opened = [await openTestDatabase(options), await openTestDatabase(options)];
  });
  after(async () => {
    if (opened === undefined) return;
    await deleteGuilds(opened[0], guilds);
    await Promise.all(opened.map((db) => db.close()));
  });
  return {
    get a() {
      return coordinators()[0];
    },
    get b() {
      return coordinators()[1];
    },
    newGuild: () => {
      const id = randomSnowflake();
      guilds.push(id);
      return id;
    },
  };
}
