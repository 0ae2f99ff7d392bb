import { DatabaseError } from './database-error';

/**
 * The server rejected a value while running a statement (SQLSTATE class 22, "data exception": division by zero,
 * a number or date out of range, a bad escape). Unlike ValidationError, SQL was sent: inside a unit of work the
 * transaction is aborted, so roll it back (or let the unit's callback throw). `code` is the SQLSTATE, e.g. `22012`.
 * The repositories check their input so that a bad value never gets here; it comes from `db.service.query` with
 * the caller's own SQL, from a custom level formula, or from createCase / createCases when the guild's case counter
 * is full (2,147,483,647 cases; the message says so, code 22003).
 *
 * ```ts
 * await db.service.query('SELECT 1 / 0', []).catch((e) => e instanceof DataError && e.code); // '22012'
 * ```
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
