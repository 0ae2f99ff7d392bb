import type { Interval } from './interval';

/** What a target asks of a measured value: at least, more than, or at most `value`. */
export interface Goal {
  readonly direction: 'at least' | 'more than' | 'at most';
  readonly value: number;
}

/** The verdicts, from best to worst; "no interval" when the run had too few rounds to give one. */
export const VERDICTS = ['met', 'within noise', 'missed', 'no interval'] as const;

/** One of VERDICTS. */
export type Verdict = (typeof VERDICTS)[number];

/**
 * Judges a target by the 95% interval of its estimate, never by the estimate alone: "met" only when the whole
 * interval is on the target's side (for "at least 0.95", the lower bound is 0.95 or more; for "more than 1", it
 * is above 1), "missed" when the whole interval is on the other side, and "within noise" when the interval
 * contains the target, so the run cannot tell.
 * @example
 * verdictOf({ low: 0.96, high: 1.02 }, { direction: 'at least', value: 0.95 }); // 'met'
 * verdictOf({ low: 0.91, high: 0.99 }, { direction: 'at least', value: 0.95 }); // 'within noise'
 */
export function verdictOf(interval: Interval | undefined, goal: Goal): Verdict {
  if (interval === undefined || !Number.isFinite(interval.low) || !Number.isFinite(interval.high)) return 'no interval';
  const { low, high } = interval;
  switch (goal.direction) {
    case 'at least':
      return low >= goal.value ? 'met' : high < goal.value ? 'missed' : 'within noise';
    case 'more than':
      return low > goal.value ? 'met' : high <= goal.value ? 'missed' : 'within noise';
    case 'at most':
      return high <= goal.value ? 'met' : low > goal.value ? 'missed' : 'within noise';
  }
}

/** A goal as the report writes it: "≥ 0.95 ×", "> 1.00 ×", "≤ 1.0". */
export function goalText(goal: Goal, digits = 2, unit = ' ×'): string {
  const sign = goal.direction === 'at least' ? '≥' : goal.direction === 'more than' ? '>' : '≤';
  return `${sign} ${goal.value.toFixed(digits)}${unit}`;
}

/** Where the library stands against a peer it has no target against, from the interval of library ÷ peer. */
export type Standing = 'ahead' | 'level' | 'behind' | 'no interval';

/** "ahead" when the whole interval is above 1, "behind" when it is below 1, "level" when it holds 1. */
export function standingOf(interval: Interval | undefined): Standing {
  if (interval === undefined || !Number.isFinite(interval.low) || !Number.isFinite(interval.high)) return 'no interval';
  return interval.low > 1 ? 'ahead' : interval.high < 1 ? 'behind' : 'level';
}
