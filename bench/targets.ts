import { ratioInterval, type Interval } from './interval';
import type { ImplResult, WorkloadResult } from './report';

/** One performance target (a minimum ratio of the library's speed to another's) and how this run did. */
export interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  /** The 95% confidence interval of the ratio from the per-round ratios, when the two ran side by side. */
  readonly interval?: Interval;
  readonly met: boolean;
  /** Missed, but the interval reaches the target: the miss is within the run's noise. */
  readonly withinNoise: boolean;
}

/** The names the targets compare (see bench/implementations.ts). */
export const NAMES = { raw: 'raw pg', rawPrepared: 'raw pg prepared', typeorm: 'TypeORM', drizzle: 'Drizzle', library: 'library' } as const;

function result(workloads: ReadonlyArray<WorkloadResult>, id: string, impl: string): ImplResult | undefined {
  const r = workloads.find((w) => w.id === id)?.results.find((x) => x.impl === impl);
  return r?.error === undefined ? r : undefined;
}

function rate(workloads: ReadonlyArray<WorkloadResult>, id: string, impl: string): number {
  return result(workloads, id, impl)?.opsPerSec ?? Number.NaN;
}

/** Checks the library against its performance targets, listed below, for the workloads and implementations that ran. */
export function checkTargets(workloads: ReadonlyArray<WorkloadResult>): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const versus = (id: string, other: string, min: number, strict = false): void => {
    const library = result(workloads, id, NAMES.library);
    const baseline = result(workloads, id, other);
    if (baseline === undefined) return;
    const ratio = (library?.opsPerSec ?? Number.NaN) / baseline.opsPerSec;
    const interval = library && ratioInterval(library.roundOpsPerSec, baseline.roundOpsPerSec);
    const met = strict ? ratio > min : ratio >= min;
    checks.push({
      target: `${id}: library ${strict ? '>' : '≥'} ${min.toFixed(2)} × ${other}`,
      measured: `${ratio.toFixed(2)} ×`,
      ...(interval ? { interval } : {}),
      met,
      withinNoise: !met && interval !== undefined && interval.high >= min,
    });
  };
  for (const id of ['getById', 'findAll', 'count']) {
    versus(id, NAMES.raw, 1.0);
    versus(id, NAMES.rawPrepared, 0.9);
  }
  for (const id of ['createCase spread', 'createCase hot']) versus(id, NAMES.raw, 0.95);
  for (const id of ['updateWhere', 'createMany']) versus(id, NAMES.raw, 0.9);
  const batch = rate(workloads, 'createCases(500)', NAMES.library) / rate(workloads, '500 × createCase', NAMES.library);
  if (!Number.isNaN(batch)) {
    checks.push({ target: 'createCases(500): library ≥ 20 × the cases/s of 500 single createCase calls', measured: `${batch.toFixed(1)} ×`, met: batch >= 20, withinNoise: false });
  }
  for (const w of workloads) {
    versus(w.id, NAMES.typeorm, 1.0, true);
    versus(w.id, NAMES.drizzle, 1.0, true);
  }
  return checks;
}
