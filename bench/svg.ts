// A few chart shapes as plain SVG text, enough for the bench's report: no charting dependency, and the output is
// stable text that diffs well in git.

/** Colours for series, in order; the first is kept for the library. */
export const PALETTE = ['#111111', '#d62728', '#1f77b4', '#ff7f0e', '#ffbb78', '#2ca02c', '#98df8a', '#9467bd', '#c5b0d5', '#8c564b', '#e377c2', '#7f7f7f'];

const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"';

/** Text made safe for SVG. */
export function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

function num(n: number): string {
  return Number.isFinite(n) ? String(Math.round(n * 10) / 10) : '0';
}

function svg(width: number, height: number, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT} font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

function text(x: number, y: number, content: string, attrs = ''): string {
  return `<text x="${num(x)}" y="${num(y)}" ${attrs}>${escapeXml(content)}</text>`;
}

/** Round tick values from 0 (or `min`) to at least `max`. */
export function niceTicks(max: number, min = 0, count = 5): number[] {
  const span = Math.max(max - min, 1e-9);
  const raw = span / count;
  const step = [1, 2, 2.5, 5, 10].map((m) => m * 10 ** Math.floor(Math.log10(raw))).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let v = Math.floor(min / step) * step; v <= max + step * 0.999; v += step) ticks.push(Math.round(v * 1e9) / 1e9);
  return ticks;
}

/** One line of a line chart; `values[i]` belongs to the chart's `x[i]` (undefined leaves a gap). */
export interface Series {
  readonly name: string;
  readonly values: ReadonlyArray<number | undefined>;
  readonly color: string;
  readonly width?: number;
  readonly dashed?: boolean;
}

/** A line chart over categories (`x` labels evenly spaced), with a legend on the right. */
export function lineChart(o: { readonly title: string; readonly xLabel: string; readonly yLabel: string; readonly x: ReadonlyArray<string>; readonly series: ReadonlyArray<Series> }): string {
  const [width, height, left, right, top, bottom] = [860, 420, 70, 250, 40, 50];
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const max = Math.max(...o.series.flatMap((s) => s.values.filter((v): v is number => v !== undefined && Number.isFinite(v))), 1);
  const ticks = niceTicks(max);
  const top_ = ticks[ticks.length - 1] ?? max;
  const px = (i: number): number => left + (o.x.length === 1 ? plotW / 2 : (i * plotW) / (o.x.length - 1));
  const py = (v: number): number => top + plotH - (v / top_) * plotH;
  const body = [text(left, 22, o.title, 'font-size="15" font-weight="600"')];
  for (const t of ticks) {
    body.push(`<line x1="${left}" x2="${left + plotW}" y1="${num(py(t))}" y2="${num(py(t))}" stroke="#e5e5e5"/>`);
    body.push(text(left - 8, py(t) + 4, t.toLocaleString('en-US'), 'text-anchor="end" fill="#555"'));
  }
  o.x.forEach((label, i) => body.push(text(px(i), top + plotH + 18, label, 'text-anchor="middle" fill="#555"')));
  body.push(text(left + plotW / 2, height - 8, o.xLabel, 'text-anchor="middle" fill="#333"'));
  body.push(text(16, top + plotH / 2, o.yLabel, `text-anchor="middle" fill="#333" transform="rotate(-90 16 ${num(top + plotH / 2)})"`));
  o.series.forEach((s, k) => {
    const points = s.values.map((v, i) => (v === undefined || !Number.isFinite(v) ? undefined : `${num(px(i))},${num(py(v))}`)).filter((p): p is string => p !== undefined);
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    body.push(`<polyline points="${points.join(' ')}" fill="none" stroke="${s.color}" stroke-width="${s.width ?? 2}"${dash}/>`);
    for (const p of points) {
      const [cx, cy] = p.split(',');
      body.push(`<circle cx="${cx}" cy="${cy}" r="3" fill="${s.color}"/>`);
    }
    const ly = top + 10 + k * 20;
    body.push(`<line x1="${width - right + 20}" x2="${width - right + 44}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="${s.width ?? 2}"${dash}/>`);
    body.push(text(width - right + 50, ly + 4, s.name));
  });
  return svg(width, height, body);
}

/** One row of an interval chart: an estimate with its interval, coloured by its verdict. */
export interface IntervalRow {
  readonly label: string;
  readonly estimate: number;
  readonly low?: number;
  readonly high?: number;
  readonly color: string;
  /** The goal this row is judged against (a tick on the row). */
  readonly goal?: number;
}

/** Estimates with 95% intervals as dots and whiskers, one row each, on a shared axis (linear or log) with reference lines. */
export function intervalChart(o: {
  readonly title: string;
  readonly axisLabel: string;
  readonly rows: ReadonlyArray<IntervalRow>;
  readonly min: number;
  readonly max: number;
  readonly log?: boolean;
  readonly references: ReadonlyArray<number>;
  readonly legend?: ReadonlyArray<{ readonly name: string; readonly color: string }>;
}): string {
  const [width, left, right, top] = [860, 300, 40, 56];
  const rowH = 24;
  const height = top + o.rows.length * rowH + 50;
  const plotW = width - left - right;
  const at = (v: number): number => (o.log ? Math.log(v) : v);
  const px = (v: number): number => left + ((at(Math.min(Math.max(v, o.min), o.max)) - at(o.min)) / (at(o.max) - at(o.min))) * plotW;
  const bottom = top + o.rows.length * rowH;
  const body = [text(16, 22, o.title, 'font-size="15" font-weight="600"')];
  (o.legend ?? []).forEach((l, i) => {
    body.push(`<circle cx="${24 + i * 130}" cy="38" r="5" fill="${l.color}"/>`);
    body.push(text(34 + i * 130, 42, l.name));
  });
  const ticks = o.log ? [0.125, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64] : niceTicks(o.max, o.min, 8);
  for (const t of ticks.filter((t) => t >= o.min && t <= o.max)) {
    body.push(`<line x1="${num(px(t))}" x2="${num(px(t))}" y1="${top}" y2="${bottom}" stroke="#eeeeee"/>`);
    body.push(text(px(t), bottom + 16, String(t), 'text-anchor="middle" fill="#555"'));
  }
  for (const r of o.references) {
    body.push(`<line x1="${num(px(r))}" x2="${num(px(r))}" y1="${top - 4}" y2="${bottom}" stroke="#888" stroke-dasharray="4 3"/>`);
  }
  o.rows.forEach((row, i) => {
    const y = top + i * rowH + rowH / 2;
    body.push(text(left - 10, y + 4, row.label, 'text-anchor="end"'));
    if (row.low !== undefined && row.high !== undefined) {
      body.push(`<line x1="${num(px(row.low))}" x2="${num(px(row.high))}" y1="${num(y)}" y2="${num(y)}" stroke="${row.color}" stroke-width="2.5"/>`);
      // A whisker cut at the axis's end gets an arrowhead there.
      if (row.low < o.min) body.push(`<path d="M${num(px(o.min))},${num(y)} l7,-4 v8 z" fill="${row.color}"/>`);
      if (row.high > o.max) body.push(`<path d="M${num(px(o.max))},${num(y)} l-7,-4 v8 z" fill="${row.color}"/>`);
    }
    if (row.goal !== undefined) body.push(`<line x1="${num(px(row.goal))}" x2="${num(px(row.goal))}" y1="${num(y - 7)}" y2="${num(y + 7)}" stroke="#000" stroke-width="1.5"/>`);
    body.push(`<circle cx="${num(px(row.estimate))}" cy="${num(y)}" r="4.5" fill="${row.color}"/>`);
  });
  body.push(text(left + plotW / 2, height - 10, o.axisLabel, 'text-anchor="middle" fill="#333"'));
  return svg(width, height, body);
}

/** A table of numbers as coloured cells: `color(value, row)` picks each cell's fill, `format` its text. */
export function heatmap(o: {
  readonly title: string;
  readonly rows: ReadonlyArray<string>;
  readonly columns: ReadonlyArray<string>;
  readonly values: ReadonlyArray<ReadonlyArray<number | undefined>>;
  readonly color: (value: number, row: number) => string;
  readonly format: (value: number) => string;
  readonly note?: string;
}): string {
  const [left, top, cellW, cellH] = [190, 150, 86, 24];
  // Room on the right for the last column's slanted label.
  const width = left + o.columns.length * cellW + 90;
  const height = top + o.rows.length * cellH + (o.note ? 40 : 20);
  const body = [text(16, 22, o.title, 'font-size="15" font-weight="600"')];
  o.columns.forEach((c, j) => {
    const x = left + j * cellW + cellW / 2;
    body.push(text(x, top - 8, c, `transform="rotate(-35 ${num(x)} ${top - 8})" fill="#333"`));
  });
  o.rows.forEach((r, i) => {
    const y = top + i * cellH;
    body.push(text(left - 8, y + cellH / 2 + 4, r, 'text-anchor="end"'));
    o.columns.forEach((_, j) => {
      const v = o.values[i]?.[j];
      const x = left + j * cellW;
      const fill = v === undefined || !Number.isFinite(v) ? '#f4f4f4' : o.color(v, i);
      body.push(`<rect x="${x}" y="${y}" width="${cellW - 2}" height="${cellH - 2}" fill="${fill}"/>`);
      body.push(text(x + cellW / 2 - 1, y + cellH / 2 + 3, v === undefined || !Number.isFinite(v) ? '–' : o.format(v), 'text-anchor="middle"'));
    });
  });
  if (o.note) body.push(text(16, height - 14, o.note, 'fill="#555"'));
  return svg(width, height, body);
}
