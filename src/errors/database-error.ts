/** Base class of every error the library throws; `cause` keeps the original error. */
export class DatabaseError extends Error {
  override name = 'DatabaseError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** True when `e` is any error raised by this library. */
export function isDatabaseError(e: unknown): e is DatabaseError {
  return e instanceof DatabaseError;
}
