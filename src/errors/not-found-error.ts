import { DatabaseError } from './database-error';

/** A row the caller required does not exist. */
export class NotFoundError extends DatabaseError {
  override name = 'NotFoundError';

  /** "Case 42 was not found". */
  static forId(entity: string, id: unknown): NotFoundError {
    return new NotFoundError(`${entity} ${JSON.stringify(id)} was not found`);
  }
}
