import type { Pool, QueryResult, QueryResultRow } from 'pg';
import { convertError, RETRYABLE_SQLSTATES, sqlStateOf } from '../errors/convert-error';
import { DatabaseConnectionError } from '../errors/connection-error';
import { isGuildForeignKey } from './guild-race';
import { isChangedResultType, sendStatement, type StatementConfig } from './statement-query';
import type { Touches } from '../query/touches';

/** How many times a statement that lost a race (deadlock, serialization, guild deleted under it) runs again. */
const RACE_RETRIES = 3;
const RACE_BACKOFF_MS = 5;
/**
 * How many times a statement runs again after a connection failure that is safe to retry: delays double from
 * 50 ms up to 1 s, half of each random, so 3.3–6.6 s in all, enough for the embedded server's restart.
 */
const CONNECTION_RETRIES = 10;
const CONNECTION_BACKOFF_MS = 50;
const CONNECTION_MAX_DELAY_MS = 1_000;
// pg-pool's own default, for a pool whose options do not say.
const DEFAULT_POOL_MAX = 10;

/** What makes a statement safe to run again (StatementOptions carries both). */
export interface RetryFacts {
  /** It creates its guild row on the way, so a concurrent deleteGuild (23503 on fk_<table>_guild) is a lost race. */
  readonly createsGuild?: boolean;
  /** It is an upsert, so a unique violation (23505) may be a concurrent insert of the same row (StatementOptions.upsert). */
  readonly upsert?: boolean;
  /** What it touches, as its builder declared it; undefined for a raw caller's statement (an unknown write). */
  readonly touches?: Touches | undefined;
}

// A raw caller's statement with no options: no guild race to retry, and no declaration (an unknown write).
const NO_FACTS: RetryFacts = {};

/**
 * True when a statement may run again after its connection was lost while it ran: its builder declared it writes no
 * table and takes no row lock, so running it twice changes nothing. An undeclared statement (a raw caller's) counts
 * as an unknown write and is never run again. Decided from the declaration, never from the SQL text.
 * @example
 * mayRerunAfterLostConnection({ reads: ['cases'], writes: [], locks: false }); // true
 * mayRerunAfterLostConnection({ reads: ['reminder'], writes: ['reminder'], locks: true }); // false
 * mayRerunAfterLostConnection(undefined); // false
 */
export function mayRerunAfterLostConnection(touches: Touches | undefined): boolean {
  return touches !== undefined && touches.writes.length === 0 && !touches.locks;
}

/**
 * Runs one statement on the pool, as a transaction of its own, running it again, a bounded number of times with
 * jittered backoff, only when that is provably safe:
 * - the connection could not be opened (refused, reset, server starting or shutting down): nothing was sent;
 * - the connection was lost while a statement declared as writing nothing and locking nothing ran
 *   (mayRerunAfterLostConnection): running it again changes nothing;
 * - it lost a race and so changed nothing: deadlock victim or serialization failure (40P01, 40001); for
 *   a statement that creates its guild, a concurrent deleteGuild (23503); for an upsert, a concurrent insert of
 *   the same row, which fails on a unique key other than its conflict key (23505);
 * - its prepared statement's result type changed (a migration altered a column it returns; isChangedResultType):
 *   nothing ran, and the connection prepares it afresh.
 * A write (or an undeclared statement) whose connection was lost is not run again: it may have committed. A broken
 * connection is destroyed, never returned to the pool.
 * @throws the driver's error of the last attempt (the caller converts it)
 */
export function runOnPool<R extends QueryResultRow>(pool: Pool, config: StatementConfig, facts: RetryFacts = NO_FACTS): Promise<QueryResult<R>> {
  // One promise for the whole call, settled from pg's callbacks: a statement that succeeds at once (nearly all of
  // them) pays for no promise and no await per attempt.
  return new Promise((resolve, reject) => {
    const attempt = (n: number): void => {
      checkOutAndSend<R>(pool, config, (error, result, checkedOut) => {
        if (error === undefined) {
          resolve(result as QueryResult<R>);
          return;
        }
        const delay = retryDelay(pool, facts, error, checkedOut, n);
        if (delay === undefined) reject(error);
        else if (delay === 0) attempt(n + 1);
        else setTimeout(attempt, delay, n + 1);
      });
    };
    attempt(0);
  });
}

// How long to wait before attempt `attempt + 1` after `error` (0: at once), or undefined when the statement must not
// run again (runOnPool's rules).
function retryDelay(pool: Pool, facts: RetryFacts, error: unknown, checkedOut: boolean, attempt: number): number | undefined {
  if (!checkedOut) return attempt < CONNECTION_RETRIES && isConnectionFailure(error) ? reconnectDelay(attempt) : undefined;
  if (attempt < CONNECTION_RETRIES && isConnectionFailure(error) && mayRerunAfterLostConnection(facts.touches)) return reconnectDelay(attempt);
  // A statement whose result type changed fails once on each connection that had it prepared, which then prepares it
  // afresh: one attempt per pooled connection at most.
  if (attempt < (pool.options.max ?? DEFAULT_POOL_MAX) && isChangedResultType(error)) return 0;
  if (attempt < RACE_RETRIES && lostRace(error, facts)) return backoff(RACE_BACKOFF_MS, attempt);
  return undefined;
}

/**
 * Runs one statement on the pool once, as runOnPool's attempts do (no Describe once a connection has one; only a
 * failed connection is destroyed), with no retry: for a caller with rules of its own (a replica's read).
 * @throws the driver's error, or the pool's when no connection could be had
 */
export function queryOnceOnPool<R extends QueryResultRow>(pool: Pool, config: StatementConfig): Promise<QueryResult<R>> {
  return new Promise((resolve, reject) => checkOutAndSend<R>(pool, config, (error, result) => (error === undefined ? resolve(result as QueryResult<R>) : reject(error))));
}

// One attempt, as pool.query does it, with one difference: only a failed connection is destroyed; a statement error
// (a unique violation, a timeout) leaves a healthy connection that goes back to the pool. Written with pg's callback
// API, which makes no promise where pool.connect(), client.query() and their handlers made five: for a 100-row insert
// that was 0.86 × the same statement's speed on a bare pool (bench/RESULTS.md, "runOnPool's first attempt on pg's
// callback API"). The statement goes as a StatementQuery (no Describe once its connection has one). The client is the
// caller's alone until released, so the library Client's queueing (SerialClient, which a callback bypasses) has
// nothing to order. Calls `done` once: with the driver's error and whether a connection was had (when none was,
// nothing was sent), or with the result.
function checkOutAndSend<R extends QueryResultRow>(pool: Pool, config: StatementConfig, done: (error: unknown, result: QueryResult<R> | undefined, checkedOut: boolean) => void): void {
  pool.connect((connectError, client, releaseClient) => {
    if (connectError !== undefined && connectError !== null) {
      done(connectError, undefined, false);
      return;
    }
    if (client === undefined) {
      done(new Error('the pool handed out no client'), undefined, false);
      return;
    }
    let settled = false;
    const settle = (error: unknown, result: QueryResult<R> | undefined): void => {
      if (settled) return;
      settled = true;
      client.removeListener('error', onError);
      releaseClient(error !== undefined && isConnectionFailure(error) ? asError(error) : undefined);
      done(error, result, true);
    };
    // An error event on a checked-out client (the socket died) would otherwise be unhandled.
    const onError = (error: Error): void => settle(error, undefined);
    client.on('error', onError);
    sendStatement<R>(client, config, (error, result) => settle(error ?? undefined, result));
  });
}

/** True when `e` means the connection failed (as opposed to the statement). */
export function isConnectionFailure(e: unknown): boolean {
  return convertError(e) instanceof DatabaseConnectionError;
}

function lostRace(e: unknown, facts: RetryFacts): boolean {
  const code = sqlStateOf(e);
  if (code === undefined) return false;
  return RETRYABLE_SQLSTATES.has(code) || (facts.createsGuild === true && code === '23503' && isGuildForeignKey((e as { constraint?: string }).constraint)) || (facts.upsert === true && code === '23505');
}

// Full jitter, so the statements that collided (or the shards that all saw the server go) do not retry in lock step.
function backoff(baseMs: number, attempt: number): number {
  return Math.random() * baseMs * 2 ** attempt;
}

// Half fixed, half random: the fixed half makes the total long enough to outlast a server restart.
function reconnectDelay(attempt: number): number {
  const delay = Math.min(CONNECTION_MAX_DELAY_MS, CONNECTION_BACKOFF_MS * 2 ** attempt);
  return delay / 2 + Math.random() * (delay / 2);
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
