import { DatabaseError } from './database-error';

/** A row the caller required does not exist. */
export class NotFoundError extends DatabaseError {
  override name = 'NotFoundError';

  /** "Case 42 was not found"; a bigint id (a snowflake) is shown as its digits. */
  static forId(entity: string, id: unknown): NotFoundError {
    // JSON.stringify throws a TypeError on a bigint, and a factory of errors must not throw one itself.
    return new NotFoundError(`${entity} ${JSON.stringify(id, (_, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))} was not found`);
  }
}
