import { NAMES } from './names';
import { pairedRatio, type RatioEstimate } from './interval';
import { fixed, table } from './markdown';
import type { MemoryReport } from './memory';
import type { PoolSettings } from './pool-settings';
import type { CurvePoint, Measurement, Plan } from './runner';
import { batchingRatio, type Comparison, type TargetCheck } from './targets';
import { goalText, standingOf } from './verdict';

/** Where and when the bench ran. */
export interface MachineFacts {
  readonly cpu: string;
  readonly cores: number;
  readonly node: string;
  readonly postgres: string;
  readonly server: 'embedded' | 'DATABASE_URL';
  /** The 1-, 5- and 15-minute load averages when the run started and when it ended. */
  readonly loadBefore: ReadonlyArray<number>;
  readonly loadAfter: ReadonlyArray<number>;
  /** The commit checked out, and how many files under src/ differed from it (work in progress measured too). */
  readonly commit: string;
  readonly dirtySrcFiles: number;
}

/** One implementation's figures in one workload. */
export interface ImplResult {
  readonly impl: string;
  readonly ops: number;
  /** All measured ops over all measured seconds (descriptive; ratios use the per-round estimator). */
  readonly opsPerSec: number;
  readonly roundOpsPerSec: ReadonlyArray<number>;
  readonly rowsPerSec?: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Node CPU (user + system, process.cpuUsage) per op, in µs. */
  readonly cpuMicrosPerOp: number;
  readonly statementsPerOp: number;
  /** Whether it sent exactly the library's statement texts in the warm-up. */
  readonly sameSqlAsLibrary: boolean;
  /** When it did not: the texts only it sent, and the library's it did not send (each cut to 200 characters). */
  readonly sqlDifference?: { readonly only: ReadonlyArray<string>; readonly missing: ReadonlyArray<string> };
  /** Its speed ÷ the ceiling's, per-round estimator. */
  readonly vsCeiling?: RatioEstimate;
  readonly error?: string;
}

/** One workload's results. */
export interface WorkloadResult {
  readonly id: string;
  readonly title: string;
  readonly clients: number;
  readonly rowsPerOp: number;
  readonly batching?: 'batch' | 'singles';
  readonly curve?: CurvePoint;
  readonly curveOnly: boolean;
  /** Wall time the workload took, warm-up and verification included, in s. */
  readonly wallSeconds: number;
  readonly results: ReadonlyArray<ImplResult>;
}

/** Everything a run produced (what `--json` prints and `--charts` draws from). */
export interface BenchReport {
  readonly command: string;
  readonly date: string;
  /** The seed of the per-round order (`--seed` replays it). */
  readonly seed: number;
  readonly plan: Plan;
  readonly machine: MachineFacts;
  readonly poolSettings: PoolSettings;
  readonly workloads: ReadonlyArray<WorkloadResult>;
  /** The head-to-head phase: the ceiling-target workloads again, the library and the ceiling alone (see runBench). */
  readonly headToHead?: ReadonlyArray<WorkloadResult>;
  readonly memory?: MemoryReport;
  readonly targets: ReadonlyArray<TargetCheck>;
  readonly comparisons: ReadonlyArray<Comparison>;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

function difference(texts: ReadonlyArray<string>, library: ReadonlyArray<string>): { only: string[]; missing: string[] } | undefined {
  const only = texts.filter((t) => !library.includes(t));
  const missing = library.filter((t) => !texts.includes(t));
  const cut = (t: string): string => (t.length > 200 ? `${t.slice(0, 200)}…` : t);
  return only.length === 0 && missing.length === 0 ? undefined : { only: only.map(cut), missing: missing.map(cut) };
}

/** Turns raw measurements into per-op figures, each implementation's ratio to the ceiling, and its SQL check. */
const SAME_SQL: ReadonlyArray<string> = [NAMES.ceiling, NAMES.postgresJs, NAMES.typeormBest, NAMES.drizzleBest, NAMES.kyselyBest];

/**
 * The workloads where an implementation meant to send the library's SQL (the ceiling, postgres.js, best effort) sent
 * other SQL, one line each: its copy in bench/impl/library-sql.ts no longer matches the library's builders, so its
 * ratios compare different statements.
 */
export function sqlDrift(report: Pick<BenchReport, 'workloads'>): string[] {
  return report.workloads.flatMap((w) =>
    w.results
      .filter((r) => SAME_SQL.includes(r.impl) && r.error === undefined && !r.sameSqlAsLibrary)
      .map((r) => `${w.id}, ${r.impl} (only it: ${JSON.stringify(r.sqlDifference?.only ?? [])}; only the library: ${JSON.stringify(r.sqlDifference?.missing ?? [])})`),
  );
}

export function summarize(measurements: ReadonlyArray<Measurement>, rowsPerOp: number): ImplResult[] {
  const rate = (m: Measurement): number => (m.seconds > 0 && m.error === undefined ? m.ops / m.seconds : Number.NaN);
  const ceiling = measurements.find((m) => m.impl === NAMES.ceiling && m.error === undefined);
  const library = measurements.find((m) => m.impl === NAMES.library);
  return measurements.map((m) => {
    const vsCeiling = ceiling && m.error === undefined ? pairedRatio(m.roundOpsPerSec, ceiling.roundOpsPerSec) : undefined;
    const sqlDifference = library ? difference(m.statementTexts, library.statementTexts) : undefined;
    return {
      impl: m.impl,
      ops: m.ops,
      opsPerSec: rate(m),
      roundOpsPerSec: m.roundOpsPerSec,
      ...(rowsPerOp > 1 ? { rowsPerSec: rate(m) * rowsPerOp } : {}),
      p50Ms: percentile(m.latenciesMs, 0.5),
      p99Ms: percentile(m.latenciesMs, 0.99),
      cpuMicrosPerOp: m.ops > 0 ? m.cpuMicros / m.ops : Number.NaN,
      statementsPerOp: m.statementsPerOp,
      sameSqlAsLibrary: library !== undefined && sqlDifference === undefined,
      ...(sqlDifference ? { sqlDifference } : {}),
      ...(vsCeiling ? { vsCeiling } : {}),
      ...(m.error === undefined ? {} : { error: m.error }),
    };
  });
}

/** A ratio with its interval, as the report writes it: "0.97 (0.93–1.01)". */
export function ratioText(r: { readonly estimate: number; readonly interval?: { readonly low: number; readonly high: number } } | undefined, digits = 2): string {
  if (r === undefined) return '–';
  return r.interval ? `${fixed(r.estimate, digits)} (${fixed(r.interval.low, digits)}–${fixed(r.interval.high, digits)})` : fixed(r.estimate, digits);
}

function verdictText(t: TargetCheck): string {
  return t.verdict === 'met' ? 'met' : `**${t.verdict}**`;
}

function targetTable(targets: ReadonlyArray<TargetCheck>): string {
  return table(
    ['target', 'goal', 'estimate', '95% interval', 'rounds', 'verdict'],
    targets.map((t) => {
      const digits = t.unit === 'MB' ? 2 : t.group === 'batching' ? 1 : 2;
      const unit = t.unit === 'MB' ? ' MB' : ' ×';
      return [
        t.label,
        goalText(t.goal, t.group === 'batching' || t.unit === 'MB' ? 1 : 2, unit),
        `${fixed(t.estimate, digits)}${unit}`,
        t.interval ? `${fixed(t.interval.low, digits)}–${fixed(t.interval.high, digits)}` : '–',
        String(t.rounds),
        verdictText(t),
      ];
    }),
    ['l', 'r', 'r', 'r', 'r', 'l'],
  );
}

function asTaughtMatrix(targets: ReadonlyArray<TargetCheck>): string {
  const taught = targets.filter((t) => t.group === 'as taught');
  const peers = [NAMES.typeorm, NAMES.drizzle, NAMES.kysely];
  const ids = [...new Set(taught.map((t) => t.workload))];
  const cell = (id: string, peer: string): string => {
    const t = taught.find((x) => x.workload === id && x.label.endsWith(peer));
    return t ? `${ratioText(t)} ${t.verdict === 'met' ? '' : `**${t.verdict}**`}`.trim() : '–';
  };
  const counts = ['met', 'within noise', 'missed', 'no interval'].map((v) => `${taught.filter((t) => t.verdict === v).length} ${v}`).join(', ');
  return `${taught.length} targets (library ÷ peer > 1.00 ×): ${counts}.\n\n${table(['workload', ...peers], ids.map((id) => [id, ...peers.map((p) => cell(id, p))]))}`;
}

function comparisonMatrix(list: ReadonlyArray<Comparison>): string {
  const peers = [...new Set(list.map((c) => c.peer))];
  const ids = [...new Set(list.map((c) => c.workload))];
  const cell = (id: string, peer: string): string => {
    const c = list.find((x) => x.workload === id && x.peer === peer);
    return c?.ratio ? `${ratioText(c.ratio)} ${standingOf(c.ratio.interval)}` : '–';
  };
  return table(['workload', ...peers], ids.map((id) => [id, ...peers.map((p) => cell(id, p))]));
}

function matrix(workloads: ReadonlyArray<WorkloadResult>, value: (r: ImplResult) => string): string {
  const impls = workloads[0]?.results.map((r) => r.impl) ?? [];
  const rows = workloads.map((w) => [w.id, ...impls.map((name) => {
    const r = w.results.find((x) => x.impl === name);
    return r === undefined ? '–' : r.error !== undefined ? 'wrong' : value(r);
  })]);
  return table(['workload', ...impls], rows);
}

function workloadTable(w: WorkloadResult): string {
  const rows = w.rowsPerOp > 1;
  const header = ['implementation', 'ops/s', ...(rows ? ['rows/s'] : []), 'p50 ms', 'p99 ms', 'CPU µs/op', 'stmts/op', 'SQL = library', '÷ ceiling (95% interval)'];
  const body = w.results.map((r) =>
    r.error !== undefined
      ? [r.impl, `**wrong answer**: ${r.error}`, ...header.slice(2).map(() => '')]
      : [
          r.impl,
          fixed(r.opsPerSec, 0),
          ...(rows ? [fixed(r.rowsPerSec ?? Number.NaN, 0)] : []),
          fixed(r.p50Ms, 2),
          fixed(r.p99Ms, 2),
          fixed(r.cpuMicrosPerOp, 0),
          fixed(r.statementsPerOp, 1),
          r.sameSqlAsLibrary ? 'yes' : 'no',
          ratioText(r.vsCeiling),
        ],
  );
  const about = `${w.clients} concurrent caller${w.clients === 1 ? '' : 's'}${rows ? `, ${w.rowsPerOp} rows per op` : ''}; the workload took ${fixed(w.wallSeconds, 0)} s.`;
  return `### ${w.title}\n\n${about}\n\n${table(header, body)}`;
}

function curveSection(workloads: ReadonlyArray<WorkloadResult>): string {
  const families = [...new Set(workloads.flatMap((w) => (w.curve ? [w.curve.family] : [])))];
  return families
    .map((family) => {
      const points = workloads.filter((w) => w.curve?.family === family).sort((a, b) => a.clients - b.clients);
      const impls = points[0]?.results.map((r) => r.impl) ?? [];
      const rows = impls.map((impl) => [impl, ...points.map((w) => {
        const r = w.results.find((x) => x.impl === impl);
        return r?.error !== undefined ? 'wrong' : fixed(r?.opsPerSec ?? Number.NaN, 0);
      })]);
      const library = points.map((w) => ratioText(w.results.find((r) => r.impl === NAMES.library)?.vsCeiling));
      const header = ['ops/s at … callers', ...points.map((w) => String(w.clients))];
      return `### ${family}\n\n${table(header, [...rows, ['**library ÷ ceiling**', ...library]])}`;
    })
    .join('\n\n');
}

function memorySection(m: MemoryReport): string {
  const points = m.checkpoints.map((c) => `${fixed(c.rows / 1000, 0)}k: ${fixed(c.heapMb, 1)}`).join(', ');
  return (
    `${m.rows.toLocaleString('en-US')} cases in ${m.pages.toLocaleString('en-US')} findAll calls (\`caseNumber: { gt: last }\`, limit ${m.pageSize}) in ${fixed(m.seconds, 1)} s. ` +
    `Heap used after a forced GC (MB) at each checkpoint: ${points}. Highest heap seen after a page, garbage included: ${fixed(m.heapPeakMb, 1)} MB. ` +
    `Growth of the kept heap, from the least-squares slope of the checkpoints after the first: ${ratioText({ estimate: m.growthPerMillionMb, ...(m.growthInterval ? { interval: m.growthInterval } : {}) })} MB per million rows` +
    `${m.gcExposed ? '' : ' (no --expose-gc: the checkpoints include uncollected garbage)'}.`
  );
}

// The head-to-head phase, one row per workload: both speeds, both CPU costs, and the ratio the ceiling target reads.
function headToHeadSection(workloads: ReadonlyArray<WorkloadResult>): string {
  const rows = workloads.map((w) => {
    const library = w.results.find((r) => r.impl === NAMES.library);
    const ceiling = w.results.find((r) => r.impl === NAMES.ceiling);
    const cell = (r: ImplResult | undefined, value: (x: ImplResult) => string): string => (r === undefined ? '–' : r.error !== undefined ? 'wrong' : value(r));
    return [
      w.id,
      cell(library, (r) => fixed(r.opsPerSec, 0)),
      cell(ceiling, (r) => fixed(r.opsPerSec, 0)),
      cell(library, (r) => fixed(r.cpuMicrosPerOp, 0)),
      cell(ceiling, (r) => fixed(r.cpuMicrosPerOp, 0)),
      ratioText(library?.vsCeiling),
      String(library?.vsCeiling?.rounds ?? 0),
    ];
  });
  return table(['workload', 'library ops/s', 'ceiling ops/s', 'library CPU µs/op', 'ceiling CPU µs/op', 'library ÷ ceiling (95%)', 'rounds'], rows);
}

// The ceiling's own batching ratio, printed under the verdicts: what this host allows (see batchingRatio).
function batchingReference(workloads: ReadonlyArray<WorkloadResult>): string[] {
  const ceiling = batchingRatio(workloads, NAMES.ceiling);
  if (!ceiling) return [];
  return [
    `For reference, the same ratio for the ceiling: ${ratioText(ceiling.ratio, 1)} ×. The batch is bound by CPU and the single ` +
      "calls by commit latency, so this ratio follows the host's CPU speed against its fsync time; the library's is judged " +
      'against the goal all the same.',
    '',
  ];
}

/** The report as Markdown: facts, verdicts, comparisons, the ratio/CPU/statement matrices, curves, memory, workloads. */
export function toMarkdown(report: BenchReport): string {
  const m = report.machine;
  const s = report.poolSettings;
  const main = report.workloads.filter((w) => !w.curveOnly);
  const load = (l: ReadonlyArray<number>): string => l.map((x) => x.toFixed(2)).join(' / ');
  const facts = table(
    ['', ''],
    [
      ['command', `\`${report.command}\``],
      ['date', report.date],
      ['commit', `${m.commit}${m.dirtySrcFiles > 0 ? ` (+ ${m.dirtySrcFiles} uncommitted files under src/)` : ''}`],
      ['CPU', `${m.cpu} × ${m.cores}`],
      ['load average (1/5/15 min)', `${load(m.loadBefore)} at the start, ${load(m.loadAfter)} at the end`],
      ['Node.js', m.node],
      ['PostgreSQL', `${m.postgres} (${m.server === 'embedded' ? 'embedded server' : 'DATABASE_URL'})`],
      ['pools', `every implementation: max ${s.max}, idle timeout ${s.idleTimeoutMillis / 1000} s, connect timeout ${s.connectionTimeoutMillis / 1000} s, statement_timeout ${s.statementTimeoutMs} ms, application_name ${s.applicationName}`],
      ['plan', `a warm-up round of ${report.plan.warmupSeconds} s (statements counted), then ${report.plan.rounds} rounds of ${report.plan.sliceSeconds} s per implementation${report.plan.interleaveSeconds === undefined ? '' : ` in interleaved chunks of ${report.plan.interleaveSeconds} s or more`} (curves: ${report.plan.curveRounds}${report.headToHead ? `; head to head: ${report.plan.headToHeadRounds ?? 0}` : ''}); order within each round drawn at random, seed ${report.seed}`],
    ],
    ['l', 'l'],
  );
  const drift = sqlDrift(report);
  const wrong = report.workloads.flatMap((w) => w.results.filter((r) => r.error !== undefined).map((r) => `- ${w.id}, ${r.impl}: ${r.error}`));
  return [
    '# tux-database benchmark',
    '',
    facts,
    '',
    ...(wrong.length > 0 ? ['**Wrong answers** (these results are not counted):', '', ...wrong, ''] : []),
    ...(drift.length > 0 ? ["**Not the library's SQL** (check the statement copies in bench/impl/library-sql.ts):", '', ...drift.map((d) => `- ${d}`), ''] : []),
    '## Verdicts',
    '',
    'Estimate: the geometric mean of the per-round ratios (each round runs every implementation once, so each round ' +
      'gives one ratio). Interval: 95 %, Student t on the logarithms of those ratios (the batching target compares two ' +
      'workloads, so Welch\'s t on the two sets of rounds). **met**: the whole interval clears the goal; **within ' +
      'noise**: the interval contains it; **missed**: the whole interval is on the wrong side.' +
      (report.headToHead ? ' The ceiling targets are read from the head-to-head rounds (below), where the library and the ceiling run alone and their slices are adjacent.' : ''),
    '',
    targetTable(report.targets.filter((t) => t.group !== 'as taught')),
    '',
    ...batchingReference(report.workloads),
    ...(report.headToHead
      ? [
          '### The ceiling targets, head to head',
          '',
          'Each ceiling-target workload again, with the library and the ceiling alone, in random order within each round: ' +
            "in the main rounds the other implementations' slices fall between theirs, and the host's drift in those seconds widens each ratio's interval.",
          '',
          headToHeadSection(report.headToHead),
          '',
        ]
      : []),
    '### Against each ORM as its documentation teaches it',
    '',
    asTaughtMatrix(report.targets),
    '',
    '## Against the peers at their best and postgres.js (no targets)',
    '',
    'library ÷ peer, same estimator; "ahead" / "behind" when the whole interval is above / below 1, "level" when it holds 1.',
    '',
    comparisonMatrix(report.comparisons),
    '',
    '## Every implementation ÷ the ceiling',
    '',
    matrix(main, (r) => fixed(r.vsCeiling?.estimate ?? Number.NaN, 2)),
    '',
    '## Client CPU per op (µs, Node user + system)',
    '',
    matrix(main, (r) => fixed(r.cpuMicrosPerOp, 0)),
    '',
    '## Statements per op (BEGIN and COMMIT count)',
    '',
    matrix(main, (r) => fixed(r.statementsPerOp, 1)),
    '',
    '## Concurrency curves',
    '',
    curveSection(report.workloads),
    '',
    ...(report.memory ? ['## Memory: iterating cases with keyset pagination', '', memorySection(report.memory), ''] : []),
    '## Workloads',
    '',
    report.workloads.map(workloadTable).join('\n\n'),
    '',
  ].join('\n');
}
