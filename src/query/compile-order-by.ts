import { ValidationError } from '../errors/validation-error';
import type { ColumnModel, TableModel } from './table-model';
import { isPlainObject } from './is-plain-object';
import { raw, type SqlFragment } from './sql';

/** What compileOrderBy returns when there is nothing to order by: empty text (a builder then leaves the clause out). */
export const NO_ORDER: SqlFragment = raw('');

/**
 * Compiles an ordering (see OrderBy<T>) into `ORDER BY "col" DESC NULLS LAST, …` (trusted text: column names from
 * the model, keywords from a fixed list; it binds nothing), or NO_ORDER when it is undefined or empty. An object's key order is the sort priority; an array holds single-field objects.
 * @throws ValidationError for an unknown field, a bad direction or NULLS position, or a malformed entry.
 * @example
 * compile(compileOrderBy(caseModel, { caseCreatedAt: 'DESC', caseId: { direction: 'ASC', nulls: 'LAST' } })).text;
 * // 'ORDER BY "case_created_at" DESC, "case_id" ASC NULLS LAST'
 */
export function compileOrderBy(model: TableModel, orderBy: unknown): SqlFragment {
  if (orderBy === undefined) return NO_ORDER;
  let sql = '';
  if (Array.isArray(orderBy)) {
    const used: ColumnModel[] = [];
    for (let i = 0; i < orderBy.length; i++) {
      const entry: unknown = orderBy[i];
      const keys = isPlainObject(entry) ? Object.keys(entry) : [];
      if (keys.length !== 1) throw fail(model, `orderBy[${i}]`, 'must be an object naming exactly one field, like { caseId: "ASC" }');
      const key = keys[0] as string;
      const path = `orderBy[${i}].${key}`;
      const column = columnOf(model, key, path);
      if (used.includes(column)) throw fail(model, path, 'orders by a field already named earlier in the list');
      used.push(column);
      sql += (i === 0 ? '' : ', ') + column.quoted + orderOf(model, (entry as Record<string, unknown>)[key], path);
    }
  } else if (isPlainObject(orderBy)) {
    const keys = Object.keys(orderBy);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      const path = `orderBy.${key}`;
      sql += (i === 0 ? '' : ', ') + columnOf(model, key, path).quoted + orderOf(model, orderBy[key], path);
    }
  } else {
    throw fail(model, 'orderBy', 'must be an object like { caseCreatedAt: "DESC" } or an array of such objects');
  }
  return sql === '' ? NO_ORDER : raw(`ORDER BY ${sql}`);
}

function columnOf(model: TableModel, key: string, path: string): ColumnModel {
  const column = model.columns.get(key);
  if (column !== undefined) return column;
  const fields = Array.from(model.columns.keys()).join(', ');
  throw fail(model, path, `is not a field of ${model.entityName}; valid fields: ${fields}`);
}

function orderOf(model: TableModel, spec: unknown, path: string): string {
  if (typeof spec === 'string') return direction(model, spec, path);
  if (!isPlainObject(spec)) throw fail(model, path, 'must be "ASC", "DESC" or { direction, nulls }');
  for (const key of Object.keys(spec)) {
    if (key !== 'direction' && key !== 'nulls') throw fail(model, `${path}.${key}`, 'is not an ordering option; use direction and nulls');
  }
  const sql = direction(model, spec.direction, `${path}.direction`);
  switch (spec.nulls) {
    case undefined:
      return sql;
    case 'FIRST':
    case 'first':
      return `${sql} NULLS FIRST`;
    case 'LAST':
    case 'last':
      return `${sql} NULLS LAST`;
    default:
      throw fail(model, `${path}.nulls`, 'must be "FIRST" or "LAST"');
  }
}

function direction(model: TableModel, value: unknown, path: string): string {
  switch (value) {
    case 'ASC':
    case 'asc':
      return ' ASC';
    case 'DESC':
    case 'desc':
      return ' DESC';
    default:
      throw fail(model, path, 'must be "ASC" or "DESC"');
  }
}

function fail(model: TableModel, field: string, message: string): ValidationError {
  return ValidationError.forField(model.entityName, field, message);
}
