import { DatabaseError } from './database-error';

/** A write broke a constraint; `constraint` and `table` name it (when the server said). */
export abstract class ConstraintViolationError extends DatabaseError {
  /** The violated constraint's name (e.g. 'uq_cases_guild_case_number'); undefined when the server did not say. */
  readonly constraint: string | undefined;
  /** The table the constraint belongs to; undefined when the server did not say. */
  readonly table: string | undefined;

  constructor(message: string, details: { constraint?: string; table?: string; cause?: unknown }) {
    super(message, { cause: details.cause });
    this.constraint = details.constraint;
    this.table = details.table;
  }
}

/** A row with the same unique key already exists (SQLSTATE 23505). */
export class UniqueViolationError extends ConstraintViolationError {
  override name = 'UniqueViolationError';
}

/** A referenced row is missing, or a row is still referenced (SQLSTATE 23503). */
export class ForeignKeyViolationError extends ConstraintViolationError {
  override name = 'ForeignKeyViolationError';
}

/** A CHECK or NOT NULL constraint rejected a value (SQLSTATE 23514 / 23502). */
export class CheckViolationError extends ConstraintViolationError {
  override name = 'CheckViolationError';
}
