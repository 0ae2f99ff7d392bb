const LIKE_SPECIAL = /[\\%_]/g;

/**
 * Escapes `\`, `%` and `_` so `term` matches literally inside a LIKE / ILIKE pattern that uses the
 * default escape character `\`.
 * @example
 * repo.findAll({ filters: { snippetName: { ilike: `%${escapeLike(search)}%` } } });
 */
export function escapeLike(term: string): string {
  return term.replace(LIKE_SPECIAL, '\\$&');
}
