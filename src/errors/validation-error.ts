import { DatabaseError } from './database-error';

/** One rejected input field: where it was, and why. */
export interface FieldError {
  /** The input field (or option) that was rejected. */
  readonly field: string;
  /** Why, as words that follow the field name (e.g. 'must be an integer ≥ 1'). */
  readonly message: string;
}

/**
 * Input was rejected before any SQL was sent, so a unit of work it happens in stays usable; `errors` lists every
 * failing field. A value the server itself rejects (SQLSTATE class 22) is a DataError instead.
 */
export class ValidationError extends DatabaseError {
  override name = 'ValidationError';
  /** Every rejected field, each with its reason. */
  readonly errors: ReadonlyArray<FieldError>;

  constructor(entity: string, errors: ReadonlyArray<FieldError>, options?: { cause?: unknown }) {
    super(`Invalid ${entity}: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`, options);
    this.errors = errors;
  }

  /**
   * A ValidationError about one field.
   *
   * ```ts
   * const error = ValidationError.forField('Reminder', 'reminderContent', 'must not mention @everyone');
   * error.message; // 'Invalid Reminder: reminderContent must not mention @everyone'
   * error.errors; // [{ field: 'reminderContent', message: 'must not mention @everyone' }]
   * ```
   */
  static forField(entity: string, field: string, message: string): ValidationError {
    return new ValidationError(entity, [{ field, message }]);
  }
}

/**
 * True when `e` is a ValidationError.
 *
 * ```ts
 * const error = await db.guildConfig.setPrefix(guildId, '').catch((e: unknown) => e);
 * isValidationError(error); // true: rejected before any SQL was sent
 * if (isValidationError(error)) console.log(error.errors); // [{ field: 'prefix', message: 'must be longer than or equal to 1 characters' }]
 * ```
 */
export function isValidationError(e: unknown): e is ValidationError {
  return e instanceof ValidationError;
}
