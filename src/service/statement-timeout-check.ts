import type { Pool } from 'pg';
import type { ResolvedOptions } from '../config';

interface TimeoutRow {
  readonly ms: number;
  readonly role: string;
}

/**
 * Compares the statement_timeout a fresh pooled session has with `statementTimeoutMs`, and returns a warning when
 * they differ, or null. Directly connected, the library sets it as a startup parameter, so a difference means a
 * pooler dropped it (PgBouncer's `ignore_startup_parameters`): set `behindPooler`. Behind a pooler, units set it
 * with SET LOCAL, but single statements run with the role's own value: the warning gives the ALTER ROLE that fixes it.
 * @example
 * const warning = await statementTimeoutWarning(pool, options);
 * if (warning) process.emitWarning(warning, 'TuxDatabaseStatementTimeout');
 */
export async function statementTimeoutWarning(pool: Pool, options: Pick<ResolvedOptions, 'statementTimeoutMs' | 'behindPooler'>): Promise<string | null> {
  const row = (await pool.query<TimeoutRow>("SELECT setting::int AS ms, current_user AS role FROM pg_settings WHERE name = 'statement_timeout'")).rows[0];
  if (row === undefined || row.ms === options.statementTimeoutMs) return null;
  const wanted = options.statementTimeoutMs;
  const role = `"${row.role.replace(/"/g, '""')}"`;
  if (options.behindPooler) {
    return `Single statements outside units run with the server's statement_timeout of ${row.ms} ms here, not the configured ${wanted} ms: behind a transaction pooler the library cannot set it per connection (units of work set it with SET LOCAL). Run ALTER ROLE ${role} SET statement_timeout = ${wanted}; as the server's owner to bound them too.`;
  }
  return `The server's statement_timeout is ${row.ms} ms, not the configured ${wanted} ms: something between the library and the server dropped it (a pooler such as PgBouncer with ignore_startup_parameters?). Behind a transaction-mode pooler set behindPooler: true (TUX_DB_BEHIND_POOLER=1).`;
}
