import type { MemoryReport } from './memory';
import type { Measurement, Plan } from './runner';
import type { TargetCheck } from './targets';

/** Where the bench ran. */
export interface MachineFacts {
  readonly cpu: string;
  readonly cores: number;
  readonly node: string;
  readonly postgres: string;
  readonly server: 'embedded' | 'DATABASE_URL';
  readonly poolSize: number;
}

/** One implementation's figures in one workload. */
export interface ImplResult {
  readonly impl: string;
  readonly ops: number;
  readonly opsPerSec: number;
  /** ops/s of each measured round (see Measurement.roundOpsPerSec). */
  readonly roundOpsPerSec: ReadonlyArray<number>;
  readonly rowsPerSec?: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly cpuMicrosPerOp: number;
  /** ops/s over the baseline's ops/s (raw pg, unnamed statements). */
  readonly ratio: number;
  readonly error?: string;
}

/** One workload's results. */
export interface WorkloadResult {
  readonly id: string;
  readonly title: string;
  readonly clients: number;
  readonly rowsPerOp: number;
  readonly results: ReadonlyArray<ImplResult>;
}

/** Everything a run produced (what `--json` prints). */
export interface BenchReport {
  readonly command: string;
  readonly date: string;
  readonly plan: Plan;
  readonly machine: MachineFacts;
  readonly baseline: string;
  readonly workloads: ReadonlyArray<WorkloadResult>;
  readonly memory?: MemoryReport;
  readonly targets: ReadonlyArray<TargetCheck>;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

/** Turns raw measurements into per-op figures and ratios to `baseline`. */
export function summarize(measurements: ReadonlyArray<Measurement>, rowsPerOp: number, baseline: string): ImplResult[] {
  const rate = (m: Measurement): number => (m.seconds > 0 && m.error === undefined ? m.ops / m.seconds : Number.NaN);
  const base = measurements.find((m) => m.impl === baseline);
  const baseRate = base ? rate(base) : Number.NaN;
  return measurements.map((m) => ({
    impl: m.impl,
    ops: m.ops,
    opsPerSec: rate(m),
    roundOpsPerSec: m.roundOpsPerSec,
    ...(rowsPerOp > 1 ? { rowsPerSec: rate(m) * rowsPerOp } : {}),
    p50Ms: percentile(m.latenciesMs, 0.5),
    p99Ms: percentile(m.latenciesMs, 0.99),
    cpuMicrosPerOp: m.ops > 0 ? m.cpuMicros / m.ops : Number.NaN,
    ratio: rate(m) / baseRate,
    ...(m.error === undefined ? {} : { error: m.error }),
  }));
}

function fixed(n: number, digits: number): string {
  if (!Number.isFinite(n)) return '–';
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function table(header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>, align: ReadonlyArray<'l' | 'r'>): string {
  const line = (cells: ReadonlyArray<string>): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(align.map((a) => (a === 'r' ? '---:' : '---'))), ...rows.map(line)].join('\n');
}

function workloadTable(w: WorkloadResult): string {
  const rows = w.rowsPerOp > 1;
  const header = ['implementation', 'ops/s', ...(rows ? ['rows/s'] : []), 'p50 ms', 'p99 ms', 'Node CPU µs/op', '× raw pg'];
  const body = w.results.map((r) =>
    r.error !== undefined
      ? [r.impl, `**wrong answer**: ${r.error.replaceAll('|', '\\|')}`, ...header.slice(2).map(() => '')]
      : [r.impl, fixed(r.opsPerSec, 0), ...(rows ? [fixed(r.rowsPerSec ?? Number.NaN, 0)] : []), fixed(r.p50Ms, 2), fixed(r.p99Ms, 2), fixed(r.cpuMicrosPerOp, 0), fixed(r.ratio, 2)],
  );
  return `### ${w.title}\n\n${w.clients} concurrent caller${w.clients === 1 ? '' : 's'}${rows ? `, ${w.rowsPerOp} rows per op` : ''}.\n\n${table(header, body, header.map((_, i) => (i === 0 ? 'l' : 'r')))}`;
}

function ratioMatrix(report: BenchReport): string {
  const impls = report.workloads[0]?.results.map((r) => r.impl) ?? [];
  const body = report.workloads.map((w) => [w.id, ...impls.map((name) => fixed(w.results.find((r) => r.impl === name)?.ratio ?? Number.NaN, 2))]);
  return table(['workload', ...impls], body, ['l', ...impls.map((): 'r' => 'r')]);
}

/** The report as Markdown: machine facts, the ratio summary, targets, one table per workload, memory. */
export function toMarkdown(report: BenchReport): string {
  const m = report.machine;
  const facts = table(
    ['', ''],
    [
      ['command', `\`${report.command}\``],
      ['date', report.date],
      ['CPU', `${m.cpu} × ${m.cores}`],
      ['Node.js', m.node],
      ['PostgreSQL', `${m.postgres} (${m.server === 'embedded' ? 'embedded server' : 'DATABASE_URL'})`],
      ['pool size', `${m.poolSize} connections per implementation`],
      ['plan', `1 warm-up round of ${report.plan.warmupSeconds} s, then ${report.plan.rounds} interleaved rounds of ${report.plan.sliceSeconds} s per implementation`],
    ],
    ['l', 'l'],
  );
  const targets = table(
    ['target', 'measured', '95% interval', 'met'],
    report.targets.map((t) => [
      t.target,
      t.measured,
      t.interval ? `${fixed(t.interval.low, 2)}–${fixed(t.interval.high, 2)}` : '–',
      t.met ? 'yes' : t.withinNoise ? '**no**, within noise' : '**no**',
    ]),
    ['l', 'r', 'r', 'l'],
  );
  const memory = report.memory
    ? [
        '## Memory: iterating every case with keyset pagination',
        '',
        `${report.memory.rows.toLocaleString('en-US')} cases in ${report.memory.pages} findAll calls (\`caseNumber: { gt: last }\`, limit 1000) in ${fixed(report.memory.seconds, 2)} s. ` +
          `Heap used: ${fixed(report.memory.heapBeforeMb, 1)} MB before, ${fixed(report.memory.heapPeakMb, 1)} MB peak, ${fixed(report.memory.heapAfterMb, 1)} MB after` +
          `${report.memory.gcExposed ? ' (GC forced before and after)' : ' (run with --expose-gc for exact figures)'}.`,
      ].join('\n')
    : '';
  return [
    '# tux-database benchmark',
    '',
    facts,
    '',
    `## Throughput relative to ${report.baseline} (ops/s ÷ ${report.baseline} ops/s, same run)`,
    '',
    ratioMatrix(report),
    '',
    '## Targets',
    '',
    'Each round measures every implementation side by side, so each round gives one ratio; the interval is the 95% ' +
      'confidence interval of the ratio from those per-round ratios (Student t on their logarithms). A miss whose ' +
      'interval reaches the target is within the run\'s noise.',
    '',
    targets,
    '',
    '## Workloads',
    '',
    report.workloads.map(workloadTable).join('\n\n'),
    '',
    memory,
    '',
  ].join('\n');
}
