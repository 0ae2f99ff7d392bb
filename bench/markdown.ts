/** A number with `digits` decimals and thousands separators, or '–' when it is not finite. */
export function fixed(n: number, digits: number): string {
  if (!Number.isFinite(n)) return '–';
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A Markdown table; `align` gives each column's alignment ('l' or 'r'). */
export function table(header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>, align?: ReadonlyArray<'l' | 'r'>): string {
  const line = (cells: ReadonlyArray<string>): string => `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;
  const aligns = align ?? header.map((_, i): 'l' | 'r' => (i === 0 ? 'l' : 'r'));
  return [line(header), `| ${aligns.map((a) => (a === 'r' ? '---:' : '---')).join(' | ')} |`, ...rows.map(line)].join('\n');
}
