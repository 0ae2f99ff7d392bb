import type { QueryRunner } from 'typeorm';
import type { PoolClient } from 'pg';
import { TransactionError } from '../errors/transaction-errors';

/** The transaction a unit of work opened; repository calls inside the unit find it through AsyncLocalStorage. */
export class TransactionContext {
  private finished = false;

  constructor(
    readonly queryRunner: QueryRunner,
    readonly client: PoolClient,
  ) {}

  /** Marks the transaction committed or rolled back: every later use is a mistake. */
  finish(): void {
    this.finished = true;
  }

  /** The connection to run a statement on. @throws TransactionError when the unit already finished. */
  activeClient(): PoolClient {
    if (this.finished) {
      throw new TransactionError(
        'This unit of work has already finished (committed or rolled back); a callback outlived it. Await every query inside the unit.',
      );
    }
    return this.client;
  }
}
