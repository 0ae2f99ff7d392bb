import { DatabaseError } from './database-error';

/** A row the caller required does not exist. */
export class NotFoundError extends DatabaseError {
  override name = 'NotFoundError';

  /**
   * An error naming the entity and the id as JSON: a string id (a snowflake, a snippet name) in quotes, a number or
   * composite key as JSON, a bigint as its digits in quotes.
   *
   * ```ts
   * NotFoundError.forId('Case', '42').message; // 'Case "42" was not found'
   * NotFoundError.forId('Levels', { userId: '1', guildId: '2' }).message; // 'Levels {"userId":"1","guildId":"2"} was not found'
   * ```
   */
  static forId(entity: string, id: unknown): NotFoundError {
    // JSON.stringify throws a TypeError on a bigint, and a factory of errors must not throw one itself.
    return new NotFoundError(`${entity} ${JSON.stringify(id, (_, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))} was not found`);
  }
}
