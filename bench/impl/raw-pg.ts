import { Client, Pool, type CustomTypesConfig, type QueryConfig, type QueryResult, type QueryResultRow } from 'pg';
import { ExactDateClient } from '../../src/service/exact-date-client';
import { runOnPool } from '../../src/service/pool-statement';
import { TYPE_PARSERS } from '../../src/service/type-parsers';
import type { Implementation } from '../implementation';
import { pgPoolConfig, type PoolSettings } from '../pool-settings';
import { StatementImplementation } from './statement-implementation';

/** How a raw pg implementation talks to the server. */
export interface RawPgOptions {
  /** Named statements (parsed and planned once per connection) instead of unnamed ones. */
  readonly prepared: boolean;
  /** The library's type parsers (its timestamptz parser) instead of pg's defaults. */
  readonly libraryParsers: boolean;
  /** The library's Client class (ExactDateClient: queued queries, Dates bound as exact UTC text). */
  readonly libraryClient?: boolean;
  /** Through the library's runOnPool (check out, query, release, retry when safe) instead of `pool.query`. */
  readonly libraryCheckout?: boolean;
  /** Through checkoutWithCallbacks: runOnPool's steps with pg's callback API (the proposal in RESULTS.md). */
  readonly callbackCheckout?: boolean;
}

/**
 * What runOnPool does on its first attempt (check out a client, watch it for a socket error, run the statement,
 * release the client, destroying it only when its connection failed), written with pg's callback API: one promise
 * per statement instead of five (pool.connect's, Client.query's and its .catch, the wrapper's, the async function's).
 * A prototype to measure the proposal in bench/RESULTS.md; retries are left out, as they cost nothing until an error.
 */
export function checkoutWithCallbacks<R extends QueryResultRow>(pool: Pool, config: QueryConfig): Promise<QueryResult<R>> {
  return new Promise((resolve, reject) => {
    pool.connect((connectError, client, done) => {
      if (connectError || client === undefined) {
        reject(connectError ?? new Error('no client'));
        return;
      }
      let released = false;
      const release = (error?: Error): void => {
        if (released) return;
        released = true;
        client.removeListener('error', onError);
        done(error);
      };
      const onError = (error: Error): void => {
        release(error);
        reject(error);
      };
      client.once('error', onError);
      client.query<R>(config, (error: Error | undefined, result: QueryResult<R>) => {
        // A statement error leaves a healthy connection (the library destroys only failed connections).
        release(undefined);
        if (error) reject(error);
        else resolve(result);
      });
    });
  });
}

/**
 * pg requires an 'error' listener on a Pool: an idle client whose server goes away (the embedded server stops
 * right after the pools end, while their sockets are still closing) emits one, and without a listener the
 * process dies. A client in use reports its error to its query instead.
 */
export function ignoreIdleErrors(pool: Pool): Pool {
  pool.on('error', () => undefined);
  return pool;
}

/**
 * The library's statements on a plain pg Pool. With `prepared` and `libraryParsers` this is the ceiling: the
 * same statement, named, read with the same parsers, and nothing else, so the least a layer on pg can do.
 */
export function createRawPg(name: string, url: string, settings: PoolSettings, options: RawPgOptions): Implementation {
  const types: CustomTypesConfig | undefined = options.libraryParsers ? TYPE_PARSERS : undefined;
  const pool = ignoreIdleErrors(new Pool({ ...pgPoolConfig(url, settings), ...(options.libraryClient ? { Client: ExactDateClient } : { Client }), ...(types ? { types } : {}) }));
  return new StatementImplementation(
    name,
    async (statement, text, values) => {
      const config: QueryConfig = options.prepared ? { name: statement, text, values } : { text, values };
      const result = options.libraryCheckout ? await runOnPool(pool, config) : options.callbackCheckout ? await checkoutWithCallbacks(pool, config) : await pool.query(config);
      return { rows: result.rows, rowCount: result.rowCount ?? 0 };
    },
    () => pool.end(),
  );
}
