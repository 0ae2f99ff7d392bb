import { snowflakeProblem } from '../entities/snowflake';
import { ValidationError } from '../errors/validation-error';
import type { ColumnModel, TableModel } from './table-model';

/** The least value of a PostgreSQL `int` (int4) column. */
export const INT4_MIN = -2147483648;
/** The greatest value of a PostgreSQL `int` (int4) column: counters saturate here rather than overflow. */
export const INT4_MAX = 2147483647;
const MAX_JSON_DEPTH = 64;

// With the `u` flag a well-formed surrogate pair is one code point, so only NUL and lone halves match.
const BAD_TEXT = /[\u0000\uD800-\uDFFF]/u;
// Without it, any surrogate matches: a string with neither NUL nor surrogates (most text) passes this cheaper test
// alone, and only the others pay for the code-point scan of BAD_TEXT.
const MAYBE_BAD_TEXT = /[\u0000\uD800-\uDFFF]/;
// Date, time and an explicit zone are required: a zoneless string would be read in the server's zone.
const ISO_TIMESTAMP =
  /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?(?:Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)$/;

/**
 * Why `value` cannot be stored as PostgreSQL text, or undefined when it can: NUL characters and
 * unpaired surrogates are rejected, and `maxLength` counts Unicode code points, as varchar(n) does.
 */
export function textProblem(value: string, maxLength?: number): string | undefined {
  if (MAYBE_BAD_TEXT.test(value) && BAD_TEXT.test(value)) {
    return value.includes('\u0000')
      ? 'must not contain the NUL character (U+0000): PostgreSQL text cannot store it'
      : 'contains an unpaired UTF-16 surrogate, which cannot be encoded as UTF-8';
  }
  // A string has at least as many UTF-16 units as code points, so only long ones need counting.
  if (maxLength !== undefined && value.length > maxLength) {
    let codePoints = 0;
    for (let i = 0; i < value.length; i++) {
      const unit = value.charCodeAt(i);
      if (unit < 0xdc00 || unit > 0xdfff) codePoints++;
    }
    if (codePoints > maxLength) return `must be at most ${maxLength} characters long (got ${codePoints})`;
  }
  return undefined;
}

/**
 * Validates one value for `column` and returns it ready to bind as a pg parameter: snowflake and
 * bigint keys become canonical decimal strings, timestamps become Dates, JSON becomes its JSON text.
 * Timestamps accept a valid Date or an ISO 8601 string with date, time and zone (`Z` or `±hh:mm`).
 * `null` is returned as is for nullable columns; `undefined` is always rejected.
 * @throws ValidationError naming `path` when the value does not fit the column.
 * @example
 * coerceValue(model, model.columns.get('guildId')!, 123n, 'guildId'); // '123'
 */
export function coerceValue(model: TableModel, column: ColumnModel, value: unknown, path: string): unknown {
  return coerceValueAt(model, column, value, path, -1);
}

/**
 * coerceValue for element `index` of the list at `path` (errors name `path[index]`); the field name
 * is built only when the value is rejected, so long lists cost no string building.
 * @throws ValidationError naming `path[index]` when the value does not fit the column.
 */
export function coerceValueAt(model: TableModel, column: ColumnModel, value: unknown, path: string, index: number): unknown {
  if (value === null) {
    if (column.nullable) return null;
    throw fail(model, path, index, 'must not be null: the field is not nullable');
  }
  if (value === undefined) throw fail(model, path, index, 'is undefined: give a value');
  let problem: string | undefined;
  switch (column.kind) {
    case 'snowflake':
    case 'bigint':
      problem = snowflakeProblem(value, column.kind === 'bigint' ? 'a row id' : undefined);
      if (problem === undefined) return typeof value === 'string' ? value : String(value);
      break;
    case 'int':
      if (typeof value === 'number' && Number.isInteger(value) && value >= INT4_MIN && value <= INT4_MAX) return value;
      problem = `must be an integer between ${INT4_MIN} and ${INT4_MAX}`;
      break;
    case 'float':
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      problem = 'must be a finite number';
      break;
    case 'bool':
      if (typeof value === 'boolean') return value;
      problem = 'must be a boolean';
      break;
    case 'string':
      if (typeof value !== 'string') {
        problem = 'must be a string';
        break;
      }
      problem = textProblem(value, column.maxLength);
      if (problem === undefined) return value;
      break;
    case 'timestamp': {
      const date = toDate(value);
      if (date !== undefined) return date;
      problem = 'must be a valid Date from 4713 BC on (or an ISO 8601 string with date, time and zone, like 2024-05-01T12:00:00Z)';
      break;
    }
    case 'enum': {
      const allowed = column.enumValues;
      if (typeof value === 'string' && (allowed === undefined ? textProblem(value) === undefined : allowed.includes(value))) {
        return value;
      }
      problem = allowed === undefined ? 'must be a string' : `must be one of ${allowed.join(', ')}`;
      break;
    }
    case 'json':
      if (column.snowflakeList === true) return writeSnowflakeList({ model, path, index, keys: [] }, value);
      // The column holds a JSON object; a Date would be stored as a bare string (inside an object it is its ISO text).
      if (value instanceof Date) {
        problem = 'must be a JSON object, not a Date';
        break;
      }
      return writeJson({ model, path, index, keys: [] }, value, 0);
  }
  throw fail(model, path, index, problem ?? 'has an unsupported column kind');
}

/** What a column coercer returns for a value coerceValue would refuse. */
export const REJECTED: unique symbol = Symbol('rejected');

/**
 * coerceValue for one column as a function of the value alone, for the rows of a bulk write: it returns what
 * coerceValue returns, or REJECTED where coerceValue would throw, without building an error (the caller asks
 * coerceValue for the wording). The kinds bulk writes bind most are checked here with coerceValue's own tests; the
 * others call coerceValue.
 * @example
 * const read = columnCoercer(model, model.columns.get('guildId')!);
 * read(123n); // '123'
 * read(-1);   // REJECTED
 */
export function columnCoercer(model: TableModel, column: ColumnModel): (value: unknown) => unknown {
  const ifNull = column.nullable ? null : REJECTED;
  switch (column.kind) {
    case 'snowflake':
    case 'bigint':
      return (value) => (value === null ? ifNull : snowflakeProblem(value) !== undefined ? REJECTED : typeof value === 'string' ? value : String(value));
    case 'string': {
      const { maxLength } = column;
      return (value) => (value === null ? ifNull : typeof value === 'string' && textProblem(value, maxLength) === undefined ? value : REJECTED);
    }
    case 'timestamp':
      return (value) => (value === null ? ifNull : (toDate(value) ?? REJECTED));
    default:
      return (value) => {
        try {
          return coerceValue(model, column, value, column.property);
        } catch (e) {
          if (e instanceof ValidationError) return REJECTED;
          throw e;
        }
      };
  }
}

/** 4714-11-24 BC 00:00 UTC (Julian day 0), the earliest instant a PostgreSQL timestamptz holds, in epoch ms (JS dates end before its upper bound). */
export const EARLIEST_TIMESTAMP_MS = -210866803200000;

function toDate(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) || value.getTime() < EARLIEST_TIMESTAMP_MS ? undefined : value;
  if (typeof value !== 'string') return undefined;
  const match = ISO_TIMESTAMP.exec(value);
  if (match === null) return undefined;
  // The pattern bounds each field; only the day against its month (February 30th) is left to check.
  const year = Number(match[1]);
  const month = Number(match[2]);
  if (Number(match[3]) > new Date(Date.UTC(year, month, 0)).getUTCDate()) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) || date.getTime() < EARLIEST_TIMESTAMP_MS ? undefined : date;
}

function fieldName(path: string, index: number): string {
  return index < 0 ? path : `${path}[${index}]`;
}

function fail(model: TableModel, path: string, index: number, message: string): ValidationError {
  return ValidationError.forField(model.entityName, fieldName(path, index), message);
}

interface JsonContext {
  readonly model: TableModel;
  readonly path: string;
  readonly index: number;
  /** Keys from the top-level value down to the one being written; names the field of an error. */
  readonly keys: Array<string | number>;
}

function jsonFail(ctx: JsonContext, message: string): ValidationError {
  let field = fieldName(ctx.path, ctx.index);
  for (const key of ctx.keys) field += typeof key === 'number' ? `[${key}]` : `.${key}`;
  return ValidationError.forField(ctx.model.entityName, field, message);
}

// A list of Discord ids as a JSON array of decimal strings, whichever form each id came in (see SnowflakeListColumn).
function writeSnowflakeList(ctx: JsonContext, value: unknown): string {
  if (!Array.isArray(value)) throw jsonFail(ctx, 'must be an array of Discord ids');
  const ids: string[] = [];
  for (let i = 0; i < value.length; i++) {
    const id: unknown = value[i];
    const problem = snowflakeProblem(id);
    if (problem !== undefined) throw jsonFail({ ...ctx, keys: [i] }, problem);
    ids.push(typeof id === 'string' ? id : String(id));
  }
  return JSON.stringify(ids);
}

// Writes JSON text itself rather than trusting JSON.stringify, which silently turns NaN into null,
// drops undefined, functions and class state, and throws on bigint.
function writeJson(ctx: JsonContext, value: unknown, depth: number): string {
  switch (typeof value) {
    case 'string': {
      const problem = textProblem(value);
      if (problem !== undefined) throw jsonFail(ctx, problem);
      return JSON.stringify(value);
    }
    case 'number':
      if (!Number.isFinite(value)) throw jsonFail(ctx, 'must be a finite number: JSON has no NaN or Infinity');
      if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
        throw jsonFail(ctx, 'is an integer beyond 2^53 that may already have lost digits: pass it as a string or bigint');
      }
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      // As a decimal string, so a snowflake keeps every digit (a JSON number would be read as a double).
      return `"${value}"`;
    case 'object':
      if (value === null) return 'null';
      if (depth >= MAX_JSON_DEPTH) throw jsonFail(ctx, `is nested more than ${MAX_JSON_DEPTH} levels deep (or is cyclic)`);
      if (Array.isArray(value)) return writeJsonArray(ctx, value, depth);
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) throw jsonFail(ctx, 'is an invalid Date');
        return `"${value.toISOString()}"`;
      }
      return writeJsonObject(ctx, value, depth);
    default:
      throw jsonFail(ctx, `is ${typeof value}, which is not a JSON value`);
  }
}

function writeJsonArray(ctx: JsonContext, value: ReadonlyArray<unknown>, depth: number): string {
  let text = '[';
  for (let i = 0; i < value.length; i++) {
    ctx.keys.push(i);
    text += (i === 0 ? '' : ',') + writeJson(ctx, value[i], depth + 1);
    ctx.keys.pop();
  }
  return text + ']';
}

function writeJsonObject(ctx: JsonContext, value: object, depth: number): string {
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    throw jsonFail(ctx, 'is a class instance: JSON takes plain objects, arrays, strings, finite numbers, booleans, bigints, Dates and null');
  }
  const record = value as Record<string, unknown>;
  let text = '{';
  let first = true;
  for (const key of Object.keys(record)) {
    const item = record[key];
    // Skipped as JSON.stringify does, so optional properties left undefined are simply absent.
    if (item === undefined) continue;
    ctx.keys.push(key);
    const keyProblem = textProblem(key);
    if (keyProblem !== undefined) throw jsonFail(ctx, `has a key that ${keyProblem}`);
    text += (first ? '' : ',') + JSON.stringify(key) + ':' + writeJson(ctx, item, depth + 1);
    first = false;
    ctx.keys.pop();
  }
  return text + '}';
}
