/** PostgreSQL's type OIDs of `json` and `jsonb`. */
export const JSON_OID = 114;
export const JSONB_OID = 3802;

// An integer of 16 or more digits may be past Number.MAX_SAFE_INTEGER (9007199254740991); shorter ones never are.
const LONG_DIGITS = /\d{16}/;

/**
 * A `json` / `jsonb` value as JSON.parse reads it, except that an integer JSON.parse would round (past 2^53, as every
 * Discord id is) comes back as the string of its digits. Rows the library writes hold ids as strings already; a row
 * written by other code (the Python bot's ints in case_metadata, raw SQL) would otherwise lose digits silently.
 * Numbers with a fraction or an exponent are read as numbers, as JSON.parse reads them.
 *
 * ```ts
 * parseJsonText('{"message_id": 1234567890123456789, "n": 3}'); // { message_id: '1234567890123456789', n: 3 }
 * ```
 */
export function parseJsonText(text: string): unknown {
  // Most values (`[]`, a short object) are too short to hold 16 digits: no regex for them.
  return JSON.parse(text.length >= 16 && LONG_DIGITS.test(text) ? quoteUnsafeIntegers(text) : text);
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

// `text` with every integer literal outside strings that is not a safe integer put in quotes. Valid JSON in, valid
// JSON out (PostgreSQL only hands out valid JSON).
function quoteUnsafeIntegers(text: string): string {
  let out = '';
  let copied = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 34) {
      // A string: skip to its closing quote, stepping over escapes.
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92) i++;
    } else if (code === 45 || isDigit(code)) {
      let end = code === 45 ? i + 1 : i;
      while (end < text.length && isDigit(text.charCodeAt(end))) end++;
      const next = text.charCodeAt(end);
      const integer = next !== 46 && next !== 101 && next !== 69;
      if (integer && !Number.isSafeInteger(Number(text.slice(i, end)))) {
        out += `${text.slice(copied, i)}"${text.slice(i, end)}"`;
        copied = end;
      }
      // A fraction or exponent is part of the same number: step over it.
      while (end < text.length && /[0-9.eE+-]/.test(text.charAt(end))) end++;
      i = end - 1;
    }
  }
  return copied === 0 ? text : out + text.slice(copied);
}
