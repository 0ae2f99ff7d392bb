import { columnCoercer, REJECTED } from '../query/coerce-value';
import { isPlainObject } from '../query/is-plain-object';
import { PartsCache } from '../query/parts-cache';
import type { ColumnModel, TableModel } from '../query/table-model';
import { passesEntityRules } from './entity-rules';

/**
 * Reads rows 1 … n-1 of a batch into `arrays` (one per field, index i for row i) and answers true, when every row is a
 * plain object with exactly the field list's own keys in its order, none undefined, each value accepted for its
 * column, and the row's coerced values pass the entity's rules, set on `instance`. Answers false at the first row
 * that is not so; what it has written by then is to be thrown away.
 */
export type ColumnReader = (rows: ReadonlyArray<unknown>, arrays: ReadonlyArray<unknown[]>, instance: Record<string, unknown>) => boolean;

/** Field lists kept per table; past this many, a list's reader is compiled for its call only. */
const MAX_READERS_PER_TABLE = 64;

// The readers of one table, found by walking its field list column by column (see PartsCache): finding the reader of
// a batch builds no key string.
const readers = new PartsCache<TableModel, ColumnReader>(MAX_READERS_PER_TABLE);

/**
 * The reader for batches of `model` rows that set `columns` (one per key, in the rows' key order; the columns are
 * the model's own objects), compiled once per field list. Why compiled: a loop over the keys reads and writes every
 * field through a computed name, which V8 looks up per row in a shared cache; straight-line code with each name
 * written out reads the rows' one hidden class directly (the entity hydrator does the same on the way back).
 * Property names come from the entity's metadata (the columns the batch's first row was checked against), never
 * from input, and enter the source only as JSON literals.
 *
 * ```ts
 * const read = columnReader(reminderModel, [content, expiresAt]);
 * const arrays = [['a'], [date]];
 * read([first, { reminderContent: 'b', reminderExpiresAt: date }], arrays, new Reminder()); // true: arrays[0] is ['a', 'b']
 * ```
 */
export function columnReader(model: TableModel, columns: ReadonlyArray<ColumnModel>): ColumnReader {
  const known = readers.lookup(model, 'columns', columns);
  if (known !== undefined) return known;
  const reader = compileReader(model, columns);
  readers.remember(model, 'columns', columns, reader);
  return reader;
}

function compileReader(model: TableModel, columns: ReadonlyArray<ColumnModel>): ColumnReader {
  const names = columns.map((c) => JSON.stringify(c.property));
  // A primitive value identical to the one the row above had in the same column was coerced and accepted then, and
  // coerces to the same value (a bulk insert often repeats its guild, channel or moderator): only objects (Dates, JSON)
  // are coerced on every row. `last` starts as a value no row can hold.
  const fields = columns.map((column, k) => {
    const name = names[k] as string;
    // The rules see a JSON column's value as given, like prepareValues sets it; every other column's as coerced.
    const ruleValue = column.kind === 'json' ? `v${k}` : `p${k}`;
    return (
      `const v${k} = row[${name}]; ` +
      `if (v${k} !== last${k} || typeof v${k} === 'object') { if (v${k} === undefined) return false; p${k} = coerce${k}(v${k}); if (p${k} === REJECTED) return false; last${k} = v${k}; } ` +
      `a${k}[i] = p${k}; instance[${name}] = ${ruleValue};`
    );
  });
  const source = [
    `const [${columns.map((_, k) => `coerce${k}`).join(', ')}] = coercers;`,
    `const names = [${names.join(', ')}];`,
    'return function readColumns(rows, arrays, instance) {',
    `  const [${columns.map((_, k) => `a${k}`).join(', ')}] = arrays;`,
    ...(columns.length === 0 ? [] : [`  let ${columns.map((_, k) => `last${k} = REJECTED, p${k}`).join(', ')};`]),
    '  for (let i = 1; i < rows.length; i++) {',
    '    const row = rows[i];',
    '    if (!isPlainObject(row)) return false;',
    // Own enumerable keys in order, as Object.keys gives them, without building the array per row (a plain object's
    // prototype adds none unless Object.prototype was given an enumerable key, which fails the row here).
    '    let n = 0;',
    '    for (const key in row) if (key !== names[n++]) return false;',
    `    if (n !== ${columns.length}) return false;`,
    ...fields.map((f) => `    ${f}`),
    '    if (passesEntityRules(instance, model) !== true) return false;',
    '  }',
    '  return true;',
    '};',
  ].join('\n');
  // A function built from text: the only way to have V8 see fixed property names per field list.
  const build = new Function('coercers', 'REJECTED', 'isPlainObject', 'passesEntityRules', 'model', source) as (
    coercers: ReadonlyArray<(value: unknown) => unknown>,
    rejected: typeof REJECTED,
    plain: typeof isPlainObject,
    passes: typeof passesEntityRules,
    table: TableModel,
  ) => ColumnReader;
  return build(
    columns.map((c) => columnCoercer(model, c)),
    REJECTED,
    isPlainObject,
    passesEntityRules,
    model,
  );
}
