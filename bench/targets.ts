import { NAMES, ORM_PEERS } from './names';
import { pairedRatio, unpairedRatio, type Interval, type RatioEstimate } from './interval';
import type { MemoryReport } from './memory';
import { verdictOf, type Goal, type Verdict } from './verdict';

/** The figures of one implementation in one workload that the targets read. */
export interface RatedResult {
  readonly impl: string;
  /** ops/s of each measured round, in round order. */
  readonly roundOpsPerSec: ReadonlyArray<number>;
  readonly error?: string;
}

/** The workloads' results as the targets read them. */
export interface RatedWorkload {
  readonly id: string;
  /** Rows one op writes or reads (the batching target compares rows/s). */
  readonly rowsPerOp?: number;
  readonly batching?: 'batch' | 'singles';
  readonly results: ReadonlyArray<RatedResult>;
}

/** One target, its estimate and 95% interval from the one estimator, and the verdict the interval gives. */
export interface TargetCheck {
  readonly group: 'ceiling' | 'batching' | 'as taught' | 'memory';
  readonly workload: string;
  readonly label: string;
  readonly goal: Goal;
  readonly estimate: number;
  readonly interval?: Interval;
  readonly rounds: number;
  readonly verdict: Verdict;
  /** '×' for ratios, 'MB' for the memory walk's growth. */
  readonly unit: '×' | 'MB';
}

/** A reported comparison without a target: the library against a peer it is not required to beat. */
export interface Comparison {
  readonly workload: string;
  readonly peer: string;
  readonly ratio?: RatioEstimate;
}

/** The speed targets against the ceiling (issue #18): the library at 0.95 × or more of it. */
export const CEILING_TARGETS = ['getById', 'findAll', 'count', 'createCase spread', 'createCase hot', 'createMany'] as const;

/** The batching target: one createCases(500) call against single createCase calls, in cases/s. */
export const BATCHING_GOAL: Goal = { direction: 'at least', value: 20 };

/** The memory target: the heap a 1M-case walk keeps grows by at most this many MB per million rows. */
export const MEMORY_GOAL: Goal = { direction: 'at most', value: 1 };

function rounds(workloads: ReadonlyArray<RatedWorkload>, id: string, impl: string): ReadonlyArray<number> | undefined {
  const r = workloads.find((w) => w.id === id)?.results.find((x) => x.impl === impl);
  return r && r.error === undefined ? r.roundOpsPerSec : undefined;
}

/** The library's paired ratio to `other` in workload `id`, when both ran it without a wrong answer. */
export function libraryRatio(workloads: ReadonlyArray<RatedWorkload>, id: string, other: string): RatioEstimate | undefined {
  const library = rounds(workloads, id, NAMES.library);
  const peer = rounds(workloads, id, other);
  return library && peer ? pairedRatio(library, peer) : undefined;
}

function ratioCheck(group: TargetCheck['group'], workload: string, label: string, goal: Goal, ratio: RatioEstimate | undefined): TargetCheck[] {
  if (ratio === undefined) return [];
  return [{ group, workload, label, goal, estimate: ratio.estimate, ...(ratio.interval ? { interval: ratio.interval } : {}), rounds: ratio.rounds, verdict: verdictOf(ratio.interval, goal), unit: '×' }];
}

/**
 * One implementation's batching ratio: its cases/s in the batch workload (createCases(500)) ÷ in the singles
 * workload (500 × createCase), unpaired, since the two ran as separate workloads, not side by side. The ceiling's
 * is the reference for the library's: the batch is bound by CPU and the single calls by commit latency, so the
 * host sets much of the ratio.
 */
export function batchingRatio(workloads: ReadonlyArray<RatedWorkload>, impl: string): { workload: string; label: string; ratio: RatioEstimate } | undefined {
  const batchWorkload = workloads.find((w) => w.batching === 'batch');
  const singlesWorkload = workloads.find((w) => w.batching === 'singles');
  if (!batchWorkload || !singlesWorkload) return undefined;
  const casesPerSec = (w: RatedWorkload): number[] | undefined => rounds(workloads, w.id, impl)?.map((x) => x * (w.rowsPerOp ?? 1));
  const batch = casesPerSec(batchWorkload);
  const singles = casesPerSec(singlesWorkload);
  const ratio = batch && singles ? unpairedRatio(batch, singles) : undefined;
  return ratio && { workload: batchWorkload.id, label: `${batchWorkload.id} ÷ ${singlesWorkload.id} (${impl}, cases/s)`, ratio };
}

/**
 * Checks the library against its targets, for the workloads and implementations that ran: 0.95 × the ceiling on
 * the CEILING_TARGETS workloads, 20 × the cases/s of single calls for createCases(500), faster than every ORM peer
 * as its documentation teaches it on every main workload, and a flat heap on the memory walk. A ceiling target is
 * judged on its head-to-head run (the library and the ceiling alone) when `headToHead` has one, else on the main
 * rounds.
 */
export function checkTargets(workloads: ReadonlyArray<RatedWorkload>, memory: MemoryReport | undefined, headToHead: ReadonlyArray<RatedWorkload> = []): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const id of CEILING_TARGETS) {
    const source = headToHead.some((w) => w.id === id) ? headToHead : workloads;
    checks.push(...ratioCheck('ceiling', id, `${id}: library ÷ ceiling`, { direction: 'at least', value: 0.95 }, libraryRatio(source, id, NAMES.ceiling)));
  }
  const batching = batchingRatio(workloads, NAMES.library);
  if (batching) checks.push(...ratioCheck('batching', batching.workload, batching.label, BATCHING_GOAL, batching.ratio));
  for (const w of workloads) {
    for (const peer of ORM_PEERS) {
      checks.push(...ratioCheck('as taught', w.id, `${w.id}: library ÷ ${peer.taught}`, { direction: 'more than', value: 1 }, libraryRatio(workloads, w.id, peer.taught)));
    }
  }
  if (memory) {
    checks.push({
      group: 'memory',
      workload: 'memory',
      label: `heap kept while iterating ${memory.rows.toLocaleString('en-US')} cases (keyset), growth per 1M rows`,
      goal: MEMORY_GOAL,
      estimate: memory.growthPerMillionMb,
      ...(memory.growthInterval ? { interval: memory.growthInterval } : {}),
      rounds: memory.checkpoints.length,
      verdict: verdictOf(memory.growthInterval, MEMORY_GOAL),
      unit: 'MB',
    });
  }
  return checks;
}

/** The peers the library is compared with but not required to beat: each ORM at its best, and postgres.js. */
export const COMPARED_PEERS: ReadonlyArray<string> = [...ORM_PEERS.map((p) => p.best), NAMES.postgresJs];

/** The library against each compared peer on every workload (estimate and interval; no verdict). */
export function comparisons(workloads: ReadonlyArray<RatedWorkload>): Comparison[] {
  return workloads.flatMap((w) =>
    COMPARED_PEERS.map((peer) => {
      const ratio = libraryRatio(workloads, w.id, peer);
      return { workload: w.id, peer, ...(ratio ? { ratio } : {}) };
    }),
  );
}
