import type { Implementation } from './implementation';

/** One implementation's run of one workload: `op` is called by every client; `verify` checks the database after. */
export interface Session {
  /** One operation; `seq` counts up from 0 across the session. Throws on a wrong answer. */
  op(seq: number): Promise<void>;
  /** Checks what the session's `ops` operations left in the database. Throws when it is wrong. */
  verify?(ops: number): Promise<void>;
  /** Runs before each slice, unmeasured: resets what earlier slices left behind that would slow this one. */
  beforeSlice?(): Promise<void>;
}

/** One thing to measure, the same for every implementation. */
export interface Workload<Env> {
  readonly id: string;
  readonly title: string;
  /** Concurrent callers. */
  readonly clients: number;
  /** Rows (cases, reminders) one op writes or reads, when more than one: the report shows rows/s too. */
  readonly rowsPerOp?: number;
  start(impl: Implementation, env: Env): Promise<Session>;
}

/** How long to measure. */
export interface Plan {
  readonly rounds: number;
  readonly warmupSeconds: number;
  readonly sliceSeconds: number;
  /** Force a GC before each slice (with --expose-gc), so no slice pays for the garbage of the one before. */
  readonly collectGarbage: boolean;
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
  /** Why the implementation's answers were rejected, if they were. */
  readonly error?: string;
}

/** Reports what is running (one line on stderr). */
export type Progress = (text: string) => void;

interface Slice {
  ops: number;
  seconds: number;
  cpuMicros: number;
  latencies: number[];
}

interface SessionState {
  readonly impl: Implementation;
  readonly session: Session;
  seq: number;
  readonly slices: Slice[];
  error: string | undefined;
}

const gc = (globalThis as { gc?: () => void }).gc;

/** `clients` callers run `session.op` until `seconds` have passed; the first wrong answer stops them all. */
async function runSlice(session: Session, clients: number, seconds: number, firstSeq: number, collectGarbage: boolean): Promise<Slice> {
  await session.beforeSlice?.();
  if (collectGarbage) gc?.();
  let seq = firstSeq;
  let failure: unknown;
  let deadline = performance.now() + seconds * 1000;
  const latencies: number[] = [];
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  const client = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const t = performance.now();
      try {
        await session.op(seq++);
      } catch (e) {
        failure ??= e;
        deadline = 0;
        return;
      }
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  const cpu = process.cpuUsage(cpuStart);
  if (failure !== undefined) throw failure;
  return { ops: seq - firstSeq, seconds: (performance.now() - started) / 1000, cpuMicros: cpu.user + cpu.system, latencies };
}

function message(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/**
 * Runs a workload through every implementation in interleaved rounds (a warm-up round, then A B C … A B C …,
 * each round starting one implementation later), so drift of the machine hits all of them alike; then
 * verifies what each left in the database. An implementation that gives a wrong answer is dropped from the
 * later rounds and reported with the error.
 */
export async function runWorkload<Env>(workload: Workload<Env>, impls: ReadonlyArray<Implementation>, env: Env, plan: Plan, progress: Progress): Promise<Measurement[]> {
  const state: SessionState[] = [];
  for (const impl of impls) state.push({ impl, session: await workload.start(impl, env), seq: 0, slices: [], error: undefined });
  for (let round = 0; round <= plan.rounds; round++) {
    for (let k = 0; k < state.length; k++) {
      const s = state[(k + round) % state.length];
      if (s === undefined || s.error !== undefined) continue;
      progress(`${workload.id}: ${round === 0 ? 'warm-up' : `round ${round}/${plan.rounds}`} · ${s.impl.name}`);
      try {
        const slice = await runSlice(s.session, workload.clients, round === 0 ? plan.warmupSeconds : plan.sliceSeconds, s.seq, plan.collectGarbage);
        s.seq += slice.ops;
        if (round > 0) s.slices.push(slice);
      } catch (e) {
        s.error = message(e);
      }
    }
  }
  const results: Measurement[] = [];
  for (const s of state) {
    if (s.error === undefined) {
      progress(`${workload.id}: verifying · ${s.impl.name}`);
      await s.session.verify?.(s.seq).catch((e: unknown) => {
        s.error = `verification failed: ${message(e)}`;
      });
    }
    const latencies = Float64Array.from(s.slices.flatMap((x) => x.latencies)).sort();
    results.push({
      impl: s.impl.name,
      ops: s.slices.reduce((n, x) => n + x.ops, 0),
      seconds: s.slices.reduce((n, x) => n + x.seconds, 0),
      roundOpsPerSec: s.slices.map((x) => x.ops / x.seconds),
      cpuMicros: s.slices.reduce((n, x) => n + x.cpuMicros, 0),
      latenciesMs: latencies,
      ...(s.error === undefined ? {} : { error: s.error }),
    });
  }
  return results;
}
