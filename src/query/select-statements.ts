import { compileFilter, filterGuild } from './compile-filter';
import { compileOrderBy, NO_ORDER } from './compile-order-by';
import { filterShape, orderShape } from './filter-shape';
import { bindKey, keyCondition } from './key-condition';
import { NO_PARTS, shapedStatement } from './shaped-statement';
import { compile, raw, sql, type CompileOptions, type Param, type SqlFragment, type Statement } from './sql';
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
 * getById: the row whose key equals `key` (one value per column of model.idKeys: the primary key, or the row id alone
 * where guild_id is in the key only for distribution), keyed by property name. The text is compiled once per model
 * (see shapedStatement). It declares its guild when the key holds the guild column (a member's row).
 *
 * ```ts
 * getByIdStatement(caseModel, ['42']);
 * // { text: 'SELECT "case_id" AS "caseId", … FROM "cases" WHERE "case_id" = $1', values: ['42'], touches: { reads: ['cases'], writes: [], … } }
 * ```
 */
export function getByIdStatement(model: TableModel, key: unknown[]): Statement {
  return shapedStatement(model, 'getById', NO_PARTS, key, () => {
    const { values, guild } = bindKey(model.idKeys, key, model.guildColumn);
    return compile(sql`SELECT ${raw(model.selectList)} FROM ${raw(model.table)} WHERE ${keyCondition(model.idKeys, values)}`, reading(model, guild));
  });
}

/**
 * findAll: the rows matching `filters`, ordered, then LIMIT and OFFSET when given. They are bound, not inlined, so
 * one statement text (and one prepared plan) serves every page. A filter of plain equalities with a plain ordering
 * (the common `{ guildId, caseUserId }` with `{ caseNumber: 'DESC' }`) reuses its shape's text (see filterShape).
 * @throws ValidationError for a bad filter or ordering (see compileFilter, compileOrderBy).
 */
export function findAllStatement(model: TableModel, input: FindAllInput): Statement {
  const build = (): Statement => {
    const limit = input.limit === undefined ? NOTHING : sql` LIMIT ${input.limit}`;
    const offset = input.offset === undefined ? NOTHING : sql` OFFSET ${input.offset}`;
    const condition = compileFilter(model, input.filters);
    return compile(
      sql`SELECT ${raw(model.selectList)} FROM ${raw(model.table)} WHERE ${condition}${orderClause(model, input.orderBy)}${limit}${offset}`,
      reading(model, filterGuild(condition, model.guildColumn)),
    );
  };
  const order = orderShape(model, input.orderBy);
  const shape = order === undefined ? undefined : filterShape(model, input.filters);
  if (order === undefined || shape === undefined) return build();
  const values = shape.values;
  // The filter's columns, then the ordering's columns and directions, then which of LIMIT and OFFSET it binds.
  const parts: unknown[] = [...shape.columns, 'orderBy', ...order];
  if (input.limit !== undefined) {
    values.push(input.limit);
    parts.push('limit');
  }
  if (input.offset !== undefined) {
    values.push(input.offset);
    parts.push('offset');
  }
  return shapedStatement(model, 'findAll', parts, values, build);
}

/** count: one row `{ n }`, how many rows match `filters` (a bigint, as text). @throws ValidationError for a bad filter. */
export function countStatement(model: TableModel, filters: unknown): Statement {
  return filtered(model, 'count', filters, (condition) =>
    compile(sql`SELECT count(*) AS n FROM ${raw(model.table)} WHERE ${condition}`, reading(model, filterGuild(condition, model.guildColumn))),
  );
}

/** exists: one row `{ e }`, whether any row matches `filters`. @throws ValidationError for a bad filter. */
export function existsStatement(model: TableModel, filters: unknown): Statement {
  return filtered(model, 'exists', filters, (condition) =>
    compile(sql`SELECT EXISTS (SELECT 1 FROM ${raw(model.table)} WHERE ${condition}) AS e`, reading(model, filterGuild(condition, model.guildColumn))),
  );
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
  return compile(
    sql`SELECT "page".*, (SELECT count(*) FROM ${raw(model.table)} WHERE ${condition}) AS "__total" FROM (${page}) AS "page"`,
    reading(model, filterGuild(condition, model.guildColumn)),
  );
}

/**
 * A statement over the rows `filters` match, built by `build` from the compiled condition; a filter of plain
 * equalities reuses its shape's text, the first build's (see filterShape, shapedStatement).
 */
function filtered(model: TableModel, kind: string, filters: unknown, build: (condition: SqlFragment) => Statement): Statement {
  const shape = filterShape(model, filters);
  const fromScratch = (): Statement => build(compileFilter(model, filters));
  return shape === undefined ? fromScratch() : shapedStatement(model, kind, shape.columns, shape.values, fromScratch);
}

/** The declaration of a statement that only reads the model's table (of one guild, when `guild` binds its id). */
function reading(model: TableModel, guild: Param | undefined): CompileOptions {
  return { reads: [model.name], writes: [], guild };
}

/** ` ORDER BY …`, or nothing when there is nothing to order by. */
function orderClause(model: TableModel, orderBy: unknown): SqlFragment {
  const order = compileOrderBy(model, orderBy);
  return order === NO_ORDER ? NO_ORDER : sql` ${order}`;
}
