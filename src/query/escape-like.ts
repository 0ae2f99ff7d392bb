import { ValidationError } from '../errors/validation-error';

const LIKE_SPECIAL = /[\\%_]/g;

/**
 * Escapes `\`, `%` and `_` so `term` matches literally inside a LIKE / ILIKE pattern that uses the
 * default escape character `\`.
 * @throws ValidationError when `term` is not a string (JavaScript callers can pass anything).
 * @example
 * repo.findAll({ filters: { snippetName: { ilike: `%${escapeLike(search)}%` } } });
 */
export function escapeLike(term: string): string {
  if (typeof term !== 'string') throw ValidationError.forField('escapeLike', 'term', `must be a string (got ${term === null ? 'null' : typeof term})`);
  return term.replace(LIKE_SPECIAL, '\\$&');
}
