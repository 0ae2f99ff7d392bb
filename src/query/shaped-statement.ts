import { DatabaseError } from '../errors/database-error';
import type { Statement } from './sql';
import type { TableModel } from './table-model';

// The text and declaration of each shape: a call adds only its values.
const shapes = new WeakMap<TableModel, Map<string, Shape>>();
/**
 * The most shapes kept per model. Shapes come from the fields a caller names (a filter's, a create's), so code has a
 * handful; the bound keeps a caller that names ever new combinations from growing the map without end (past it, a
 * new shape is built each time, as without this cache).
 */
export const MAX_SHAPES_PER_MODEL = 256;

interface Shape {
  readonly text: string;
  readonly touches: Statement['touches'];
}

/**
 * A statement whose text depends only on `model` and `shape` (getById; a create setting these fields): `build`
 * compiles it the first time, and later calls reuse that text and its declaration (see Touches) with their own
 * `values`. A hot path then costs a lookup, and the service's prepared-statement name lookup hashes a string it has
 * seen. `values` must be what `build` binds, in order: the first call of each shape checks it, so a builder that disagreed would fail at once
 * rather than send a value to the wrong placeholder.
 * @throws DatabaseError when `values` differ from the values `build` binds.
 *
 * ```ts
 * shapedStatement(model, 'getById', key, () => compile(sql`SELECT … WHERE ${keyCondition(model.idKeys, key)}`));
 * ```
 */
export function shapedStatement(model: TableModel, shape: string, values: unknown[], build: () => Statement): Statement {
  let byShape = shapes.get(model);
  if (byShape === undefined) shapes.set(model, (byShape = new Map()));
  const known = byShape.get(shape);
  if (known !== undefined) return { text: known.text, values, touches: known.touches };
  const statement = build();
  if (statement.values.length !== values.length || statement.values.some((value, i) => !Object.is(value, values[i]))) {
    throw new DatabaseError(`${model.entityName}: the ${shape} statement binds other values than its builder lists`);
  }
  if (byShape.size < MAX_SHAPES_PER_MODEL) byShape.set(shape, { text: statement.text, touches: statement.touches });
  return statement;
}
