import { compileFilter } from './compile-filter';
import { compileOrderBy, NO_ORDER } from './compile-order-by';
import { keyCondition } from './key-condition';
import { shapedStatement } from './shaped-statement';
import { compile, raw, sql, type SqlFragment, type Statement } from './sql';
import type { TableModel } from './table-model';

const NOTHING = raw('');

/** What findAll reads: `limit` and `offset` already checked (non-negative integers) or undefined. */
export interface FindAllInput {
  readonly filters?: unknown;
  readonly orderBy?: unknown;
  readonly limit?: number | undefined;
  readonly offset?: number | undefined;
}

/** What paginate reads: `perPage` rows after skipping `offset`, both checked. */
export interface PageInput {
  readonly filters?: unknown;
  readonly orderBy?: unknown;
  readonly perPage: number;
  readonly offset: number;
}

/**
 * getById: the row whose primary key equals `key` (one value per key column, in the model's order), keyed by
 * property name. The text is compiled once per model (see shapedStatement).
 *
 * ```ts
 * getByIdStatement(caseModel, ['42']);
 * // { text: 'SELECT "case_id" AS "caseId", … FROM "cases" WHERE "case_id" = $1', values: ['42'] }
 * ```
 */
export function getByIdStatement(model: TableModel, key: unknown[]): Statement {
  return shapedStatement(model, 'getById', key, () =>
    compile(sql`SELECT ${raw(model.selectList)} FROM ${raw(model.table)} WHERE ${keyCondition(model.primaryKeys, key)}`),
  );
}

/**
 * findAll: the rows matching `filters`, ordered, then LIMIT and OFFSET when given. They are bound, not inlined, so
 * one statement text (and one prepared plan) serves every page.
 * @throws ValidationError for a bad filter or ordering (see compileFilter, compileOrderBy).
 */
export function findAllStatement(model: TableModel, input: FindAllInput): Statement {
  const limit = input.limit === undefined ? NOTHING : sql` LIMIT ${input.limit}`;
  const offset = input.offset === undefined ? NOTHING : sql` OFFSET ${input.offset}`;
  return compile(sql`SELECT ${raw(model.selectList)} FROM ${raw(model.table)} WHERE ${compileFilter(model, input.filters)}${orderClause(model, input.orderBy)}${limit}${offset}`);
}

/** count: one row `{ n }`, how many rows match `filters` (a bigint, as text). @throws ValidationError for a bad filter. */
export function countStatement(model: TableModel, filters: unknown): Statement {
  return compile(sql`SELECT count(*) AS n FROM ${raw(model.table)} WHERE ${compileFilter(model, filters)}`);
}

/** exists: one row `{ e }`, whether any row matches `filters`. @throws ValidationError for a bad filter. */
export function existsStatement(model: TableModel, filters: unknown): Statement {
  return compile(sql`SELECT EXISTS (SELECT 1 FROM ${raw(model.table)} WHERE ${compileFilter(model, filters)}) AS e`);
}

/**
 * paginate: one page of rows, each with the total number of matching rows as `__total`. The page is cut in a
 * subquery (whose order the outer select keeps), so the rows OFFSET skips are never projected; the total is one
 * scalar count beside it (a window count would hold every matching row first). The filter's values are bound once
 * for both.
 * @throws ValidationError for a bad filter or ordering.
 */
export function paginateStatement(model: TableModel, input: PageInput): Statement {
  const condition = compileFilter(model, input.filters);
  const page = sql`SELECT ${raw(model.selectList)} FROM ${raw(model.table)} WHERE ${condition}${orderClause(model, input.orderBy)} LIMIT ${input.perPage} OFFSET ${input.offset}`;
  return compile(sql`SELECT "page".*, (SELECT count(*) FROM ${raw(model.table)} WHERE ${condition}) AS "__total" FROM (${page}) AS "page"`);
}

/** ` ORDER BY …`, or nothing when there is nothing to order by. */
function orderClause(model: TableModel, orderBy: unknown): SqlFragment {
  const order = compileOrderBy(model, orderBy);
  return order === NO_ORDER ? NO_ORDER : sql` ${order}`;
}
