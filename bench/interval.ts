// Two-sided 95% quantiles of Student's t for 1…30 degrees of freedom.
const T_975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** The 0.975 quantile of Student's t with `df` degrees of freedom (Cornish–Fisher expansion past the table). */
export function tQuantile975(df: number): number {
  if (df <= T_975.length) return T_975[df - 1] ?? Number.NaN;
  const z = 1.959964;
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df * df);
}

/** A 95% confidence interval. */
export interface Interval {
  readonly low: number;
  readonly high: number;
}

/**
 * The 95% confidence interval of the ratio `a / b` from paired samples: `a[i]` and `b[i]` were measured in the
 * same round, side by side, so each round gives one ratio and drift of the machine cancels within it. The
 * interval is taken on the logarithms of the ratios (a ratio's spread is multiplicative), then turned back.
 * Undefined with fewer than two rounds.
 * @example
 * ratioInterval([10, 11, 9], [10, 10, 10]); // { low: 0.78, high: 1.28 } (rounded)
 */
export function ratioInterval(a: ReadonlyArray<number>, b: ReadonlyArray<number>): Interval | undefined {
  const logs: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const ratio = (a[i] ?? Number.NaN) / (b[i] ?? Number.NaN);
    if (ratio > 0 && Number.isFinite(ratio)) logs.push(Math.log(ratio));
  }
  const n = logs.length;
  if (n < 2) return undefined;
  const mean = logs.reduce((sum, x) => sum + x, 0) / n;
  const sd = Math.sqrt(logs.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (n - 1));
  const half = (tQuantile975(n - 1) * sd) / Math.sqrt(n);
  return { low: Math.exp(mean - half), high: Math.exp(mean + half) };
}
