import { createConnection } from 'node:net';
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
    console.log(`    (skipped: no Redis answers at ${TEST_REDIS_URL}; set TUX_TEST_REDIS_URL)`);
    suite.skip();
  }
  const options = cacheOptions(backend);
  if (options === undefined) {
    console.log('    (skipped: behind a pooler the cache needs a direct URL for LISTEN; set TUX_TEST_DIRECT_URL)');
    return suite.skip();
  }
  return options;
}
