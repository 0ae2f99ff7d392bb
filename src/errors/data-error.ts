import { DatabaseError } from './database-error';

/**
 * The server rejected a value while running a statement (SQLSTATE class 22, "data exception": division by zero,
 * a number or date out of range, a bad escape). Unlike ValidationError, SQL was sent: inside a unit of work the
 * transaction is aborted, so roll it back (or let the unit's callback throw). `code` is the SQLSTATE, e.g. `22012`.
 * The repositories check their input so that this never comes from them; it comes from `db.service.query` with
 * the caller's own SQL, or from a custom level formula.
 */
export class DataError extends DatabaseError {
  override name = 'DataError';
  /** The SQLSTATE the server sent (`22xxx`). */
  readonly code: string;
  /** The column the value was for, when the server named it. */
  readonly column: string | undefined;

  constructor(message: string, code: string, options?: { column?: string; cause?: unknown }) {
    super(message, { cause: options?.cause });
    this.code = code;
    this.column = options?.column;
  }
}
