/** Base class of every error the library throws; `cause` keeps the original error. */
export class DatabaseError extends Error {
  override name = 'DatabaseError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * True when `e` is any error raised by this library.
 *
 * ```ts
 * const error = await db.case.getById('not an id').catch((e: unknown) => e);
 * isDatabaseError(error); // true: a ValidationError, one kind of DatabaseError
 * isDatabaseError(new Error('boom')); // false
 * ```
 */
export function isDatabaseError(e: unknown): e is DatabaseError {
  return e instanceof DatabaseError;
}
