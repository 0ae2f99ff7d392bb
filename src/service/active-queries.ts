import type { DataSource } from 'typeorm';
import { convertError } from '../errors/convert-error';

/** A session of the current database that runs long, waits on a lock, or holds one that another waits on. */
export interface ActiveQuery {
  readonly pid: number;
  readonly user: string | null;
  readonly applicationName: string;
  /** `active`, `idle in transaction`, …; `idle` only for a session that blocks another (it holds a session lock). */
  readonly state: string | null;
  /** How long its current (or, when idle, last) statement has run, in ms. */
  readonly durationMs: number;
  /** What it waits for (`Lock: transactionid`, …), or null. */
  readonly waitingFor: string | null;
  /** The sessions whose locks it waits on (`pg_blocking_pids`); empty when not blocked. */
  readonly blockedBy: ReadonlyArray<number>;
  /** Whether another session waits on a lock it holds. */
  readonly blocking: boolean;
  readonly query: string;
}

/** Which sessions `activeQueries` reports. */
export interface ActiveQueriesOptions {
  /** A non-idle statement running at least this long is "long-running" (default 300 000 ms, Tux's 5 minutes). */
  readonly minDurationMs?: number;
}

/** Tux's `db queries` threshold: 5 minutes. */
export const DEFAULT_LONG_QUERY_MS = 300_000;

interface ActivityRow {
  readonly pid: number;
  readonly usename: string | null;
  readonly application_name: string;
  readonly state: string | null;
  readonly duration_ms: number | null;
  readonly wait_event_type: string | null;
  readonly wait_event: string | null;
  readonly blocked_by: number[];
  readonly blocking: boolean;
  readonly query: string;
}

const ACTIVE_QUERIES_SQL = `WITH activity AS (
  SELECT a.*, pg_blocking_pids(a.pid) AS blocked_by FROM pg_stat_activity a
  WHERE a.datname = current_database() AND a.backend_type = 'client backend' AND a.pid <> pg_backend_pid()
), blockers AS (SELECT DISTINCT unnest(blocked_by) AS pid FROM activity)
SELECT a.pid, a.usename, a.application_name, a.state,
  (extract(epoch FROM clock_timestamp() - a.query_start) * 1000)::float8 AS duration_ms,
  a.wait_event_type, a.wait_event, a.blocked_by, a.pid IN (SELECT pid FROM blockers) AS blocking, a.query
FROM activity a
WHERE cardinality(a.blocked_by) > 0 OR a.pid IN (SELECT pid FROM blockers)
   OR (a.state IS DISTINCT FROM 'idle' AND a.query_start <= clock_timestamp() - $1::float8 * interval '1 millisecond')
ORDER BY a.query_start NULLS LAST, a.pid`;

/**
 * The current database's long-running statements (not idle, running at least `minDurationMs`), the sessions
 * waiting on a lock, and the sessions holding the locks they wait on, oldest first. Its own session is
 * left out; sessions of other databases on the server are not shown.
 * A negative or non-finite `minDurationMs` counts as 0.
 * @throws DatabaseError (converted) when pg_stat_activity cannot be read.
 * @example
 * const stuck = (await activeQueries(service.dataSource, { minDurationMs: 60_000 })).filter((q) => q.blockedBy.length > 0);
 */
export async function activeQueries(dataSource: DataSource, options: ActiveQueriesOptions = {}): Promise<ReadonlyArray<ActiveQuery>> {
  const threshold = options.minDurationMs ?? DEFAULT_LONG_QUERY_MS;
  const minDurationMs = Number.isFinite(threshold) && threshold > 0 ? threshold : 0;
  let rows: ActivityRow[];
  try {
    rows = await dataSource.query(ACTIVE_QUERIES_SQL, [minDurationMs]);
  } catch (e) {
    throw convertError(e);
  }
  return rows.map((r) => ({
    pid: r.pid,
    user: r.usename,
    applicationName: r.application_name,
    state: r.state,
    durationMs: Math.max(0, Math.round(r.duration_ms ?? 0)),
    waitingFor: r.wait_event_type === null ? null : `${r.wait_event_type}: ${r.wait_event ?? '?'}`,
    blockedBy: r.blocked_by,
    blocking: r.blocking,
    query: r.query,
  }));
}
