// Two-sided 95% quantiles of Student's t for 1…30 degrees of freedom.
const T_975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/**
 * The 0.975 quantile of Student's t with `df` degrees of freedom (Cornish–Fisher expansion past the table). A
 * fractional `df` (Welch) is rounded down, which widens the interval slightly: the safe side.
 */
export function tQuantile975(df: number): number {
  const whole = Math.floor(df);
  if (whole < 1) return Number.NaN;
  if (whole <= T_975.length) return T_975[whole - 1] ?? Number.NaN;
  const z = 1.959964;
  return z + (z ** 3 + z) / (4 * whole) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * whole * whole);
}

/** A 95% confidence interval. */
export interface Interval {
  readonly low: number;
  readonly high: number;
}

/** A ratio of two speeds with its 95% interval (see pairedRatio and unpairedRatio). */
export interface RatioEstimate {
  readonly estimate: number;
  /** Absent with fewer than two usable rounds on a side. */
  readonly interval?: Interval;
  /** Rounds that went into it (pairs, or the smaller side when unpaired). */
  readonly rounds: number;
  readonly paired: boolean;
}

function logsOf(values: ReadonlyArray<number>): number[] {
  return values.filter((x) => x > 0 && Number.isFinite(x)).map(Math.log);
}

function meanAndVariance(xs: ReadonlyArray<number>): { mean: number; variance: number } {
  const mean = xs.reduce((sum, x) => sum + x, 0) / xs.length;
  const variance = xs.length < 2 ? Number.NaN : xs.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (xs.length - 1);
  return { mean, variance };
}

/**
 * The bench's one estimator for "how many times as fast is A as B": the ratio of the geometric means of their
 * per-round rates, with a Student t interval on the logarithms (a ratio's spread is multiplicative). When `a[i]`
 * and `b[i]` ran in the same round (every implementation in a workload does), the rounds are paired: the
 * estimate is the geometric mean of the per-round ratios, which is the same number, and the interval comes from
 * the spread of those ratios, so drift of the machine between rounds cancels. Undefined when no round is usable.
 * @example
 * pairedRatio([10, 11, 9], [10, 10, 10]); // estimate 0.997, interval 0.78–1.28 (rounded)
 */
export function pairedRatio(a: ReadonlyArray<number>, b: ReadonlyArray<number>): RatioEstimate | undefined {
  const logs: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const ratio = (a[i] ?? Number.NaN) / (b[i] ?? Number.NaN);
    if (ratio > 0 && Number.isFinite(ratio)) logs.push(Math.log(ratio));
  }
  if (logs.length === 0) return undefined;
  const { mean, variance } = meanAndVariance(logs);
  const n = logs.length;
  if (n < 2) return { estimate: Math.exp(mean), rounds: n, paired: true };
  const half = (tQuantile975(n - 1) * Math.sqrt(variance)) / Math.sqrt(n);
  return { estimate: Math.exp(mean), interval: { low: Math.exp(mean - half), high: Math.exp(mean + half) }, rounds: n, paired: true };
}

/**
 * The same estimator for rates that were not measured side by side (two workloads, such as one batch call
 * against 500 single calls): the ratio of the geometric means, with Welch's t interval on the difference of
 * the mean logarithms (Welch–Satterthwaite degrees of freedom). Undefined when a side has no usable round.
 */
export function unpairedRatio(a: ReadonlyArray<number>, b: ReadonlyArray<number>): RatioEstimate | undefined {
  const la = logsOf(a);
  const lb = logsOf(b);
  if (la.length === 0 || lb.length === 0) return undefined;
  const sa = meanAndVariance(la);
  const sb = meanAndVariance(lb);
  const diff = sa.mean - sb.mean;
  const rounds = Math.min(la.length, lb.length);
  if (rounds < 2) return { estimate: Math.exp(diff), rounds, paired: false };
  const va = sa.variance / la.length;
  const vb = sb.variance / lb.length;
  const se = Math.sqrt(va + vb);
  // Both sides without spread: the interval is the point.
  const df = se === 0 ? Infinity : (va + vb) ** 2 / (va ** 2 / (la.length - 1) + vb ** 2 / (lb.length - 1));
  const half = se === 0 ? 0 : tQuantile975(Math.min(df, 1e6)) * se;
  return { estimate: Math.exp(diff), interval: { low: Math.exp(diff - half), high: Math.exp(diff + half) }, rounds, paired: false };
}

/** A least-squares slope with its 95% interval. */
export interface SlopeEstimate {
  readonly slope: number;
  readonly interval?: Interval;
}

/**
 * The least-squares slope of `ys` over `xs` with a Student t interval (n − 2 degrees of freedom): the heap's growth
 * per row iterated, from the heap sizes measured after a forced GC at checkpoints along the walk.
 */
export function slopeOf(xs: ReadonlyArray<number>, ys: ReadonlyArray<number>): SlopeEstimate {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return { slope: Number.NaN };
  const mx = xs.slice(0, n).reduce((s, x) => s + x, 0) / n;
  const my = ys.slice(0, n).reduce((s, y) => s + y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += ((xs[i] ?? 0) - mx) ** 2;
    sxy += ((xs[i] ?? 0) - mx) * ((ys[i] ?? 0) - my);
  }
  const slope = sxy / sxx;
  if (n < 3) return { slope };
  let sse = 0;
  for (let i = 0; i < n; i++) sse += ((ys[i] ?? 0) - my - slope * ((xs[i] ?? 0) - mx)) ** 2;
  const half = tQuantile975(n - 2) * Math.sqrt(sse / (n - 2) / sxx);
  return { slope, interval: { low: slope - half, high: slope + half } };
}
