import { types } from 'node:util';
import { timestamptzText } from './timestamptz-text';

/**
 * The parameters of one statement as the library's Client sends them: every valid Date (in arrays too) as its exact
 * text (timestamptzText), and every array of strings, numbers, bigints, booleans, nulls and valid Dates as its
 * array literal, the very text pg's own serializer would write for it once its Dates were so replaced. Why the
 * literal here: pg writes each element through two regular-expression replaces, which for the arrays of a bulk
 * insert (500 values for 100 reminders) cost more than the library's checks of those values (bench/RESULTS.md,
 * createMany); one scan per string does it. Anything else (nested arrays, Buffers, objects, invalid Dates, which pg
 * warns about) is left to pg as before. Returns `values` itself when nothing changes.
 *
 * ```ts
 * bindParameters([['a"b', null, 7], new Date(0)]);
 * // ['{"a\\"b",NULL,"7"}', '1970-01-01T00:00:00.000+00:00']
 * ```
 */
export function bindParameters(values: ReadonlyArray<unknown>): ReadonlyArray<unknown> {
  return bindValues(values, true);
}

// With `literals`, an array value becomes its literal when arrayLiteral can write it; an array nested in another is
// pg's to write (with its valid Dates as exact text).
function bindValues(values: ReadonlyArray<unknown>, literals: boolean): ReadonlyArray<unknown> {
  let bound: unknown[] | undefined;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    // Most values are strings and numbers: the typeof test skips them without calling into types.isDate.
    if (typeof value !== 'object' || value === null) continue;
    const mapped = isValidDate(value) ? timestamptzText(value) : Array.isArray(value) ? ((literals ? arrayLiteral(value) : undefined) ?? bindValues(value, false)) : value;
    if (mapped !== value) (bound ??= values.slice())[i] = mapped;
  }
  return bound ?? values;
}

function isValidDate(value: object): value is Date {
  // Invalid Dates are left to pg, which warns about them as it always did.
  return types.isDate(value) && !Number.isNaN(value.getTime());
}

/**
 * pg's array literal (arrayString) of a flat array of plain values, Dates as timestamptzText, or undefined when an
 * element is of another kind. Every element is quoted and escaped exactly as pg's escapeElement does it.
 * @example
 * arrayLiteral(['x', null, true, 5n]); // '{"x",NULL,"true","5"}'
 */
export function arrayLiteral(values: ReadonlyArray<unknown>): string | undefined {
  let text = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) text += ',';
    const value = values[i];
    switch (typeof value) {
      case 'string':
        text += quoted(value);
        break;
      case 'number':
      case 'bigint':
      case 'boolean':
        // pg writes value.toString(): digits, signs, '.', 'e', Infinity or NaN, true or false; nothing to escape.
        text += `"${String(value)}"`;
        break;
      case 'undefined':
        text += 'NULL';
        break;
      case 'object':
        if (value === null) text += 'NULL';
        else if (isValidDate(value)) text += `"${timestamptzText(value)}"`;
        else return undefined;
        break;
      default:
        return undefined;
    }
  }
  return `${text}}`;
}

// pg's escapeElement: backslashes and double quotes escaped with a backslash, the whole in double quotes. Most text
// has neither, and then needs no replace.
function quoted(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit === 0x22 || unit === 0x5c) return `"${text.replace(/[\\"]/g, '\\$&')}"`;
  }
  return `"${text}"`;
}
