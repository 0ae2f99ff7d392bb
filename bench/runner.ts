import { census, type CensusCount } from './census';
import type { Implementation } from './implementation';
import { interleavedOrder, shuffled, type Random } from './order';

/** One implementation's run of one workload: `op` is called by every client; `verify` checks the database after. */
export interface Session {
  /** One operation; `seq` counts up from 0 across the session. Throws on a wrong answer. */
  op(seq: number): Promise<void>;
  /** Checks what the session's `ops` operations left in the database. Throws when it is wrong. */
  verify?(ops: number): Promise<void>;
  /**
   * Runs before each slice (each chunk of one, when a round interleaves them), unmeasured: resets what earlier slices
   * left behind that would slow this one.
   */
  beforeSlice?(): Promise<void>;
}

/** A point of a concurrency curve: which operation, at how many concurrent callers. */
export interface CurvePoint {
  readonly family: string;
  readonly clients: number;
}

/** One thing to measure, the same for every implementation. */
export interface Workload<Env> {
  readonly id: string;
  readonly title: string;
  /** Concurrent callers. */
  readonly clients: number;
  /** Rows (cases, reminders) one op writes or reads, when more than one: the report shows rows/s too. */
  readonly rowsPerOp?: number;
  /** Its part in the batching target: the one batch call, or the single calls it is measured against. */
  readonly batching?: 'batch' | 'singles';
  /** Slices this many times the plan's length (slow operations, so a slice holds more than one or two ops). */
  readonly sliceScale?: number;
  /** Set on the workloads whose results are points of a concurrency curve. */
  readonly curve?: CurvePoint;
  /** Only a curve point (not a main workload with targets): runs the plan's curve rounds. */
  readonly curveOnly?: boolean;
  start(impl: Implementation, env: Env): Promise<Session>;
}

/** How long to measure. */
export interface Plan {
  readonly rounds: number;
  /** Rounds of the concurrency-curve workloads. */
  readonly curveRounds: number;
  /**
   * Rounds of the head-to-head phase: the library and the ceiling alone on each ceiling-target workload, so their
   * slices are adjacent (see runBench). Absent in reports saved before the phase existed.
   */
  readonly headToHeadRounds?: number;
  readonly warmupSeconds: number;
  readonly sliceSeconds: number;
  /**
   * Cut each round's slices into chunks of at least this many seconds, run alternately (see interleavedOrder), so
   * every implementation measures the same seconds of the host. A chunk also lasts at least CHUNK_LATENCIES times the
   * slowest implementation's median op in the warm-up, so the wait for the ops still in flight when a chunk ends
   * stays a small part of it: a slow workload keeps fewer, longer chunks, down to the whole slice. Absent: one chunk.
   */
  readonly interleaveSeconds?: number;
  /** Run each workload's beforeSlice (updateWhere's VACUUM); a smoke run skips it to save time. */
  readonly resetBeforeSlices: boolean;
}

/** What one implementation did in one workload, over every measured round. */
export interface Measurement {
  readonly impl: string;
  readonly ops: number;
  readonly seconds: number;
  /** ops/s of each measured round, in round order (paired with the other implementations' same rounds). */
  readonly roundOpsPerSec: ReadonlyArray<number>;
  /** Node CPU (user + system) over the measured slices, in µs. */
  readonly cpuMicros: number;
  /** Sorted latencies of every measured op, in ms. */
  readonly latenciesMs: Float64Array;
  /** Statements sent per op in the warm-up (BEGIN/COMMIT included). */
  readonly statementsPerOp: number;
  /** The distinct statement texts it sent in the warm-up. */
  readonly statementTexts: ReadonlyArray<string>;
  /** Why the implementation's answers were rejected, if they were. */
  readonly error?: string;
}

/** Reports what is running (one line on stderr). */
export type Progress = (text: string) => void;

/** Milliseconds from some fixed start: the host's `performance.now`, or a virtual clock in the runner's specs. */
export type Clock = () => number;

interface Slice {
  ops: number;
  seconds: number;
  cpuMicros: number;
  latencies: number[];
}

// How many median ops a chunk lasts at least: the ops in flight when it ends (one per client at most) then hold its
// clock for about 1/40 of it or less, alike for each implementation.
const CHUNK_LATENCIES = 40;

interface SessionState {
  readonly impl: Implementation;
  readonly session: Session;
  seq: number;
  readonly slices: Slice[];
  count: CensusCount | undefined;
  warmupOps: number;
  /** The median op latency in the warm-up, in seconds (0 before it). */
  warmupMedianSeconds: number;
  error: string | undefined;
}

/** `clients` callers run `session.op` until `seconds` have passed (one op at least); the first wrong answer stops them all. */
async function runSlice(session: Session, clients: number, seconds: number, firstSeq: number, now: Clock): Promise<Slice> {
  let seq = firstSeq;
  let failure: unknown;
  let deadline = now() + seconds * 1000;
  const latencies: number[] = [];
  const cpuStart = process.cpuUsage();
  const started = now();
  // Each client runs at least one op, so a short warm-up always reaches the statements (and the census counts them).
  const client = async (): Promise<void> => {
    do {
      const t = now();
      try {
        await session.op(seq++);
      } catch (e) {
        failure ??= e;
        deadline = 0;
        return;
      }
      latencies.push(now() - t);
    } while (now() < deadline);
  };
  await Promise.all(Array.from({ length: clients }, client));
  const cpu = process.cpuUsage(cpuStart);
  if (failure !== undefined) throw failure;
  return { ops: seq - firstSeq, seconds: (now() - started) / 1000, cpuMicros: cpu.user + cpu.system, latencies };
}

function median(values: ReadonlyArray<number>): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

// Into how many chunks a round cuts each slice (see Plan.interleaveSeconds): 1 without interleaving.
function chunksPerSlice(plan: Plan, seconds: number, state: ReadonlyArray<SessionState>): number {
  if (plan.interleaveSeconds === undefined) return 1;
  const slowest = Math.max(0, ...state.filter((s) => s.error === undefined).map((s) => s.warmupMedianSeconds));
  const chunk = Math.max(plan.interleaveSeconds, CHUNK_LATENCIES * slowest);
  // A chunk of no length (interleaveSeconds 0 and ops too fast to time) would cut a slice without end.
  return chunk > 0 ? Math.max(1, Math.floor(seconds / chunk)) : 1;
}

function message(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/**
 * Runs a workload through every implementation in rounds: a warm-up round, unmeasured, that also counts each
 * implementation's statements (see census), then the measured rounds. Within every round, the warm-up too, the
 * implementations run one after another in an order drawn from `random`, so none always follows another and
 * inherits its WAL, dirty buffers or autovacuum, and drift of the machine spreads over all of them. With
 * `plan.interleaveSeconds` a measured round cuts each slice into chunks run forwards and backwards in that order
 * (ABBA…), so the implementations share the same seconds of the host, whose bursts of contention last from tens of
 * milliseconds to seconds on this VM: a burst that fell on one whole slice of a pair made its ratio 0.7 or 1.2. Then it
 * verifies what each left in the database. An implementation that gives a wrong answer is dropped from the
 * later rounds and reported with the error.
 *
 * No GC is forced between slices. A forced full GC kills the objects V8's optimized code holds weakly, so the hot
 * code of pg's client and protocol is deoptimized before every slice and optimized again inside it (814 "weak
 * objects" deopts in 6 rounds of 5 slices, against 4 without): that raised every implementation's client CPU per op
 * by 15–25 µs, and the more code an implementation runs the more (bench/RESULTS.md). The garbage a slice leaves is
 * collected in later slices, whose order is random, so it spreads over every implementation.
 *
 * `now` times slices and ops; the runner's specs pass a virtual clock, so the schedule they check does not depend on
 * how loaded the host is.
 */
export async function runWorkload<Env>(workload: Workload<Env>, impls: ReadonlyArray<Implementation>, env: Env, plan: Plan, random: Random, progress: Progress, now: Clock = () => performance.now()): Promise<Measurement[]> {
  const state: SessionState[] = [];
  for (const impl of impls) state.push({ impl, session: await workload.start(impl, env), seq: 0, slices: [], count: undefined, warmupOps: 0, warmupMedianSeconds: 0, error: undefined });
  const rounds = workload.curveOnly ? plan.curveRounds : plan.rounds;
  const seconds = plan.sliceSeconds * (workload.sliceScale ?? 1);
  const run = async (s: SessionState, label: string, measure: () => Promise<void>): Promise<void> => {
    if (s.error !== undefined) return;
    progress(`${workload.id}: ${label} · ${s.impl.name}`);
    try {
      if (plan.resetBeforeSlices) await s.session.beforeSlice?.();
      await measure();
    } catch (e) {
      s.error = message(e);
    }
  };
  for (const s of shuffled(state, random)) {
    await run(s, 'warm-up', async () => {
      const { result, count } = await census(s.impl, () => runSlice(s.session, workload.clients, plan.warmupSeconds * (workload.sliceScale ?? 1), s.seq, now));
      s.seq += result.ops;
      s.warmupOps = result.ops;
      s.warmupMedianSeconds = median(result.latencies) / 1000;
      s.count = count;
    });
  }
  const chunks = chunksPerSlice(plan, seconds, state);
  for (let round = 1; round <= rounds; round++) {
    const merged = new Map<SessionState, Slice>();
    for (const s of interleavedOrder(shuffled(state, random), chunks)) {
      await run(s, `round ${round}/${rounds}`, async () => {
        const slice = await runSlice(s.session, workload.clients, seconds / chunks, s.seq, now);
        s.seq += slice.ops;
        const sum = merged.get(s);
        merged.set(s, sum === undefined ? slice : { ops: sum.ops + slice.ops, seconds: sum.seconds + slice.seconds, cpuMicros: sum.cpuMicros + slice.cpuMicros, latencies: sum.latencies.concat(slice.latencies) });
      });
    }
    for (const [s, slice] of merged) if (s.error === undefined) s.slices.push(slice);
  }
  const results: Measurement[] = [];
  for (const s of state) {
    if (s.error === undefined) {
      progress(`${workload.id}: verifying · ${s.impl.name}`);
      await s.session.verify?.(s.seq).catch((e: unknown) => {
        s.error = `verification failed: ${message(e)}`;
      });
    }
    results.push({
      impl: s.impl.name,
      ops: s.slices.reduce((n, x) => n + x.ops, 0),
      seconds: s.slices.reduce((n, x) => n + x.seconds, 0),
      roundOpsPerSec: s.slices.map((x) => x.ops / x.seconds),
      cpuMicros: s.slices.reduce((n, x) => n + x.cpuMicros, 0),
      latenciesMs: Float64Array.from(s.slices.flatMap((x) => x.latencies)).sort(),
      statementsPerOp: s.count && s.warmupOps > 0 ? s.count.statements / s.warmupOps : Number.NaN,
      statementTexts: s.count?.texts ?? [],
      ...(s.error === undefined ? {} : { error: s.error }),
    });
  }
  return results;
}
