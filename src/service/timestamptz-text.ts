const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
const TWO_DIGITS = Array.from({ length: 100 }, (_, n) => pad(n, 2));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, n) => pad(n, 3));
/** 0001-01-01T00:00:00Z in epoch ms: earlier instants are BC. */
const FIRST_AD_MS = -62_135_596_800_000;

// The date part (`2024-05-01T`) of the day last written: a batch's timestamps mostly share their day, and the
// Date getters and padding behind it cost more than the rest of the text (bench/RESULTS.md, createMany).
let lastDay = Number.NaN;
let lastDayText = '';

/**
 * A Date as text PostgreSQL reads back as exactly the same instant: UTC, milliseconds, `+00:00`, and ` BC` for
 * years before 1 (`0044-03-15T12:00:00.500+00:00 BC`). pg's own serializer writes local time with the offset in
 * whole minutes, which moves instants whose zone offset had seconds (local mean time before ~1900: Amsterdam
 * +00:19:32); `toISOString` writes extended years (`-000043`, `+010000`) PostgreSQL does not read.
 * `date` must be valid (its time not NaN).
 *
 * ```ts
 * timestamptzText(new Date('1850-06-15T12:34:56.789Z')); // '1850-06-15T12:34:56.789+00:00'
 * timestamptzText(new Date(Date.UTC(-43, 2, 15)));        // '0044-03-15T00:00:00.000+00:00 BC'
 * ```
 */
export function timestamptzText(date: Date): string {
  const ms = date.getTime();
  const day = Math.floor(ms / DAY_MS);
  if (day !== lastDay) {
    lastDayText = dayText(date);
    lastDay = day;
  }
  // The time of day by arithmetic, exact for any valid Date: ms and day are integers well inside 2^53.
  const time = ms - day * DAY_MS;
  const minutes = Math.floor(time / MINUTE_MS);
  const text =
    `${lastDayText}${TWO_DIGITS[Math.floor(time / HOUR_MS)]}:${TWO_DIGITS[minutes % 60]}:` +
    `${TWO_DIGITS[Math.floor(time / 1000) % 60]}.${THREE_DIGITS[time % 1000]}+00:00`;
  return ms < FIRST_AD_MS ? `${text} BC` : text;
}

/** `2024-05-01T`, or for years before 1 the BC year's (`0044-03-15T` for 44 BC). */
function dayText(date: Date): string {
  const year = date.getUTCFullYear();
  // Astronomical year 0 is 1 BC, -43 is 44 BC.
  return `${pad(year < 1 ? 1 - year : year, 4)}-${TWO_DIGITS[date.getUTCMonth() + 1]}-${TWO_DIGITS[date.getUTCDate()]}T`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
