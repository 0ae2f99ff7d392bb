import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { Pool } from 'pg';
import type { Implementation } from './implementation';
import { ignoreIdleErrors } from './impl/raw-pg';
import { OPENERS } from './implementations';
import { measureKeysetIteration } from './memory';
import { seededRandom } from './order';
import { libraryPoolSettings } from './pool-settings';
import { summarize, type BenchReport, type MachineFacts, type WorkloadResult } from './report';
import { NAMES } from './names';
import { runWorkload, type Plan, type Progress, type Workload } from './runner';
import { RunGuilds, seed, type SeedSize } from './seed';
import { openTarget } from './target';
import { CEILING_TARGETS, checkTargets, comparisons } from './targets';
import type { BenchEnv } from './workloads';

/** What one run measures. */
export interface BenchOptions {
  readonly command: string;
  readonly plan: Plan;
  readonly seed: number;
  /** Implementation keys (see OPENERS), 'library' among them. */
  readonly impls: ReadonlyArray<string>;
  readonly workloads: ReadonlyArray<Workload<BenchEnv>>;
  readonly seedSize: SeedSize;
  /** Cases the memory walk iterates (at most the memory guild's), and rows between its GC checkpoints (0: no walk). */
  readonly walkRows: number;
  readonly checkpointRows: number;
  readonly poolSize: number;
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

async function machineFacts(admin: Pool, server: MachineFacts['server'], loadBefore: ReadonlyArray<number>): Promise<MachineFacts> {
  const cpus = os.cpus();
  const version = (await admin.query<{ v: string }>('SELECT current_setting($1) AS v', ['server_version'])).rows[0]?.v ?? '?';
  const dirty = git(['status', '--porcelain', '--', 'src']);
  return {
    cpu: cpus[0]?.model ?? '?',
    cores: cpus.length,
    node: process.version,
    postgres: version,
    server,
    loadBefore,
    loadAfter: os.loadavg(),
    commit: git(['rev-parse', '--short', 'HEAD']) || '?',
    dirtySrcFiles: dirty === '' ? 0 : dirty.split('\n').length,
  };
}

// Opens every connection of every pool before the first workload, one implementation at a time (90 connections
// at once take seconds to start on 2 cores), so no implementation meets its first connections inside a measured
// slice. Each workload's warm-up round then prepares its statements.
async function connectAll(impls: ReadonlyArray<Implementation>, caseId: string, poolSize: number): Promise<void> {
  for (const impl of impls) await Promise.all(Array.from({ length: poolSize }, () => impl.getCase(caseId)));
}

/**
 * Runs the bench: starts or reaches the server, seeds it with SQL of its own, opens every implementation on the
 * same pool settings, warms them alike, runs each workload in randomized rounds, then the head-to-head phase, walks
 * the memory guild with the library last, and returns the report (printing nothing; `progress` gets one line of
 * status at a time).
 *
 * The head-to-head phase runs each ceiling-target workload again with the library and the ceiling alone, for
 * `plan.headToHeadRounds` rounds in random order. In a main round the other implementations' slices fall between
 * theirs, so each paired ratio also holds what the host did in those seconds; adjacent slices leave mostly the
 * difference being measured. The ceiling targets are judged on this phase, with the same estimator.
 */
export async function runBench(options: BenchOptions, progress: Progress): Promise<BenchReport> {
  const loadBefore = os.loadavg();
  const random = seededRandom(options.seed);
  progress('starting the server');
  const target = await openTarget(options.poolSize);
  const admin = ignoreIdleErrors(new Pool({ connectionString: target.url, max: 2 }));
  const guilds = new RunGuilds(admin);
  const settings = libraryPoolSettings(target.url, options.poolSize);
  const impls: Implementation[] = [];
  try {
    await guilds.clear();
    const seeded = await seed(admin, options.seedSize, progress);
    for (const key of options.impls) {
      const opener = OPENERS[key];
      impls.push(key === 'library' ? target.library : await (opener as NonNullable<typeof opener>)(target.url, settings));
    }
    progress('connecting every pool');
    await connectAll(impls, seeded.caseIds[0] ?? '0', options.poolSize);
    const env: BenchEnv = { admin, seed: seeded, guilds };
    const measure = async (w: Workload<BenchEnv>, among: ReadonlyArray<Implementation>, plan: Plan, label: string): Promise<WorkloadResult> => {
      const started = performance.now();
      const measured = await runWorkload(w, among, env, plan, random, (text) => progress(`${label} ${text}`));
      const wallSeconds = (performance.now() - started) / 1000;
      return { id: w.id, title: w.title, clients: w.clients, rowsPerOp: w.rowsPerOp ?? 1, ...(w.batching ? { batching: w.batching } : {}), ...(w.curve ? { curve: w.curve } : {}), curveOnly: w.curveOnly === true, wallSeconds, results: summarize(measured, w.rowsPerOp ?? 1) };
    };
    const results: WorkloadResult[] = [];
    for (const [i, w] of options.workloads.entries()) results.push(await measure(w, impls, options.plan, `[${i + 1}/${options.workloads.length}]`));
    const pair = headToHeadPair(impls, target.library, options.plan);
    const headToHead: WorkloadResult[] = [];
    if (pair) {
      const plan: Plan = { ...options.plan, rounds: options.plan.headToHeadRounds ?? 0 };
      const ids: ReadonlyArray<string> = CEILING_TARGETS;
      const chosen = options.workloads.filter((w) => ids.includes(w.id));
      for (const [i, w] of chosen.entries()) headToHead.push(await measure(w, pair, plan, `[head to head ${i + 1}/${chosen.length}]`));
    }
    const walkRows = Math.min(options.walkRows, seeded.memoryRows);
    const memory = impls.includes(target.library) && options.checkpointRows > 0 ? await walk(target.library.db, seeded.memoryGuild, walkRows, options.checkpointRows, progress) : undefined;
    const main = results.filter((w) => !w.curveOnly);
    return {
      command: options.command,
      date: new Date().toISOString(),
      seed: options.seed,
      plan: options.plan,
      machine: await machineFacts(admin, target.server, loadBefore),
      poolSettings: settings,
      workloads: results,
      ...(memory ? { memory } : {}),
      ...(headToHead.length > 0 ? { headToHead } : {}),
      targets: checkTargets(main, memory, headToHead),
      comparisons: comparisons(main),
    };
  } finally {
    progress('cleaning up');
    await guilds.clear().catch(() => undefined);
    await admin.end();
    // The library last: closing it stops the embedded server the others are connected to.
    for (const impl of impls) if (impl !== target.library) await impl.close();
    await target.library.close();
    progress('');
  }
}

/**
 * The library and the ceiling, for the head-to-head phase: only when the plan asks for its rounds and the run has
 * other implementations too (with only these two, the main rounds already are head to head).
 */
function headToHeadPair(impls: ReadonlyArray<Implementation>, library: Implementation, plan: Plan): [Implementation, Implementation] | undefined {
  const ceiling = impls.find((i) => i.name === NAMES.ceiling);
  return ceiling && impls.includes(library) && impls.length > 2 && (plan.headToHeadRounds ?? 0) > 0 ? [library, ceiling] : undefined;
}

function walk(db: Parameters<typeof measureKeysetIteration>[0], guild: string, rows: number, checkpointRows: number, progress: Progress): ReturnType<typeof measureKeysetIteration> {
  progress(`memory: iterating ${rows.toLocaleString('en-US')} cases`);
  return measureKeysetIteration(db, guild, rows, checkpointRows);
}
