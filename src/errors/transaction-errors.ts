import { DatabaseError } from './database-error';

/** A transaction kept failing with a serialization failure or deadlock (40001 / 40P01) after every retry. */
export class SerializationFailureError extends DatabaseError {
  override name = 'SerializationFailureError';
  /**
   * The SQLSTATE: 40001 (serialization failure), 40P01 (deadlock), 23503 when a concurrent deleteGuild removed the guild a
   * write was recreating, 26000, 42P05 or 08P01 when a pooler lost a prepared statement, 0A000 when a prepared
   * statement's result type changed under a unit (a migration altered a column it returns).
   */
  readonly code: string;

  constructor(message: string, code: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** A unit of work was misused (used after it finished) or could not begin/commit. */
export class TransactionError extends DatabaseError {
  override name = 'TransactionError';
}

/** The database was closed, or is closing, so no new work is accepted. */
export class DatabaseClosedError extends DatabaseError {
  override name = 'DatabaseClosedError';
}
