import { ValidationError } from '../errors/validation-error';
import type { ColumnArrays } from '../query/bulk-insert';
import { isPlainObject } from '../query/is-plain-object';
import type { TableModel } from '../query/table-model';
import { columnReader } from './column-reader';
import { prepareValues } from './prepare-values';

/**
 * createMany's common case, checked column by column: when every row is a plain object with the same own keys in the
 * same order as the first row, none of them undefined, and every row passes prepareValues, the rows' values as one
 * array per column, exactly as prepareValues row by row and then groupArrays would give them. Otherwise undefined, and
 * the caller prepares row by row, which words every problem of every row and groups rows that write different fields.
 * `provided` names fields the statement fills in itself, as for prepareValues.
 *
 * Why a second path: a batch of 100 reminders spent most of createMany's client time in prepareValues' per-row
 * bookkeeping (a key array, a result object, a fresh entity instance, a lookup per field), not in the checks
 * themselves (bench/RESULTS.md, createMany). Here the first row goes through prepareValues, which settles every
 * question about the fields (known, writable, required), and the other rows only coerce their values and pass the
 * entity's rules, on one reused instance.
 * @example
 * prepareColumns(reminderModel, Reminder, [{ guildId: '7', reminderContent: 'a', … }, { guildId: '7', reminderContent: 'b', … }]);
 * // { columns: [guildId, reminderContent, …], arrays: [['7', '7'], ['a', 'b'], …] }
 */
export function prepareColumns<T extends object>(model: TableModel, entity: new () => T, rows: ReadonlyArray<unknown>, provided?: ReadonlySet<string>): ColumnArrays | undefined {
  const first = rows[0];
  if (!isPlainObject(first)) return undefined;
  const keys = Object.keys(first);
  let firstRow;
  try {
    firstRow = prepareValues(model, entity, first, 'insert', undefined, provided);
  } catch (e) {
    if (e instanceof ValidationError) return undefined;
    throw e;
  }
  const { columns, params } = firstRow;
  // A key left undefined writes nothing: the first row then writes fewer fields than it has keys.
  if (columns.length !== keys.length) return undefined;
  const arrays = params.map((value) => {
    const values = new Array<unknown>(rows.length);
    values[0] = value;
    return values;
  });
  // The rules see each row's values as prepareValues would set them on a fresh instance: every row sets the same keys.
  if (!columnReader(model, columns)(rows, arrays, new entity() as Record<string, unknown>)) return undefined;
  return { columns, arrays };
}
