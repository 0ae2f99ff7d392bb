/** A Discord id: a decimal string, because ids exceed 2^53 (as discord.js does). Stored as SQL bigint. */
export type Snowflake = string;

/** What callers may pass where a snowflake is expected (a number only when it is a safe integer); normalised to a string before any SQL. */
export type SnowflakeInput = string | bigint | number;

const MAX_BIGINT = 9223372036854775807n;
const MAX_BIGINT_TEXT = '9223372036854775807';

/** `^[1-9][0-9]{0,18}$`, as a loop: this runs for every id of every row written, and a regex costs more. */
function isPositiveDecimal(value: string): boolean {
  const length = value.length;
  if (length === 0 || length > 19) return false;
  const first = value.charCodeAt(0);
  if (first < 49 || first > 57) return false;
  for (let i = 1; i < length; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * Why `value` is not a valid snowflake, or undefined when it is one. `what` names the id in the message: a database's
 * own bigint key (a case id) takes the same form as a Discord id but is not one.
 */
export function snowflakeProblem(value: unknown, what = 'a Discord id'): string | undefined {
  if (typeof value === 'string') {
    if (!isPositiveDecimal(value)) return `must be a positive integer string without leading zeros (${what})`;
    // Digit strings of one length compare as their numbers do.
    if (value.length === 19 && value > MAX_BIGINT_TEXT) return 'must not exceed 9223372036854775807';
    return undefined;
  }
  if (typeof value === 'bigint') {
    return value > 0n && value <= MAX_BIGINT ? undefined : 'must be between 1 and 9223372036854775807';
  }
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) return 'must be a string or bigint: this number is not a safe integer, so digits may be lost';
    return value > 0 ? undefined : 'must be a positive integer';
  }
  return `must be ${what} string`;
}

/**
 * True when `value` is a canonical snowflake string.
 *
 * ```ts
 * isSnowflake('1100000000000000001'); // true
 * isSnowflake(1100000000000000001n); // false: only the canonical string (toSnowflake converts)
 * isSnowflake('0042'); // false: leading zeros
 * ```
 */
export function isSnowflake(value: unknown): value is Snowflake {
  return typeof value === 'string' && snowflakeProblem(value) === undefined;
}

/**
 * The canonical string form of a valid snowflake input (string, bigint, or safe-integer number),
 * or undefined when the input is not a valid snowflake.
 *
 * ```ts
 * toSnowflake(1100000000000000001n); // '1100000000000000001'
 * toSnowflake(42); // '42'
 * toSnowflake(1100000000000000001); // undefined: not a safe integer, so digits may be lost
 * toSnowflake('abc'); // undefined
 * ```
 */
export function toSnowflake(value: unknown): Snowflake | undefined {
  if (snowflakeProblem(value) !== undefined) return undefined;
  return typeof value === 'string' ? value : String(value);
}
