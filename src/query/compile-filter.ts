import { ValidationError, type FieldError } from '../errors/validation-error';
import { coerceValue, coerceValueAt, textProblem } from './coerce-value';
import type { ColumnModel, TableModel } from './table-model';
import { isPlainObject } from './is-plain-object';
import { param, raw, SqlFragment, type Param } from './sql';

/** How many `and` / `or` / `not` levels a filter may nest: deeper input is rejected, never recursed into. */
export const MAX_FILTER_DEPTH = 32;

/** The operators an operator object may use. */
export const FILTER_OPERATORS = [
  'eq', 'ne', 'in', 'notIn', 'gt', 'gte', 'lt', 'lte', 'between', 'like', 'ilike', 'isNull',
] as const;

const TRUE = raw('TRUE');
const FALSE = raw('FALSE');

/**
 * Compiles a filter (see Filter<T>) into a parenthesised SQL boolean expression over `model`'s quoted column
 * names, every value bound as a parameter. Each value is a Param, so a statement may name the same filter twice
 * (paginate's page and its count) and bind its values once. An undefined filter is `TRUE`; input is checked at run
 * time, since it may come from untyped code.
 * @throws ValidationError for a non-object filter, an unknown field or operator, a bad value, or
 * nesting deeper than MAX_FILTER_DEPTH.
 * @example
 * compile(sql`SELECT count(*) FROM "cases" WHERE ${compileFilter(caseModel, { guildId: g, caseNumber: { in: [1, 2] } })}`);
 * // { text: 'SELECT count(*) FROM "cases" WHERE ("guild_id" = $1 AND "case_number" = ANY($2::int4[]))', values: [g, [1, 2]] }
 */
export function compileFilter(model: TableModel, filter: unknown): SqlFragment {
  if (filter === undefined) return TRUE;
  return compileNode(model, filter, 0, '');
}

// Conditions filterGuild looks into: an AND of parts, and a column equal to a bound value.
class AllOf extends SqlFragment {}

class Equals extends SqlFragment {
  constructor(
    readonly column: ColumnModel,
    readonly value: Param,
  ) {
    super([`${column.quoted} = `, ''], [value]);
  }
}

/**
 * The Param a compiled filter binds its one guild id as, when the filter requires `column = value` for the model's
 * guild column at its top level (alone, or ANDed with other conditions, `and` lists included); undefined when it
 * names no guild that way (several under `or`, one under `not`, a range, a list). Builders declare it as the guild
 * their statement concerns (see Touches).
 *
 * ```ts
 * const where = compileFilter(caseModel, { guildId: '42', caseStatus: true });
 * filterGuild(where, caseModel.guildColumn)?.value; // '42'
 * ```
 */
export function filterGuild(condition: SqlFragment, column: ColumnModel | undefined): Param | undefined {
  if (column === undefined) return undefined;
  if (condition instanceof Equals) return condition.column === column ? condition.value : undefined;
  if (!(condition instanceof AllOf)) return undefined;
  for (const part of condition.holes) {
    const found = filterGuild(part as SqlFragment, column);
    if (found !== undefined) return found;
  }
  return undefined;
}

function compileNode(model: TableModel, node: unknown, depth: number, path: string): SqlFragment {
  if (!isPlainObject(node)) throw fail(model, path === '' ? 'filter' : path, 'must be a plain object of field conditions');
  if (depth > MAX_FILTER_DEPTH) {
    throw fail(model, path, `filter nested too deeply: at most ${MAX_FILTER_DEPTH} levels of and / or / not`);
  }
  const keys = Object.keys(node);
  if (keys.length === 0) return TRUE;
  const parts = compileEach(model, keys.length, (i) => {
    const key = keys[i] as string;
    return compileEntry(model, key, node[key], depth, path === '' ? key : `${path}.${key}`);
  });
  return all(parts, ' AND ');
}

/**
 * `compileOne(0 … count - 1)`, going on past a refused part, so one ValidationError lists every failing field of
 * the filter, as a write's does.
 */
function compileEach(model: TableModel, count: number, compileOne: (i: number) => SqlFragment): SqlFragment[] {
  const parts = new Array<SqlFragment>(count);
  let errors: FieldError[] | undefined;
  for (let i = 0; i < count; i++) {
    try {
      parts[i] = compileOne(i);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      (errors ??= []).push(...e.errors);
    }
  }
  if (errors !== undefined) throw new ValidationError(model.entityName, errors);
  return parts;
}

function compileEntry(model: TableModel, key: string, value: unknown, depth: number, path: string): SqlFragment {
  switch (key) {
    case 'and':
      return compileList(model, value, depth, path, ' AND ', TRUE);
    case 'or':
      return compileList(model, value, depth, path, ' OR ', FALSE);
    case 'not':
      return negate(compileNode(model, value, depth + 1, path));
  }
  const column = model.columns.get(key);
  if (column === undefined) {
    const fields = Array.from(model.columns.keys()).join(', ');
    throw fail(model, path, `is not a field of ${model.entityName}; valid fields: ${fields} (combinators: and, or, not)`);
  }
  return compileCondition(model, column, value, path);
}

function compileList(
  model: TableModel, value: unknown, depth: number, path: string, separator: string, empty: SqlFragment,
): SqlFragment {
  if (!Array.isArray(value)) throw fail(model, path, 'must be an array of filters');
  if (value.length === 0) return empty;
  return all(compileEach(model, value.length, (i) => compileNode(model, value[i], depth + 1, `${path}[${i}]`)), separator);
}

/** One part as it is; several joined by `separator` in parentheses (one fragment, no nesting to walk). */
function all(parts: SqlFragment[], separator: string): SqlFragment {
  if (parts.length === 1) return parts[0] as SqlFragment;
  const strings = new Array<string>(parts.length + 1).fill(separator);
  strings[0] = '(';
  strings[parts.length] = ')';
  return separator === ' AND ' ? new AllOf(strings, parts) : new SqlFragment(strings, parts);
}

// Compound expressions already come wrapped in parentheses (see all); atoms never start with one.
function negate(fragment: SqlFragment): SqlFragment {
  return startsWithParenthesis(fragment) ? new SqlFragment(['NOT ', ''], [fragment]) : new SqlFragment(['NOT (', ')'], [fragment]);
}

function startsWithParenthesis(fragment: SqlFragment): boolean {
  const head = fragment.strings[0] ?? '';
  if (head !== '') return head.charCodeAt(0) === 40;
  const first = fragment.holes[0];
  return first instanceof SqlFragment && startsWithParenthesis(first);
}

function compileCondition(model: TableModel, column: ColumnModel, value: unknown, path: string): SqlFragment {
  if (value === null) return nullTest(model, column, path, true);
  if (typeof value === 'object') {
    // A plain object is always an operator object, even on JSON fields: compare JSON objects with `eq`.
    if (isPlainObject(value)) return compileOperators(model, column, value, path);
    if (Array.isArray(value) && column.kind !== 'json') {
      throw fail(model, path, 'is an array: to match any of several values use { in: [...] }');
    }
  }
  return new Equals(column, param(coerceValue(model, column, value, path)));
}

function compileOperators(
  model: TableModel, column: ColumnModel, ops: Record<string, unknown>, path: string,
): SqlFragment {
  const keys = Object.keys(ops);
  if (keys.length === 0) throw fail(model, path, `is an empty operator object: use one of ${FILTER_OPERATORS.join(', ')}`);
  const parts = new Array<SqlFragment>(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const op = keys[i] as string;
    parts[i] = compileOperator(model, column, op, ops[op], `${path}.${op}`);
  }
  return all(parts, ' AND ');
}

function compileOperator(
  model: TableModel, column: ColumnModel, op: string, operand: unknown, path: string,
): SqlFragment {
  if (operand === undefined) throw fail(model, path, 'is undefined: give a value');
  switch (op) {
    case 'eq':
      return operand === null ? nullTest(model, column, path, true) : new Equals(column, param(coerceValue(model, column, operand, path)));
    case 'ne':
      return operand === null ? nullTest(model, column, path, false) : compare(model, column, ' <> ', operand, path);
    case 'gt':
      return compareOrdered(model, column, ' > ', operand, path);
    case 'gte':
      return compareOrdered(model, column, ' >= ', operand, path);
    case 'lt':
      return compareOrdered(model, column, ' < ', operand, path);
    case 'lte':
      return compareOrdered(model, column, ' <= ', operand, path);
    case 'in':
      return compareList(model, column, ' = ANY(', FALSE, operand, path);
    case 'notIn':
      return compareList(model, column, ' <> ALL(', TRUE, operand, path);
    case 'between':
      return compileBetween(model, column, operand, path);
    case 'like':
      return compileLike(model, column, ' LIKE ', operand, path);
    case 'ilike':
      return compileLike(model, column, ' ILIKE ', operand, path);
    case 'isNull':
      if (typeof operand !== 'boolean') throw fail(model, path, 'must be true or false');
      return nullTest(model, column, path, operand);
    default:
      throw fail(model, path, `is not a filter operator; valid operators: ${FILTER_OPERATORS.join(', ')}`);
  }
}

function compare(model: TableModel, column: ColumnModel, sqlOp: string, operand: unknown, path: string): SqlFragment {
  return bound(column.quoted + sqlOp, coerceValue(model, column, operand, path));
}

function compareOrdered(
  model: TableModel, column: ColumnModel, sqlOp: string, operand: unknown, path: string,
): SqlFragment {
  assertOrdered(model, column, path);
  if (operand === null) throw fail(model, path, 'must not be null: test for NULL with isNull');
  return compare(model, column, sqlOp, operand, path);
}

function compareList(
  model: TableModel, column: ColumnModel, sqlOp: string, empty: SqlFragment, operand: unknown, path: string,
): SqlFragment {
  if (!Array.isArray(operand)) throw fail(model, path, 'must be an array of values');
  const length = operand.length;
  if (length === 0) return empty;
  const values: unknown[] = new Array<unknown>(length);
  for (let i = 0; i < length; i++) {
    const item: unknown = operand[i];
    // NULL never equals anything, so a null in the list would silently match nothing.
    if (item === null) throw fail(model, `${path}[${i}]`, 'must not be null: test for NULL with isNull (inside or)');
    values[i] = coerceValueAt(model, column, item, path, i);
  }
  // One array parameter, whatever the list's length, cast to the column's own array type (indexes stay usable).
  return bound(column.quoted + sqlOp, values, `::${column.arrayType})`);
}

function compileBetween(model: TableModel, column: ColumnModel, operand: unknown, path: string): SqlFragment {
  assertOrdered(model, column, path);
  if (!Array.isArray(operand) || operand.length !== 2) throw fail(model, path, 'must be an array of exactly two values: [low, high]');
  const bounds: ReadonlyArray<unknown> = operand;
  for (let i = 0; i < 2; i++) {
    if (bounds[i] === null) throw fail(model, `${path}[${i}]`, 'must not be null');
  }
  const low = param(coerceValueAt(model, column, bounds[0], path, 0));
  const high = param(coerceValueAt(model, column, bounds[1], path, 1));
  return new SqlFragment([`${column.quoted} BETWEEN `, ' AND ', ''], [low, high]);
}

function compileLike(model: TableModel, column: ColumnModel, sqlOp: string, operand: unknown, path: string): SqlFragment {
  if (column.kind !== 'string') throw fail(model, path, `is only allowed on text fields, not on ${column.kind} fields`);
  if (typeof operand !== 'string') throw fail(model, path, 'must be a string pattern');
  const problem = textProblem(operand) ?? likeEscapeProblem(operand);
  if (problem !== undefined) throw fail(model, path, problem);
  return bound(column.quoted + sqlOp, operand);
}

/**
 * PostgreSQL refuses a pattern whose last `\` escapes nothing (22025) once the statement runs, which would abort
 * a unit of work; an odd run of trailing backslashes is exactly that case (each `\\` pair is a literal one).
 */
function likeEscapeProblem(pattern: string): string | undefined {
  let trailing = 0;
  while (trailing < pattern.length && pattern.charCodeAt(pattern.length - 1 - trailing) === 92) trailing++;
  return trailing % 2 === 1 ? 'must not end with a lone escape character \\ (escape a literal backslash as \\\\, or use escapeLike)' : undefined;
}

function nullTest(model: TableModel, column: ColumnModel, path: string, isNull: boolean): SqlFragment {
  if (!column.nullable) throw fail(model, path, 'cannot test for NULL: the field is not nullable');
  return raw(column.quoted + (isNull ? ' IS NULL' : ' IS NOT NULL'));
}

function assertOrdered(model: TableModel, column: ColumnModel, path: string): void {
  if (column.kind === 'json') throw fail(model, path, 'cannot be used on JSON fields: JSON values have no meaningful order');
}

/** `before`, the value bound as a Param, then `after`. */
function bound(before: string, value: unknown, after = ''): SqlFragment {
  return new SqlFragment([before, after], [param(value)]);
}

function fail(model: TableModel, field: string, message: string): ValidationError {
  return ValidationError.forField(model.entityName, field, message);
}
