import { ValidationError } from '../errors/validation-error';
import { coerceValue } from './coerce-value';
import { isPlainObject } from './is-plain-object';
import type { ColumnModel, TableModel } from './table-model';

/** A filter's shape (the columns it names, in order) and its values, coerced as compileFilter binds them. */
export interface FilterShape {
  readonly columns: ColumnModel[];
  readonly values: unknown[];
}

/**
 * The shape of a filter of plain equalities: every key a field and every value a scalar (`{ guildId, caseUserId }`),
 * or no filter at all. Two such filters with the same fields in the same order compile to the same text, so a builder
 * can reuse it (see shapedStatement) and bind only these values. Anything else (`and`, `or`, `not`, operator objects,
 * null, a Date or any timestamp field, an unknown key) is undefined: compileFilter builds it, and words any error;
 * so is a filter with a value its field refuses, which compileFilter names with every other failing field.
 *
 * ```ts
 * filterShape(caseModel, { guildId: '42', caseUserId: 7n }); // { columns: [guildId, caseUserId], values: ['42', '7'] }
 * filterShape(caseModel, { caseNumber: { in: [1, 2] } }); // undefined
 * ```
 */
export function filterShape(model: TableModel, filters: unknown): FilterShape | undefined {
  if (filters === undefined) return { columns: [], values: [] };
  if (!isPlainObject(filters)) return undefined;
  const columns: ColumnModel[] = [];
  const values: unknown[] = [];
  // Object.keys, as compileFilter reads it: own fields only, in the same order.
  for (const field of Object.keys(filters)) {
    const column = model.columns.get(field);
    const value = filters[field];
    // A timestamp's value becomes a new Date on each coercion, which a reused shape cannot tell from another value.
    if (column === undefined || value === null || typeof value === 'object' || column.kind === 'timestamp') return undefined;
    columns.push(column);
    try {
      values.push(coerceValue(model, column, value, field));
    } catch (e) {
      // A refused value is left to compileFilter, which names it with every other failing field.
      if (e instanceof ValidationError) return undefined;
      throw e;
    }
  }
  return { columns, values };
}

/**
 * The shape of an ordering by fields and plain directions (`{ caseNumber: 'DESC' }`): each column and its direction,
 * in order (none for no ordering), as parts of a shape (see shapedStatement); undefined for anything else (arrays,
 * NULLS options, unknown fields), which compileOrderBy then builds or refuses.
 *
 * ```ts
 * orderShape(caseModel, { caseNumber: 'desc', caseId: 'ASC' }); // [caseNumber, 'DESC', caseId, 'ASC']
 * ```
 */
export function orderShape(model: TableModel, orderBy: unknown): unknown[] | undefined {
  if (orderBy === undefined) return [];
  if (!isPlainObject(orderBy)) return undefined;
  const parts: unknown[] = [];
  for (const field of Object.keys(orderBy)) {
    const direction = DIRECTIONS.get(orderBy[field]);
    const column = model.columns.get(field);
    if (direction === undefined || column === undefined) return undefined;
    parts.push(column, direction);
  }
  return parts;
}

// The directions compileOrderBy takes as plain strings, and the one text each becomes.
const DIRECTIONS = new Map<unknown, string>([
  ['ASC', 'ASC'],
  ['asc', 'ASC'],
  ['DESC', 'DESC'],
  ['desc', 'DESC'],
]);
