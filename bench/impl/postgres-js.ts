import postgres from 'postgres';
import type { Implementation } from '../implementation';
import type { PoolSettings } from '../pool-settings';
import { StatementImplementation } from './statement-implementation';

/** The function postgres.js calls for each statement it builds, when set in its options (see census.ts). */
export type PostgresDebugHook = (connection: number, query: string) => void;

/** A postgres.js instance whose per-statement hook the census can switch on and off. */
export interface PostgresJs extends Implementation {
  /** Sets (or, with undefined, clears) the hook postgres.js calls with each statement's text. */
  setStatementHook(hook: PostgresDebugHook | undefined): void;
}

/**
 * postgres.js (the `postgres` package) with the library's statements through `sql.unsafe(text, values,
 * { prepare: true })`: implicit named statements (Parse/Describe once per connection, then Bind/Execute),
 * its own parsers (int8 as text, timestamptz with `new Date`), pipelining when callers outnumber connections.
 * Tagged templates would send the same statements; `unsafe` keeps the text byte-identical to the library's.
 */
export function createPostgresJs(name: string, url: string, settings: PoolSettings): PostgresJs {
  const sql = postgres(url, {
    max: settings.max,
    idle_timeout: settings.idleTimeoutMillis / 1000,
    connect_timeout: settings.connectionTimeoutMillis / 1000,
    prepare: true,
    onnotice: () => undefined,
    connection: { application_name: settings.applicationName, statement_timeout: settings.statementTimeoutMs },
  });
  const impl = new StatementImplementation(
    name,
    async (_statement, text, values) => {
      // postgres.js types an array parameter by its first element, so an array of Dates would go as one timestamptz;
      // sql.array gives it the array type, as postgres.js's documentation says to for arrays.
      const params = values.map((v) => (Array.isArray(v) && v[0] instanceof Date ? sql.array(v) : v));
      const rows = await sql.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare: true });
      return { rows, rowCount: rows.count ?? 0 };
    },
    () => sql.end({ timeout: 5 }),
  );
  // postgres.js reads `options.debug` on every statement it builds; setting it here (not at creation, which
  // would also make it capture a stack per query) counts statements without slowing the measured slices. The
  // array-type lookup it runs on each new connection is its own setup, not the op's, and is left out.
  const options = sql.options as { debug: unknown };
  return Object.assign(impl, {
    setStatementHook(hook: PostgresDebugHook | undefined): void {
      options.debug = hook ? (connection: number, query: string) => (query.includes('pg_catalog.pg_type') ? undefined : hook(connection, query)) : false;
    },
  });
}
