import type { PoolClient, QueryResult, QueryResultRow } from 'pg';
import { convertError } from '../errors/convert-error';
import { TransactionError } from '../errors/transaction-errors';
import { sendStatement, type StatementConfig } from './statement-query';
import { thrownText } from '../errors/thrown-text';

type State = 'open' | 'cancelled' | 'finished';

/**
 * One level of a unit of work on its pooled connection: the transaction itself (the root) or a savepoint of a
 * nested unit. Repository calls inside the unit find it through AsyncLocalStorage.
 *
 * Everything a level runs goes through its own queue, one task at a time in call order: a statement, or a whole
 * nested unit (SAVEPOINT, the nested callback, RELEASE or ROLLBACK TO). So `Promise.all` inside a unit is safe:
 * statements never overlap on the connection (pg's own client queue is deprecated), and two nested units never
 * interleave, so a savepoint rollback can only ever undo its own unit's writes.
 *
 * A statement that fails aborts the level: PostgreSQL refuses everything after it until the level is rolled
 * back, and a COMMIT of an aborted transaction silently rolls back. The level remembers the first failure, so
 * the unit reports it instead of resolving as if it had committed.
 */
export class TransactionContext {
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;
  private drained: Array<() => void> = [];
  private state: State = 'open';
  private failure: { readonly error: unknown } | undefined;
  private savepointCount = 0;
  private readonly commitTasks: Array<() => Promise<void>> = [];

  constructor(
    /** The unit's connection, shared by every level. */
    readonly client: PoolClient,
    private readonly parent?: TransactionContext,
  ) {}

  /** The first error that aborted this level, if any (an error caught inside the unit still aborts it). */
  get abortedBy(): { readonly error: unknown } | undefined {
    return this.failure;
  }

  /**
   * Runs `task` once the whole unit has committed (never when it rolls back): the cache invalidations of its writes.
   * A nested level hands it to the root, since only the root's COMMIT makes anything visible.
   */
  afterCommit(task: () => Promise<void>): void {
    this.root().commitTasks.push(task);
  }

  /** Runs the afterCommit tasks, in order, once; UnitOfWork calls it after COMMIT succeeded. */
  async committed(): Promise<void> {
    for (const task of this.commitTasks.splice(0)) await task();
  }

  /** Queues one statement of the unit. @throws TransactionError when the unit finished or its transaction is aborted. */
  statement<R extends QueryResultRow>(config: StatementConfig): Promise<QueryResult<R>> {
    return this.enqueue(() => this.send<R>(config));
  }

  /**
   * Queues a nested unit: a savepoint around `body`, released when `body` returns with nothing failed inside,
   * rolled back to otherwise. `body` gets the nested level to run its statements in.
   * @throws TransactionError (cause: the first failure) when a statement inside failed but `body` returned.
   */
  nested<T>(body: (level: TransactionContext) => Promise<T>): Promise<T> {
    return this.enqueue(async () => {
      const root = this.root();
      const name = `tux_sp_${++root.savepointCount}`;
      await this.send({ text: `SAVEPOINT ${name}` });
      const level = new TransactionContext(this.client, this);
      let result: T;
      try {
        result = await body(level);
        await level.settle();
      } catch (e) {
        await level.cancel();
        level.finish();
        if (this.inTransaction()) await this.send({ text: `ROLLBACK TO SAVEPOINT ${name}; RELEASE SAVEPOINT ${name}` });
        throw e;
      }
      // Finished before its savepoint goes: a call its callback left behind (a timer, a forgotten await) is refused,
      // instead of running on this connection in the outer unit, or later in another unit or on no transaction.
      level.finish();
      const failed = level.abortedBy;
      if (failed) {
        if (this.inTransaction()) await this.send({ text: `ROLLBACK TO SAVEPOINT ${name}; RELEASE SAVEPOINT ${name}` });
        throw TransactionContext.abortedError(failed.error, 'nested unit of work');
      }
      await this.send({ text: `RELEASE SAVEPOINT ${name}` });
      return result;
    });
  }

  /** Waits until every task queued so far, and any they queue meanwhile, has settled. */
  async settle(): Promise<void> {
    while (this.pending > 0) await new Promise<void>((resolve) => this.drained.push(resolve));
  }

  /** Refuses the tasks still queued (the unit threw), then waits for the one in flight. */
  async cancel(): Promise<void> {
    if (this.state === 'open') this.state = 'cancelled';
    await this.settle();
  }

  /** Marks the level finished (committed or rolled back): every later use is a mistake. */
  finish(): void {
    this.state = 'finished';
  }

  /** The TransactionError a unit ends with when a statement inside it failed and the callback went on. */
  static abortedError(first: unknown, what = 'unit of work'): TransactionError {
    // Its own words are the exact ones: what ran before it did commit (or roll back), by its COMMIT (or ROLLBACK).
    if (first instanceof TransactionError && ENDED.has(first)) return first;
    const reason = thrownText(first);
    return new TransactionError(
      `The ${what} did not commit: a statement inside it failed (${reason}) and PostgreSQL aborted the transaction, ` +
        'although the error was caught or never awaited. Catch expected errors around a nested unit ' +
        '(db.transaction(...) inside the unit), which rolls back only its own writes.',
      { cause: first },
    );
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    if (this.state === 'finished') {
      return Promise.reject(
        new TransactionError(
          'This unit of work has already finished (committed or rolled back); a callback outlived it. Await every query inside the unit.',
        ),
      );
    }
    this.pending++;
    const run = this.tail.then(() => this.start(task));
    this.tail = run.then(
      () => this.done(),
      () => this.done(),
    );
    return run;
  }

  private start<T>(task: () => Promise<T>): Promise<T> {
    if (this.state !== 'open') {
      return Promise.reject(new TransactionError('The unit of work this call belongs to has already failed or finished; the call was not run.'));
    }
    const aborted = this.abortedAnywhere();
    if (aborted) return Promise.reject(TransactionContext.abortedError(aborted.error));
    return task();
  }

  private done(): void {
    if (--this.pending === 0) for (const resolve of this.drained.splice(0)) resolve();
  }

  /** Sends on the connection; a failure aborts this level (the server refuses all else until rolled back). */
  private async send<R extends QueryResultRow>(config: StatementConfig): Promise<QueryResult<R>> {
    try {
      // A callback statement: this level's queue already keeps the unit's statements from overlapping.
      const result = await new Promise<QueryResult<R>>((resolve, reject) => sendStatement<R>(this.client, config, (error, result) => (error ? reject(error) : resolve(result))));
      // A COMMIT, ROLLBACK or END sent through db.service.query ends the transaction under the unit: every statement
      // after it would commit on its own, and the unit's own COMMIT or ROLLBACK would change nothing.
      if (this.client.getTransactionStatus() === 'I') {
        const error = endedUnderUnit(result.command);
        // Every level fails with it: the outer unit runs nothing more either.
        for (let level: TransactionContext | undefined = this; level; level = level.parent) level.failure ??= { error };
        throw error;
      }
      return result;
    } catch (e) {
      const error = convertError(e);
      this.failure ??= { error };
      throw error;
    }
  }

  // False once a statement ended the transaction (endedUnderUnit): no savepoint is left to roll back to.
  private inTransaction(): boolean {
    return this.client.getTransactionStatus() !== 'I';
  }

  private abortedAnywhere(): { readonly error: unknown } | undefined {
    for (let level: TransactionContext | undefined = this; level; level = level.parent) {
      if (level.failure) return level.failure;
    }
    return undefined;
  }

  private root(): TransactionContext {
    return this.parent ? this.parent.root() : this;
  }
}

// The errors of statements that ended the unit's transaction (endedUnderUnit).
const ENDED = new WeakSet<TransactionError>();

function endedUnderUnit(command: string): TransactionError {
  const error = new TransactionError(
    `A statement inside the unit of work ended its transaction (the server answered ${command}: a COMMIT, ROLLBACK or END sent through db.service.query). ` +
      `What the unit wrote before it was ${command === 'COMMIT' ? 'committed' : 'rolled back'} by it; nothing after it runs, and the unit fails. ` +
      'Let the unit commit when its callback returns, or throw to roll it back.',
  );
  ENDED.add(error);
  return error;
}
