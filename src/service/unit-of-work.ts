import { setTimeout as sleep } from 'node:timers/promises';
import type { PoolClient } from 'pg';
import { convertError, RETRYABLE_SQLSTATES, sqlStateOf } from '../errors/convert-error';
import { DatabaseConnectionError } from '../errors/connection-error';
import { DatabaseClosedError, SerializationFailureError, TransactionError } from '../errors/transaction-errors';
import { TransactionContext } from './transaction-context';
import type { DatabaseService } from './database-service';

/** Isolation levels a unit of work may ask for. */
export const ISOLATION_LEVELS = ['READ UNCOMMITTED', 'READ COMMITTED', 'REPEATABLE READ', 'SERIALIZABLE'] as const;

/** A transaction isolation level. */
export type IsolationLevel = (typeof ISOLATION_LEVELS)[number];

/** Options of one unit of work. */
export interface UnitOfWorkOptions {
  /** Default READ COMMITTED (the server's default). Ignored by nested units, which are savepoints. */
  readonly isolationLevel?: IsolationLevel;
  /** Overrides the `maxRetries` option for this unit. */
  readonly maxRetries?: number;
}

const BASE_BACKOFF_MS = 5;
const MAX_BACKOFF_MS = 250;

/**
 * Runs a callback in one transaction. Every repository call inside it joins the transaction without being
 * passed anything; a nested run is a savepoint; serialization failures and deadlocks retry the whole unit.
 *
 * ```ts
 * await unitOfWork.run(async () => {
 *   const c = await db.case.createCase({ ... });
 *   await db.guildConfig.updateConfig(c.guildId, { modLogId: '123' });
 * }); // both committed, or neither
 * ```
 */
export class UnitOfWork {
  constructor(private readonly service: DatabaseService) {}

  /**
   * Runs `fn` in a transaction: commit on return, roll back on throw, connection always released.
   * The callback may run more than once when the server reports a serialization failure or deadlock,
   * so keep side effects outside the database idempotent.
   * @throws SerializationFailureError after the retries are used up; whatever `fn` threw otherwise.
   */
  async run<T>(fn: () => Promise<T>, options: UnitOfWorkOptions = {}): Promise<T> {
    if (options.isolationLevel !== undefined && !ISOLATION_LEVELS.includes(options.isolationLevel)) {
      throw new TransactionError(`Unknown isolation level ${JSON.stringify(options.isolationLevel)}; use one of ${ISOLATION_LEVELS.join(', ')}.`);
    }
    const outer = this.service.transactions.getStore();
    if (outer) return this.runSavepoint(outer, fn);
    const maxRetries = options.maxRetries ?? this.service.options.maxRetries;
    this.service.beginUnit();
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          return await this.runOnce(fn, options.isolationLevel);
        } catch (e) {
          if (e instanceof DatabaseConnectionError && this.service.closedUnderRunningUnits()) {
            throw new DatabaseClosedError(
              'The database was closed while this unit of work was still running: close() waited its timeout, then closed the connection. The unit did not finish; the server rolls it back.',
              { cause: e },
            );
          }
          const code = sqlStateOf(e);
          if (code === undefined || !RETRYABLE_SQLSTATES.has(code)) throw e;
          if (attempt >= maxRetries) {
            throw new SerializationFailureError(
              `The unit of work failed ${attempt + 1} times with ${code === '40P01' ? 'a deadlock' : 'a serialization failure'} (${code}); giving up. Retry later or reduce contention.`,
              code,
              { cause: e },
            );
          }
          // Full jitter, so units that collided do not collide again in lock step.
          await sleep(Math.random() * Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** attempt));
        }
      }
    } finally {
      this.service.endUnit();
    }
  }

  private async runOnce<T>(fn: () => Promise<T>, isolationLevel: IsolationLevel | undefined): Promise<T> {
    const queryRunner = this.service.dataSource.createQueryRunner();
    let context: TransactionContext | undefined;
    try {
      const client = (await converted(queryRunner.connect())) as PoolClient;
      await converted(queryRunner.startTransaction(isolationLevel));
      context = new TransactionContext(queryRunner, client);
      const result = await this.service.transactions.run(context, fn);
      await converted(queryRunner.commitTransaction());
      return result;
    } catch (e) {
      if (queryRunner.isTransactionActive) {
        // Keep the original error if the rollback fails too (e.g. the connection is gone).
        await queryRunner.rollbackTransaction().catch(() => undefined);
      }
      throw e;
    } finally {
      context?.finish();
      await queryRunner.release();
    }
  }

  private async runSavepoint<T>(context: TransactionContext, fn: () => Promise<T>): Promise<T> {
    const queryRunner = context.queryRunner;
    context.activeClient();
    await converted(queryRunner.startTransaction());
    try {
      const result = await fn();
      await converted(queryRunner.commitTransaction());
      return result;
    } catch (e) {
      await queryRunner.rollbackTransaction().catch(() => undefined);
      throw e;
    }
  }
}

/** Awaits a driver call, converting its failure; errors thrown by the caller's own callback pass untouched. */
async function converted<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (e) {
    throw convertError(e);
  }
}
