import { DatabaseError } from '../errors/database-error';
import { PartsCache } from './parts-cache';
import type { Statement } from './sql';
import type { TableModel } from './table-model';

/**
 * The most shapes kept per model. Shapes come from the fields a caller names (a filter's, a create's), so code has a
 * handful; the bound keeps a caller that names ever new combinations from growing the cache without end (past it, a
 * new shape is built each time, as without this cache).
 */
export const MAX_SHAPES_PER_MODEL = 256;

/** The parts of a shape that its kind alone decides (getById: one text per model). */
export const NO_PARTS: ReadonlyArray<never> = Object.freeze([]);

interface Shape {
  readonly text: string;
  readonly touches: Statement['touches'];
}

// Per model, the text and declaration of each shape: kind, then parts.
const shapes = new PartsCache<TableModel, Shape>(MAX_SHAPES_PER_MODEL);

/**
 * A statement whose text depends only on `model`, `kind` and `parts` (getById; a create setting these columns; a
 * count filtering on these fields): `build` compiles it the first time, and later calls reuse that text and its
 * declaration (see Touches) with their own `values`. Parts are Map keys: a model's ColumnModel objects (compared by
 * identity) or string literals (`'DESC'`, `'limit'`; see PartsCache). A hot path then costs a few lookups, and the
 * service's prepared-statement name lookup hashes a string it has seen. `values` must be what `build` binds, in
 * order: the first call of each shape checks it, so a builder that disagreed would fail at once rather than send a
 * value to the wrong placeholder.
 * @throws DatabaseError when `values` differ from the values `build` binds.
 *
 * ```ts
 * shapedStatement(model, 'getById', NO_PARTS, key, () => compile(sql`SELECT … WHERE ${keyCondition(model.idKeys, key)}`));
 * shapedStatement(model, 'insert', row.columns, [...row.params], () => compile(sql`INSERT …`));
 * ```
 */
export function shapedStatement(model: TableModel, kind: string, parts: ReadonlyArray<unknown>, values: unknown[], build: () => Statement): Statement {
  const known = shapes.lookup(model, kind, parts);
  if (known !== undefined) return { text: known.text, values, touches: known.touches };
  const statement = build();
  if (statement.values.length !== values.length || statement.values.some((value, i) => !Object.is(value, values[i]))) {
    throw new DatabaseError(`${model.entityName}: the ${kind} statement binds other values than its builder lists`);
  }
  shapes.remember(model, kind, parts, { text: statement.text, touches: statement.touches });
  return statement;
}
