import { types, type CustomTypesConfig } from 'pg';
import { JSON_OID, JSONB_OID, parseJsonText } from './json-text';

/** PostgreSQL's type OID of `timestamptz`. */
export const TIMESTAMPTZ_OID = 1184;

const ZERO = 48;

/** The decimal number in `text[from, from + count)`, or -1 when any of those characters is not a digit. */
function digitsAt(text: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const d = text.charCodeAt(i) - ZERO;
    // Written as a negation so that NaN (past the end of the text) fails too.
    if (!(d >= 0 && d <= 9)) return -1;
    n = n * 10 + d;
  }
  return n;
}

// The largest time a Date holds, in ms from the epoch either way (+275760-09-13).
const MAX_DATE_MS = 8.64e15;

/**
 * A `timestamptz` as PostgreSQL writes it with DateStyle ISO (`2026-11-26 12:00:00.123456+00`, zones such as
 * `+05:30` or `-00:19:32`), as the Date pg's default parser (postgres-date) returns, without its three regular
 * expressions, whose cost adds up on reads (a page of 100 cases carries 200 timestamps). Text the
 * fast path does not cover (years outside 1000–9999, BC, another DateStyle) goes to the default parser; `infinity` and
 * `-infinity` become the latest and earliest Dates.
 */
export function parseTimestamptz(text: string): unknown {
  const date = parseIsoTimestamptz(text);
  if (date !== undefined) return date;
  // The default parser reads these as the numbers ±Infinity, not Dates: every entity field is a Date, so they become
  // the latest and earliest Dates there are (a reminder due at -infinity is due; one at infinity never is).
  if (text === 'infinity') return new Date(MAX_DATE_MS);
  if (text === '-infinity') return new Date(-MAX_DATE_MS);
  return (types.getTypeParser(TIMESTAMPTZ_OID, 'text') as (value: string) => unknown)(text);
}

function parseIsoTimestamptz(text: string): Date | undefined {
  // YYYY-MM-DD HH:MM:SS: fixed positions.
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 32 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) {
    return undefined;
  }
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  if (year < 1000 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return undefined;
  let i = 19;
  // .f to .ffffff: the first three digits are the milliseconds (a Date holds no finer), the rest are cut off.
  let ms = 0;
  if (text.charCodeAt(i) === 46) {
    const start = ++i;
    while (i < text.length && text.charCodeAt(i) >= ZERO && text.charCodeAt(i) <= ZERO + 9) i++;
    if (i === start) return undefined;
    for (let k = start; k < start + 3; k++) ms = ms * 10 + (k < i ? text.charCodeAt(k) - ZERO : 0);
  }
  // ±HH, ±HH:MM or ±HH:MM:SS, then the end of the text.
  const sign = text.charCodeAt(i) === 43 ? 1 : text.charCodeAt(i) === 45 ? -1 : 0;
  if (sign === 0) return undefined;
  let offset = 0;
  for (let part = 0, unit = 3600; part < 3 && i < text.length; part++, unit /= 60) {
    if (part > 0 && text.charCodeAt(i) !== 58) return undefined;
    const value = digitsAt(text, i + 1, 2);
    if (value < 0) return undefined;
    offset += value * unit;
    i += 3;
  }
  if (i !== text.length) return undefined;
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms) - sign * offset * 1000);
}

/**
 * The type parsers of the library's connections: pg's own, but for `timestamptz` (see parseTimestamptz) and `json` /
 * `jsonb` (see parseJsonText). Given to the pool, so they apply to this library's connections only, not to other pg
 * users in the process.
 */
export const TYPE_PARSERS: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (format === 'binary') return types.getTypeParser(oid, 'binary');
    if (oid === TIMESTAMPTZ_OID) return parseTimestamptz;
    return oid === JSONB_OID || oid === JSON_OID ? parseJsonText : types.getTypeParser(oid, 'text');
  }) as CustomTypesConfig['getTypeParser'],
};
