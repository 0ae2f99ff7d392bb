import { pairedRatio, type RatioEstimate } from './interval';
import { fixed, table } from './markdown';
import { goalText, verdictOf, type Goal, type Verdict } from './verdict';
import type { StalenessSample, TrafficStaleness } from './gateway-staleness';

/** What one implementation did over the measured rounds. */
export interface ClientRun {
  readonly name: string;
  /** Why it did not run (Redis not answering), else undefined. */
  readonly skipped: string | undefined;
  /** Messages per second in each round, by round (NaN for a round it did not run). */
  readonly rates: ReadonlyArray<number>;
  /**
   * Its messages' latency in ms, p50 and p99 (NaN when it did not run). The quantiles, not the samples: a full run has
   * about a million messages, which made a saved report (`--save`) some 60 MB.
   */
  readonly latencyMs: { readonly p50: number; readonly p99: number };
  readonly messages: number;
  /** This process's CPU time per message (the client side: the library, pg, the cache, the Redis client). */
  readonly cpuMsPerMessage: number;
  /** Cache hits and misses during the measured slices (undefined without a cache). */
  readonly cache: { readonly hits: number; readonly misses: number } | undefined;
  /** Redis commands per message by command, from INFO commandstats (the redis backend only). */
  readonly redisCallsPerMessage: Readonly<Record<string, number>> | undefined;
  readonly errors: ReadonlyArray<string>;
  readonly staleness: ReadonlyArray<StalenessSample>;
  readonly traffic: TrafficStaleness;
}

/** A throughput ratio against the uncached library, with the target it is held to (undefined when none). */
export interface RatioRow {
  readonly name: string;
  readonly ratio: RatioEstimate | undefined;
  readonly goal: Goal | undefined;
  readonly verdict: Verdict | undefined;
}

/** A run's settings and results. */
export interface GatewayReport {
  readonly settings: Readonly<Record<string, string | number>>;
  readonly runs: ReadonlyArray<ClientRun>;
  readonly ratios: ReadonlyArray<RatioRow>;
  readonly boundMs: number;
  readonly problems: ReadonlyArray<string>;
}

/** The nearest-rank `p` quantile (0–1) of `values`; NaN when empty. */
export function quantile(values: ReadonlyArray<number>, p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? Number.NaN;
}

/** Each implementation's messages/s against the uncached library's, paired by round, judged against `goals` by name. */
export function ratiosOf(runs: ReadonlyArray<ClientRun>, baseline: string, goals: Readonly<Record<string, Goal>>): RatioRow[] {
  const base = runs.find((r) => r.name === baseline);
  return runs
    .filter((r) => r !== base && r.skipped === undefined && base !== undefined)
    .map((r) => {
      const ratio = pairedRatio(r.rates, base?.rates ?? []);
      const goal = goals[r.name];
      return { name: r.name, ratio, goal, verdict: goal === undefined ? undefined : verdictOf(ratio?.interval, goal) };
    });
}

const ms = (n: number): string => (n === Infinity ? 'not seen' : fixed(n, n < 10 ? 2 : 1));

function ratioCell(r: RatioEstimate | undefined): string {
  if (r === undefined) return '–';
  return r.interval ? `${fixed(r.estimate, 2)} (${fixed(r.interval.low, 2)}–${fixed(r.interval.high, 2)})` : fixed(r.estimate, 2);
}

function throughputTable(report: GatewayReport): string {
  const rows = report.runs.map((run) => {
    if (run.skipped !== undefined) return [run.name, `skipped: ${run.skipped}`, '', '', '', '', '', '', ''];
    const rates = run.rates.filter((x) => x > 0);
    // The geometric mean of the rounds, as the ratios are taken.
    const geo = Math.exp(rates.reduce((s, x) => s + Math.log(x), 0) / Math.max(1, rates.length));
    const hitRate = run.cache === undefined ? '–' : `${fixed((100 * run.cache.hits) / Math.max(1, run.cache.hits + run.cache.misses), 1)} %`;
    const ratio = report.ratios.find((r) => r.name === run.name);
    return [
      run.name,
      fixed(geo, 0),
      ms(run.latencyMs.p50),
      ms(run.latencyMs.p99),
      fixed(run.cpuMsPerMessage, 3),
      hitRate,
      ratio === undefined ? '1 (baseline)' : ratioCell(ratio.ratio),
      ratio?.goal === undefined ? '–' : goalText(ratio.goal),
      ratio?.verdict ?? '–',
    ];
  });
  return table(['implementation', 'messages/s', 'p50 ms', 'p99 ms', 'client CPU ms/message', 'cache hits', '× uncached (95 % interval)', 'target', 'verdict'], rows);
}

function stalenessTable(report: GatewayReport): string {
  const bound = report.boundMs;
  const triple = (xs: ReadonlyArray<number>): string => (xs.length === 0 ? '–' : `${ms(quantile(xs, 0.5))} / ${ms(quantile(xs, 0.99))} / ${ms(Math.max(...xs))}`);
  const verdict = (xs: ReadonlyArray<number>): string => (xs.length === 0 ? 'no samples' : quantile(xs, 0.99) <= bound ? 'met' : 'missed');
  const rows = report.runs
    .filter((run) => run.skipped === undefined && run.staleness.length > 0)
    .map((run) => {
      // A read can return the new value before the writer's call has returned: that is no delay at all.
      const seen = run.staleness.map((s) => Math.max(0, s.seenMs));
      const stale = run.staleness.map((s) => s.staleMs);
      return [
        run.name,
        String(seen.length),
        triple(seen),
        verdict(seen),
        triple(stale),
        String(stale.filter((d) => d > bound).length),
        verdict(stale),
        String(run.traffic.reads),
        String(run.traffic.beyondBound),
        ms(run.traffic.maxLagMs),
      ];
    });
  return table(
    [
      'implementation',
      'writes',
      'new value seen: p50 / p99 / max ms',
      `p99 ≤ ${bound} ms`,
      'old value served: p50 / p99 / max ms',
      `> ${bound} ms`,
      `p99 ≤ ${bound} ms`,
      'traffic prefix reads',
      `traffic: old prefix > ${bound} ms`,
      'traffic: longest lag ms',
    ],
    rows,
  );
}

/** The report as Markdown: settings, throughput with ratios and verdicts, staleness, and the problems found. */
export function gatewayMarkdown(report: GatewayReport): string {
  const settings = Object.entries(report.settings).map(([k, v]) => `${k} ${v}`).join(', ');
  const writeMs = report.runs.flatMap((r) => r.staleness.map((s) => s.writeMs));
  const errors = report.runs.flatMap((r) => r.errors.slice(0, 3).map((e) => `${r.name}: ${e}`));
  const redis = report.runs
    .filter((r) => r.redisCallsPerMessage !== undefined)
    .map((r) => `Redis commands per message, ${r.name}: ${Object.entries(r.redisCallsPerMessage ?? {}).filter(([command, n]) => command !== 'info' && n >= 0.005).map(([c, n]) => `${c} ${fixed(n, 2)}`).join(', ') || 'none'}.`);
  return [
    `Settings: ${settings}.`,
    '',
    throughputTable(report),
    '',
    `Staleness, in ms from the writer process's call returning (the commit is within the call, which took p50 ${ms(quantile(writeMs, 0.5))}, p99 ${ms(quantile(writeMs, 0.99))} ms): ` +
      'until the reading process, polling every ~1 ms with the implementation measured, had the new value back ("seen"), ' +
      'and until the start of its last read that still returned the old value ("old value served", 0 when none started after the commit). ' +
      'Traffic: every prefix the messages read, against the commits of newer prefixes: reads that started more than the bound after a newer prefix committed and still returned an older one.',
    '',
    stalenessTable(report),
    ...(redis.length === 0 ? [] : ['', ...redis]),
    ...(errors.length + report.problems.length === 0 ? [] : ['', 'Problems:', ...[...errors, ...report.problems.slice(0, 20)].map((p) => `- ${p}`)]),
  ].join('\n');
}
