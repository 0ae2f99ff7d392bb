/**
 * The highest `$n` placeholder in SQL text, 0 when it has none: how many values PostgreSQL expects to be bound to
 * it. Read as PostgreSQL's lexer reads it, so a `$1` inside a string ('…', E'…' with backslash escapes), a quoted
 * identifier, a comment (-- and nested /* *\/) or a dollar-quoted body ($$…$$, $fn$…$fn$: a function's own `$1` is
 * its argument) does not count, and neither does `$` inside an identifier (`a$1`). A `PREPARE name AS …` binds
 * none: its placeholders are its own.
 *
 * ```ts
 * highestPlaceholder('SELECT $1::int + $2::int'); // 2
 * highestPlaceholder("SELECT '$1', $$ $3 $$, a$4 FROM t -- $5"); // 0
 * highestPlaceholder('PREPARE q AS SELECT $1::int'); // 0
 * ```
 */
export function highestPlaceholder(text: string): number {
  // PREPARE name AS … declares its own parameters: the statement sent binds none.
  if (LEADING_PREPARE.test(text)) return 0;
  let highest = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const afterWord = i > 0 && isWordChar(text.charCodeAt(i - 1));
    if (c === QUOTE) {
      // E'…' (or e'…') takes backslash escapes; every other string only doubles its quotes.
      const escapes = i > 0 && (text.charCodeAt(i - 1) | 0x20) === 0x65 && !(i > 1 && isWordChar(text.charCodeAt(i - 2)));
      i = endOfQuoted(text, i, QUOTE, escapes);
    } else if (c === DOUBLE_QUOTE) {
      i = endOfQuoted(text, i, DOUBLE_QUOTE, false);
    } else if (c === DASH && text.charCodeAt(i + 1) === DASH) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (c === SLASH && text.charCodeAt(i + 1) === STAR) {
      i = endOfComment(text, i);
    } else if (c === DOLLAR && !afterWord) {
      let end = i + 1;
      while (end < text.length && isDigit(text.charCodeAt(end))) end++;
      if (end > i + 1) {
        highest = Math.max(highest, Number(text.slice(i + 1, end)));
        i = end - 1;
      } else {
        i = endOfDollarQuote(text, i);
      }
    }
  }
  return highest;
}

// PREPARE as the first word, after any blanks and comments.
const LEADING_PREPARE = /^(?:\s|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*prepare\b/i;
const QUOTE = 39;
const DOUBLE_QUOTE = 34;
const DASH = 45;
const SLASH = 47;
const STAR = 42;
const DOLLAR = 36;
const BACKSLASH = 92;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

// Letters, digits, _ and $ continue an identifier; so does any non-ASCII character, as in PostgreSQL.
function isWordChar(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === DOLLAR || c > 127;
}

// The index of the quote that closes the string or identifier opened at `start` (the last index when unclosed).
function endOfQuoted(text: string, start: number, quote: number, escapes: boolean): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (escapes && c === BACKSLASH) i++;
    else if (c === quote) {
      if (text.charCodeAt(i + 1) !== quote) return i;
      i++;
    }
  }
  return text.length;
}

// The index of the `/` that closes the comment opened at `start`; comments nest.
function endOfComment(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    if (text.charCodeAt(i) === SLASH && text.charCodeAt(i + 1) === STAR) {
      depth++;
      i++;
    } else if (text.charCodeAt(i) === STAR && text.charCodeAt(i + 1) === SLASH) {
      depth--;
      i++;
      if (depth === 0) return i;
    }
  }
  return text.length;
}

// At a `$` that starts no placeholder: past the end of the dollar-quoted body it opens, or `start` itself when the
// `$` opens none (a tag is letters, digits and _, not starting with a digit, between two `$`).
function endOfDollarQuote(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length && isWordChar(text.charCodeAt(i)) && text.charCodeAt(i) !== DOLLAR) i++;
  if (text.charCodeAt(i) !== DOLLAR) return start;
  const tag = text.slice(start, i + 1);
  const close = text.indexOf(tag, i + 1);
  return close < 0 ? text.length : close + tag.length - 1;
}
