/**
 * A WAL position (`pg_lsn`, printed as two hex halves `16/B374D848`) as a bigint, so positions compare with `<`.
 * @throws Error for text that is not an LSN (the server never sends one).
 * @example
 * parseLsn('16/B374D848') > parseLsn('16/B374D000'); // true
 */
export function parseLsn(text: string): bigint {
  const match = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text);
  if (!match) throw new Error(`not a WAL position: ${JSON.stringify(text)}`);
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}
