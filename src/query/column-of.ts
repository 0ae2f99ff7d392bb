import { DatabaseError } from '../errors/database-error';
import type { ColumnModel, TableModel } from './table-model';

/**
 * The column of `property`, for a builder that names a column of the library's own choosing (never input).
 * @throws DatabaseError when the entity has no such column: a library bug, not a caller's mistake.
 */
export function columnOf(model: TableModel, property: string): ColumnModel {
  const column = model.columns.get(property);
  if (column === undefined) throw new DatabaseError(`${model.entityName} has no column ${property}`);
  return column;
}
