import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { NAMES } from './names';
import type { BenchReport, WorkloadResult } from './report';
import { heatmap, intervalChart, lineChart, PALETTE, type IntervalRow } from './svg';
import type { TargetCheck } from './targets';

const VERDICT_COLORS: Readonly<Record<TargetCheck['verdict'], string>> = { met: '#2ca02c', 'within noise': '#ff9f1c', missed: '#d62728', 'no interval': '#7f7f7f' };

// Red (0) through yellow (0.5) to green (1) on t in [0, 1].
function scale(t: number): string {
  const c = Math.min(Math.max(t, 0), 1);
  const [r, g] = c < 0.5 ? [230, Math.round(90 + 2 * c * 130)] : [Math.round(230 - (c - 0.5) * 2 * 150), 220];
  return `rgb(${r},${g},120)`;
}

function implsOf(workloads: ReadonlyArray<WorkloadResult>): string[] {
  return workloads[0]?.results.map((r) => r.impl) ?? [];
}

function colorOf(impls: ReadonlyArray<string>, impl: string): string {
  if (impl === NAMES.library) return PALETTE[0] as string;
  return PALETTE[(impls.filter((i) => i !== NAMES.library).indexOf(impl) + 1) % PALETTE.length] as string;
}

function curveChart(report: BenchReport, family: string): string | undefined {
  const points = report.workloads.filter((w) => w.curve?.family === family).sort((a, b) => a.clients - b.clients);
  if (points.length < 2) return undefined;
  const impls = implsOf(points);
  return lineChart({
    title: `${family}: throughput by concurrent callers (pool of ${report.poolSettings.max} for each)`,
    xLabel: 'concurrent callers',
    yLabel: 'ops/s',
    x: points.map((w) => String(w.clients)),
    series: impls.map((impl) => ({
      name: impl,
      values: points.map((w) => {
        const r = w.results.find((x) => x.impl === impl);
        return r?.error === undefined ? r?.opsPerSec : undefined;
      }),
      color: colorOf(impls, impl),
      ...(impl === NAMES.library ? { width: 3.5 } : {}),
      ...(impl === NAMES.ceiling ? { dashed: true } : {}),
    })),
  });
}

function ceilingCurveChart(report: BenchReport): string | undefined {
  const rows: IntervalRow[] = [];
  for (const family of [...new Set(report.workloads.flatMap((w) => (w.curve ? [w.curve.family] : [])))]) {
    for (const w of report.workloads.filter((x) => x.curve?.family === family).sort((a, b) => a.clients - b.clients)) {
      const r = w.results.find((x) => x.impl === NAMES.library)?.vsCeiling;
      if (r === undefined) continue;
      const color = r.interval === undefined ? '#7f7f7f' : r.interval.low >= 0.95 ? VERDICT_COLORS.met : r.interval.high < 0.95 ? VERDICT_COLORS.missed : VERDICT_COLORS['within noise'];
      rows.push({ label: `${family} at ${w.clients} caller${w.clients === 1 ? '' : 's'}`, estimate: r.estimate, ...(r.interval ?? {}), color, goal: 0.95 });
    }
  }
  if (rows.length === 0) return undefined;
  return intervalChart({ title: 'library ÷ ceiling at each concurrency (95% intervals; tick: 0.95)', axisLabel: 'library ops/s ÷ ceiling ops/s', rows, min: 0.6, max: 1.3, references: [1] });
}

const LEGEND = Object.entries(VERDICT_COLORS).map(([name, color]) => ({ name, color }));

function rowOf(t: TargetCheck, label: string): IntervalRow {
  return { label, estimate: t.estimate, ...(t.interval ?? {}), color: VERDICT_COLORS[t.verdict], goal: t.goal.value };
}

function ceilingTargetChart(report: BenchReport): string | undefined {
  const rows = report.targets.filter((t) => t.group === 'ceiling').map((t) => rowOf(t, t.workload));
  if (rows.length === 0) return undefined;
  return intervalChart({ title: 'Targets: library ÷ ceiling ≥ 0.95 (95% intervals; tick: the goal)', axisLabel: 'library speed ÷ ceiling speed', rows, min: 0.6, max: 1.3, references: [1], legend: LEGEND });
}

function asTaughtTargetChart(report: BenchReport): string | undefined {
  const rows = report.targets.filter((t) => t.group === 'as taught').map((t) => rowOf(t, t.label.replace('library ÷ ', '÷ ').replace(' as taught', '')));
  if (rows.length === 0) return undefined;
  return intervalChart({
    title: 'Targets: library ÷ each ORM as its docs teach it > 1 (95% intervals, log scale)',
    axisLabel: 'library speed ÷ ORM speed',
    rows,
    min: 0.5,
    max: 16,
    log: true,
    references: [1],
    legend: LEGEND,
  });
}

function bestEffortChart(report: BenchReport): string | undefined {
  const rows: IntervalRow[] = report.comparisons.flatMap((c) => {
    if (c.ratio === undefined) return [];
    const i = c.ratio.interval;
    const color = i === undefined ? '#7f7f7f' : i.low > 1 ? VERDICT_COLORS.met : i.high < 1 ? VERDICT_COLORS.missed : VERDICT_COLORS['within noise'];
    return [{ label: `${c.workload}: ÷ ${c.peer}`, estimate: c.ratio.estimate, ...(i ?? {}), color }];
  });
  if (rows.length === 0) return undefined;
  return intervalChart({
    title: 'library ÷ each peer at its best and postgres.js (95% intervals, log scale; no targets)',
    axisLabel: 'library speed ÷ peer speed',
    rows,
    min: 0.25,
    max: 4,
    log: true,
    references: [1],
    legend: [
      { name: 'ahead', color: VERDICT_COLORS.met },
      { name: 'level', color: VERDICT_COLORS['within noise'] },
      { name: 'behind', color: VERDICT_COLORS.missed },
    ],
  });
}

function ratioHeatmap(report: BenchReport): string {
  const main = report.workloads.filter((w) => !w.curveOnly);
  const impls = implsOf(main);
  return heatmap({
    title: 'Every implementation ÷ the ceiling (geometric mean of per-round ratios)',
    rows: main.map((w) => w.id),
    columns: impls,
    values: main.map((w) => impls.map((impl) => w.results.find((r) => r.impl === impl && r.error === undefined)?.vsCeiling?.estimate)),
    color: (v) => scale((v - 0.3) / 0.7),
    format: (v) => v.toFixed(2),
    note: 'green: at the ceiling or above; red: 0.3 × or less',
  });
}

function cpuHeatmap(report: BenchReport): string {
  const main = report.workloads.filter((w) => !w.curveOnly);
  const impls = implsOf(main);
  const values = main.map((w) => impls.map((impl) => w.results.find((r) => r.impl === impl && r.error === undefined)?.cpuMicrosPerOp));
  const best = values.map((row) => Math.min(...row.filter((v): v is number => v !== undefined && Number.isFinite(v))));
  return heatmap({
    title: 'Client CPU per op, µs (Node user + system)',
    rows: main.map((w) => w.id),
    columns: impls,
    values,
    // 1 × the row's least is green, 4 × or more red (log scale).
    color: (v, row) => scale(1 - Math.log(v / (best[row] ?? v)) / Math.log(4)),
    format: (v) => (v >= 10_000 ? `${Math.round(v / 1000)}k` : String(Math.round(v))),
    note: 'colour: against the least CPU in the row (green 1 ×, red 4 × or more)',
  });
}

function memoryChart(report: BenchReport): string | undefined {
  const m = report.memory;
  if (m === undefined) return undefined;
  return lineChart({
    title: `Heap kept while iterating ${m.rows.toLocaleString('en-US')} cases with keyset pagination (after a forced GC)`,
    xLabel: 'cases iterated (thousands)',
    yLabel: 'heap used, MB',
    x: m.checkpoints.map((c) => String(Math.round(c.rows / 1000))),
    series: [
      { name: 'heapUsed after a forced GC', values: m.checkpoints.map((c) => c.heapMb), color: PALETTE[0] as string, width: 3 },
      { name: 'highest heapUsed in between', values: m.checkpoints.map((c) => c.peakMb), color: PALETTE[2] as string, dashed: true },
    ],
  });
}

/** Draws the report's charts as SVG files into `dir` and returns their paths. */
export function writeCharts(report: BenchReport, dir: string): string[] {
  const charts: Record<string, string | undefined> = {
    'curve-getById.svg': curveChart(report, 'getById'),
    'curve-createCase.svg': curveChart(report, 'createCase'),
    'ceiling-by-concurrency.svg': ceilingCurveChart(report),
    'targets-ceiling.svg': ceilingTargetChart(report),
    'targets-as-taught.svg': asTaughtTargetChart(report),
    'best-effort.svg': bestEffortChart(report),
    'ratio-to-ceiling.svg': ratioHeatmap(report),
    'cpu-per-op.svg': cpuHeatmap(report),
    'memory.svg': memoryChart(report),
  };
  const written: string[] = [];
  for (const [file, content] of Object.entries(charts)) {
    if (content === undefined) continue;
    const target = path.join(dir, file);
    writeFileSync(target, content);
    written.push(target);
  }
  return written;
}
