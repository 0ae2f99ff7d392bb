import { setTimeout as sleep } from 'node:timers/promises';
import { inspect } from 'node:util';
import { convertError, RETRYABLE_SQLSTATES, sqlStateOf } from '../errors/convert-error';
import { checkOptions } from '../query/check-options';
import { DatabaseConnectionError } from '../errors/connection-error';
import { DatabaseClosedError, SerializationFailureError, TransactionError } from '../errors/transaction-errors';
import { ValidationError } from '../errors/validation-error';
import { isChangedResultType } from './statement-query';
import { TransactionContext } from './transaction-context';
import type { DatabaseService } from './database-service';
import { MAX_UNIT_RETRIES } from '../config';

/** Isolation levels a unit of work may ask for. */
export const ISOLATION_LEVELS = ['READ UNCOMMITTED', 'READ COMMITTED', 'REPEATABLE READ', 'SERIALIZABLE'] as const;

/** A transaction isolation level. */
export type IsolationLevel = (typeof ISOLATION_LEVELS)[number];

/** Options of one unit of work. */
export interface UnitOfWorkOptions {
  /** Default READ COMMITTED (the server's default). Ignored by nested units, which are savepoints. */
  readonly isolationLevel?: IsolationLevel | undefined;
  /** Overrides the `maxRetries` option for this unit (an integer from 0 to MAX_UNIT_RETRIES). */
  readonly maxRetries?: number | undefined;
}


const OPTION_KEYS = ['isolationLevel', 'maxRetries'] as const;
const CONFLICTS: Readonly<Record<string, string>> = { '40P01': 'a deadlock', '23503': 'a concurrent delete of its guild' };
const BASE_BACKOFF_MS = 5;
const MAX_BACKOFF_MS = 250;

/**
 * Runs a callback in one transaction. Every repository call inside it joins the transaction without being
 * passed anything; a nested run is a savepoint; serialization failures and deadlocks retry the whole unit.
 *
 * ```ts
 * await unitOfWork.run(async () => {
 *   const c = await db.case.createCase({ guildId, caseType: CaseType.WARN, caseUserId: userId, caseModeratorId: modId });
 *   await db.guildConfig.updateConfig(c.guildId, { modLogId: '1200000000000000001' });
 * }); // both committed, or neither
 * ```
 */
export class UnitOfWork {
  constructor(private readonly service: DatabaseService) {}

  /**
   * Runs `fn` in a transaction: commit on return, roll back on throw, connection always released. It resolves
   * only when the transaction committed, after every statement started inside it has settled. Calls started
   * concurrently inside it (`Promise.all`) run one at a time in call order; nested units never interleave.
   * The callback may run more than once when the server reports a serialization failure or deadlock,
   * so keep side effects outside the database idempotent.
   * @throws TransactionError when a statement inside failed but `fn` returned anyway (its `cause` is that first
   * failure); SerializationFailureError after the retries are used up; ValidationError for a non-function or bad
   * options; whatever `fn` threw otherwise.
   *
   * ```ts
   * await db.transaction(async () => {
   *   await db.case.createCase({ caseType: CaseType.WARN, caseUserId: u, caseModeratorId: m, guildId: g });
   *   // An expected failure goes in a nested unit: only its own writes are undone.
   *   await db.transaction(() => db.snippet.createSnippet({ snippetName: 'rules', snippetUserId: m, guildId: g })).catch(() => undefined);
   * });
   * ```
   */
  async run<T>(fn: () => Promise<T>, options: UnitOfWorkOptions = {}): Promise<T> {
    if (typeof fn !== 'function') throw ValidationError.forField('UnitOfWork', 'fn', 'must be a function (the work to run in the transaction)');
    checkOptions('UnitOfWork', options, OPTION_KEYS, 'transaction');
    const { isolationLevel, maxRetries = this.service.options.maxRetries } = options;
    if (isolationLevel !== undefined && !ISOLATION_LEVELS.includes(isolationLevel)) {
      throw ValidationError.forField('UnitOfWork', 'isolationLevel', `must be one of ${ISOLATION_LEVELS.join(', ')} (got ${inspect(isolationLevel)})`);
    }
    if (typeof maxRetries !== 'number' || !Number.isSafeInteger(maxRetries) || maxRetries < 0 || maxRetries > MAX_UNIT_RETRIES) {
      throw ValidationError.forField('UnitOfWork', 'maxRetries', `must be an integer from 0 to ${MAX_UNIT_RETRIES}`);
    }
    const outer = this.service.transactions.getStore();
    if (outer) return outer.nested((level) => this.service.transactions.run(level, fn));
    const ticket = this.service.beginUnit();
    try {
      for (let attempt = 0; ; attempt++) {
        const progress = { commitSent: false };
        try {
          return await this.runOnce(fn, isolationLevel, progress);
        } catch (e) {
          if (this.service.closedUnderRunningUnits() && isConnectionError(e)) {
            throw new DatabaseClosedError(
              progress.commitSent
                ? 'The database was closed while this unit of work’s COMMIT was in flight: close() waited its timeout, then closed the connection. Whether the unit committed is unknown; check before running it again.'
                : 'The database was closed while this unit of work was still running: close() waited its timeout, then closed the connection. The unit did not finish; the server rolls it back.',
              { cause: e },
            );
          }
          const code = retryableCode(e);
          if (code === undefined) throw e;
          if (attempt >= maxRetries) {
            throw new SerializationFailureError(
              `The unit of work failed ${attempt + 1} times with ${CONFLICTS[code] ?? 'a serialization failure'} (${code}); giving up. Retry later or reduce contention.`,
              code,
              { cause: e },
            );
          }
          // Full jitter, so units that collided do not collide again in lock step.
          await sleep(Math.random() * Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** attempt));
        }
      }
    } finally {
      this.service.endUnit(ticket);
    }
  }

  // `progress.commitSent` tells run() that a connection lost from here on may have committed.
  private async runOnce<T>(fn: () => Promise<T>, isolationLevel: IsolationLevel | undefined, progress: { commitSent: boolean }): Promise<T> {
    const connection = await this.service.openUnitConnection();
    const context = new TransactionContext(connection.client);
    let open = false;
    let broken: unknown;
    try {
      const begin = isolationLevel ? `BEGIN ISOLATION LEVEL ${isolationLevel}` : 'BEGIN';
      const { behindPooler, statementTimeoutMs } = this.service.options;
      // Behind a pooler no session setting survives, so the unit's timeout travels with its BEGIN (one round trip).
      await context.statement({ text: behindPooler ? `${begin}; SET LOCAL statement_timeout = ${statementTimeoutMs}` : begin });
      open = true;
      let result: T;
      try {
        result = await this.service.transactions.run(context, fn);
      } catch (e) {
        await context.cancel();
        throw e;
      }
      await context.settle();
      const aborted = context.abortedBy;
      if (aborted) throw TransactionContext.abortedError(aborted.error);
      context.finish();
      open = false;
      // PostgreSQL answers COMMIT of an aborted transaction with ROLLBACK, not an error.
      progress.commitSent = true;
      const commit = await connection.client.query('COMMIT').catch((commitError: unknown) => {
        throw convertError(commitError);
      });
      if (commit.command !== 'COMMIT') throw TransactionContext.abortedError(new TransactionError(`the server answered COMMIT with ${commit.command}`));
      // The cache drops what the unit wrote before the unit returns, as a single write does.
      await context.committed();
      return result;
    } catch (e) {
      if (open) {
        context.finish();
        // Keep the original error if the rollback fails too; then the connection must not go back to the pool.
        await connection.client.query('ROLLBACK').catch((rollbackError: unknown) => (broken = rollbackError));
      } else if (e instanceof DatabaseConnectionError || connection.failed()) {
        broken = e;
      }
      throw e;
    } finally {
      context.finish();
      connection.release(broken);
    }
  }
}

/**
 * The SQLSTATE that makes `e` worth running the whole unit again, looking through a TransactionError's cause. Only
 * an Error carries one (the library's, pg's, TypeORM's): bot code that throws `{ code: '40001' }` is not a conflict,
 * and a value whose getters or Proxy traps throw is passed on as thrown, not replaced by their error.
 */
function retryableCode(e: unknown): string | undefined {
  try {
    if (e instanceof SerializationFailureError) return e.code;
    if (!(e instanceof Error)) return undefined;
    // A prepared statement a migration changed, reported through the level's own failure when the callback caught the
    // SerializationFailureError: the unit's next run prepares it afresh.
    if (isChangedResultType(e)) return '0A000';
    const code = sqlStateOf(e);
    if (code !== undefined && RETRYABLE_SQLSTATES.has(code)) return code;
    return e instanceof TransactionError && e.cause !== undefined ? retryableCode(e.cause) : undefined;
  } catch {
    return undefined;
  }
}

// instanceof calls a Proxy's getPrototypeOf trap, which may throw: the callback's value must come out as thrown.
function isConnectionError(e: unknown): boolean {
  try {
    return e instanceof DatabaseConnectionError;
  } catch {
    return false;
  }
}
