/**
 * A Date as text PostgreSQL reads back as exactly the same instant: UTC, milliseconds, `+00:00`, and ` BC` for
 * years before 1 (`0044-03-15T12:00:00.500+00:00 BC`). pg's own serializer writes local time with the offset in
 * whole minutes, which moves instants whose zone offset had seconds (local mean time before ~1900: Amsterdam
 * +00:19:32); `toISOString` writes extended years (`-000043`, `+010000`) PostgreSQL does not read.
 *
 * ```ts
 * timestamptzText(new Date('1850-06-15T12:34:56.789Z')); // '1850-06-15T12:34:56.789+00:00'
 * timestamptzText(new Date(Date.UTC(-43, 2, 15)));        // '0044-03-15T00:00:00.000+00:00 BC'
 * ```
 */
export function timestamptzText(date: Date): string {
  const year = date.getUTCFullYear();
  // Astronomical year 0 is 1 BC, -43 is 44 BC.
  const bc = year < 1;
  return (
    `${pad(bc ? 1 - year : year, 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}` +
    `T${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}.${pad(date.getUTCMilliseconds(), 3)}+00:00` +
    (bc ? ' BC' : '')
  );
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
