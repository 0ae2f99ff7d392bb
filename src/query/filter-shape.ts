import { coerceValue } from './coerce-value';
import { isPlainObject } from './is-plain-object';
import type { TableModel } from './table-model';

/** A filter's shape (the fields it names, in order) and its values, coerced as compileFilter binds them. */
export interface FilterShape {
  readonly key: string;
  readonly values: unknown[];
}

/**
 * The shape of a filter of plain equalities: every key a field and every value a scalar (`{ guildId, caseUserId }`),
 * or no filter at all. Two such filters with the same fields in the same order compile to the same text, so a builder
 * can reuse it (see shapedStatement) and bind only these values. Anything else (`and`, `or`, `not`, operator objects,
 * null, a Date or any timestamp field, an unknown key) is undefined: compileFilter builds it, and words any error.
 * @throws ValidationError for a value its field refuses, exactly as compileFilter would.
 *
 * ```ts
 * filterShape(caseModel, { guildId: '42', caseUserId: 7n }); // { key: 'guildId,caseUserId', values: ['42', '7'] }
 * filterShape(caseModel, { caseNumber: { in: [1, 2] } }); // undefined
 * ```
 */
export function filterShape(model: TableModel, filters: unknown): FilterShape | undefined {
  if (filters === undefined) return { key: '', values: [] };
  if (!isPlainObject(filters)) return undefined;
  let key = '';
  const values: unknown[] = [];
  // Object.keys, as compileFilter reads it: own fields only, in the same order.
  for (const field of Object.keys(filters)) {
    const column = model.columns.get(field);
    const value = filters[field];
    // A timestamp's value becomes a new Date on each coercion, which a reused shape cannot tell from another value.
    if (column === undefined || value === null || typeof value === 'object' || column.kind === 'timestamp') return undefined;
    key = key === '' ? field : `${key},${field}`;
    values.push(coerceValue(model, column, value, field));
  }
  return { key, values };
}

/**
 * The shape of an ordering by fields and plain directions (`{ caseNumber: 'DESC' }`), or '' for none; undefined for
 * anything else (arrays, NULLS options, unknown fields), which compileOrderBy then builds or refuses.
 *
 * ```ts
 * orderShape(caseModel, { caseNumber: 'desc', caseId: 'ASC' }); // 'caseNumber DESC,caseId ASC'
 * ```
 */
export function orderShape(model: TableModel, orderBy: unknown): string | undefined {
  if (orderBy === undefined) return '';
  if (!isPlainObject(orderBy)) return undefined;
  let key = '';
  for (const field of Object.keys(orderBy)) {
    const direction = DIRECTIONS.get(orderBy[field]);
    if (direction === undefined || !model.columns.has(field)) return undefined;
    key = key === '' ? `${field} ${direction}` : `${key},${field} ${direction}`;
  }
  return key;
}

// The directions compileOrderBy takes as plain strings, and the one text each becomes.
const DIRECTIONS = new Map<unknown, string>([
  ['ASC', 'ASC'],
  ['asc', 'ASC'],
  ['DESC', 'DESC'],
  ['desc', 'DESC'],
]);
