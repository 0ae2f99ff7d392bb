import { DatabaseError } from '../errors/database-error';
import type { Statement } from './sql';
import type { TableModel } from './table-model';

const texts = new WeakMap<TableModel, Map<string, string>>();

/**
 * A statement whose text depends only on `model` and `shape` (getById; a create setting these fields): `build`
 * compiles it the first time, and later calls reuse that text with their own `values`. A hot path then costs a
 * lookup, and the service's prepared-statement name lookup hashes a string it has seen. `values` must be what
 * `build` binds, in order: the first call of each shape checks it, so a builder that disagreed would fail at once
 * rather than send a value to the wrong placeholder.
 * @throws DatabaseError when `values` differ from the values `build` binds.
 *
 * ```ts
 * shapedStatement(model, 'getById', key, () => compile(sql`SELECT … WHERE ${keyCondition(model.primaryKeys, key)}`));
 * ```
 */
export function shapedStatement(model: TableModel, shape: string, values: unknown[], build: () => Statement): Statement {
  let byShape = texts.get(model);
  if (byShape === undefined) texts.set(model, (byShape = new Map()));
  const text = byShape.get(shape);
  if (text !== undefined) return { text, values };
  const statement = build();
  if (statement.values.length !== values.length || statement.values.some((value, i) => !Object.is(value, values[i]))) {
    throw new DatabaseError(`${model.entityName}: the ${shape} statement binds other values than its builder lists`);
  }
  byShape.set(shape, statement.text);
  return statement;
}
