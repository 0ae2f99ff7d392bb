import { Client, Pool, type CustomTypesConfig, type QueryResult } from 'pg';
import { ExactDateClient } from '../../src/service/exact-date-client';
import { runOnPool } from '../../src/service/pool-statement';
import { sendStatement, type StatementConfig } from '../../src/service/statement-query';
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
  /**
   * The library's statement protocol (StatementQuery: a named statement its connection has described goes without
   * a Describe, and pg does not copy the config) instead of pg's Query. runOnPool always sends it so.
   */
  readonly libraryStatements?: boolean;
  /** Through the library's runOnPool (check out, query, release, retry when safe) instead of `pool.query`. */
  readonly libraryCheckout?: boolean;
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

// pool.query's checkout with a StatementQuery (pool.query itself takes no query object with its own callback).
function queryDescribedOnce(pool: Pool, config: StatementConfig): Promise<QueryResult> {
  return new Promise((resolve, reject) => {
    pool.connect((connectError, client, release) => {
      if (connectError || !client) {
        reject(connectError ?? new Error('the pool handed out no client'));
        return;
      }
      sendStatement(client, config, (error, result) => {
        release(error);
        if (error) reject(error);
        else resolve(result);
      });
    });
  });
}

/**
 * The library's statements on a plain pg Pool. With `prepared`, `libraryParsers` and `libraryStatements` this is
 * the ceiling: the same statement, named, read with the same parsers and sent the same way, and nothing else, so
 * the least a layer on pg can do.
 */
export function createRawPg(name: string, url: string, settings: PoolSettings, options: RawPgOptions): Implementation {
  const types: CustomTypesConfig | undefined = options.libraryParsers ? TYPE_PARSERS : undefined;
  const pool = ignoreIdleErrors(new Pool({ ...pgPoolConfig(url, settings), ...(options.libraryClient ? { Client: ExactDateClient } : { Client }), ...(types ? { types } : {}) }));
  return new StatementImplementation(
    name,
    async (statement, text, values) => {
      const config: StatementConfig = options.prepared ? { name: statement, text, values } : { text, values };
      const result = options.libraryCheckout ? await runOnPool(pool, config) : options.libraryStatements ? await queryDescribedOnce(pool, config) : await pool.query(config);
      return { rows: result.rows, rowCount: result.rowCount ?? 0 };
    },
    () => pool.end(),
  );
}
