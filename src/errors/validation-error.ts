import { DatabaseError } from './database-error';

/** One rejected input field: where it was, and why. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/**
 * Input was rejected, almost always before any SQL was sent; `errors` lists every failing field. The rare value
 * only the server can judge (SQLSTATE class 22, "data exception") comes back as one too, with the driver error
 * as `cause`.
 */
export class ValidationError extends DatabaseError {
  override name = 'ValidationError';
  readonly errors: ReadonlyArray<FieldError>;

  constructor(entity: string, errors: ReadonlyArray<FieldError>, options?: { cause?: unknown }) {
    super(`Invalid ${entity}: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`, options);
    this.errors = errors;
  }

  /** A ValidationError about one field. */
  static forField(entity: string, field: string, message: string): ValidationError {
    return new ValidationError(entity, [{ field, message }]);
  }
}

/** True when `e` is a ValidationError. */
export function isValidationError(e: unknown): e is ValidationError {
  return e instanceof ValidationError;
}
