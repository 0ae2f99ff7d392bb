import { DEFAULT_CACHE_TTL_SECONDS } from '../config';
import { ValidationError } from '../errors/validation-error';
import { checkOptions } from '../query/check-options';
import { textProblem } from '../query/coerce-value';
import { isPlainObject } from '../query/is-plain-object';
import { highestPlaceholder } from './sql-placeholders';
import type { StatementOptions } from './statement-runner';

// Every key of StatementOptions: what query() takes from a caller.
const STATEMENT_OPTION_KEYS: ReadonlyArray<keyof StatementOptions> = ['prepare', 'createsGuild', 'upsert', 'touches', 'cache', 'ownInvalidation', 'rowsAsArrays'];
const FLAG_KEYS = ['prepare', 'createsGuild', 'upsert', 'ownInvalidation', 'rowsAsArrays'] as const;
const TOUCHES_KEYS = ['reads', 'writes', 'locks', 'guildAt', 'memberAt'] as const;
const CACHE_FAMILIES = Object.keys(DEFAULT_CACHE_TTL_SECONDS);
// Nested arrays deeper than this are not looked into (pg binds them as array literals; none is that deep).
const MAX_VALUE_DEPTH = 8;

/**
 * Checks db.service.query's arguments, which JavaScript callers can pass as the types refuse, so that none reaches
 * the server: there a wrong value count fails as a protocol violation (08P01), which reads like a lost connection or
 * a pooler's lost prepared statement, and an option of the wrong type fails after the statement ran.
 * @throws ValidationError for a `text` that is not a non-empty string; `values` that are not an array, or do not hold
 * exactly one value per placeholder number ($1 … $n, see highestPlaceholder), or hold an Invalid Date or text
 * PostgreSQL cannot store (NUL, an unpaired surrogate); `options` that are not StatementOptions, or whose fields
 * have the wrong type.
 *
 * ```ts
 * checkQueryArguments('SELECT $1::int + $2::int', [1], undefined); // ValidationError: values holds 1 value, the SQL uses $1 … $2
 * ```
 */
export function checkQueryArguments(text: unknown, values: unknown, options: unknown): void {
  if (typeof text !== 'string' || !/\S/.test(text)) throw ValidationError.forField('query', 'text', `must be a non-empty SQL string (got ${typeof text === 'string' ? 'a blank string' : typeof text})`);
  if (!Array.isArray(values)) throw ValidationError.forField('query', 'values', `must be an array of parameters, [] for none (got ${values === null ? 'null' : typeof values})`);
  const expected = highestPlaceholder(text);
  if (values.length !== expected) {
    throw ValidationError.forField('query', 'values', `holds ${values.length} value${values.length === 1 ? '' : 's'}; the SQL uses ${expected === 0 ? 'no placeholder' : `$1 … $${expected}`}: give one value per placeholder number`);
  }
  for (let i = 0; i < values.length; i++) checkValue(values[i], `values[${i}]`, 0);
  if (options !== undefined) checkStatementOptions(options, values.length);
}

function checkValue(value: unknown, field: string, depth: number): void {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    if (problem !== undefined) throw ValidationError.forField('query', field, problem);
  } else if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw ValidationError.forField('query', field, 'is an Invalid Date');
  } else if (Array.isArray(value) && depth < MAX_VALUE_DEPTH) {
    for (let i = 0; i < value.length; i++) checkValue(value[i], `${field}[${i}]`, depth + 1);
  }
}

function checkStatementOptions(options: unknown, valueCount: number): void {
  checkOptions('query', options, STATEMENT_OPTION_KEYS, 'query');
  for (const key of FLAG_KEYS) {
    const flag = options[key];
    if (flag !== undefined && typeof flag !== 'boolean') throw ValidationError.forField('query', `options.${key}`, 'must be true or false');
  }
  const { cache, touches } = options;
  if (cache !== undefined && cache !== false && !CACHE_FAMILIES.includes(cache as string)) {
    throw ValidationError.forField('query', 'options.cache', `must be false or a cache family: ${CACHE_FAMILIES.join(', ')}`);
  }
  if (touches !== undefined) checkTouches(touches, valueCount);
}

// A declaration the caller makes for its own SQL: the cache, the replica router and the retry rules act on it.
function checkTouches(touches: unknown, valueCount: number): void {
  if (!isPlainObject(touches)) throw ValidationError.forField('query', 'options.touches', 'must be { reads, writes, locks, guildAt?, memberAt? }');
  checkOptions('query', touches, TOUCHES_KEYS, 'options.touches');
  for (const key of ['reads', 'writes'] as const) {
    const tables = touches[key];
    if (!Array.isArray(tables) || !tables.every((t) => typeof t === 'string' && t.length > 0)) {
      throw ValidationError.forField('query', `options.touches.${key}`, 'must be an array of table names ([] for none)');
    }
  }
  if (typeof touches.locks !== 'boolean') throw ValidationError.forField('query', 'options.touches.locks', 'must be true or false');
  for (const key of ['guildAt', 'memberAt'] as const) {
    const at = touches[key];
    if (at !== undefined && !(typeof at === 'number' && Number.isInteger(at) && at >= 0 && at < valueCount)) {
      throw ValidationError.forField('query', `options.touches.${key}`, `must be the index in values of that id (0 to ${valueCount - 1})`);
    }
  }
  if (touches.memberAt !== undefined && touches.guildAt === undefined) throw ValidationError.forField('query', 'options.touches.memberAt', 'needs guildAt: a member is of one guild');
}
