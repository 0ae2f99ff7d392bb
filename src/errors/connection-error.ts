import { DatabaseError } from './database-error';

/** The server cannot be reached, refused the connection, or dropped it mid-operation. */
export class DatabaseConnectionError extends DatabaseError {
  override name = 'DatabaseConnectionError';
}

/** Waiting for a pooled connection, or a statement, took longer than the configured limit. */
export class DatabaseTimeoutError extends DatabaseError {
  override name = 'DatabaseTimeoutError';
}
