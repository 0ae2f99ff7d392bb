import os from 'node:os';
import { parseArgs } from 'node:util';
import { Pool } from 'pg';
import type { Implementation } from './implementation';
import { ignoreIdleErrors } from './impl/raw-pg';
import { DEFAULT_IMPLS, OPENERS } from './implementations';
import { measureKeysetIteration } from './memory';
import { summarize, toMarkdown, type BenchReport, type WorkloadResult } from './report';
import { runWorkload, type Plan, type Progress } from './runner';
import { RunGuilds, seed, type SeedSize } from './seed';
import { openTarget } from './target';
import { checkTargets, NAMES } from './targets';
import { WORKLOADS } from './workloads';

const USAGE = `Usage: npm run bench -- [--quick] [--json] [--impl=raw,typeorm,…] [--workload=getById,…] [--rounds=N] [--seconds=S]
Runs on DATABASE_URL when set, else on the embedded server in .tux-db-bench.
  --quick       smoke run (2 short rounds), under a minute
  --json        print the report as JSON instead of Markdown (run it as npm run -s bench -- --json to keep npm's banner out of stdout)
  --impl        implementations (${[...Object.keys(OPENERS), 'library'].join(', ')}); default ${DEFAULT_IMPLS.join(',')}
  --workload    workload ids (${WORKLOADS.map((w) => w.id).join(', ')}); default all
  --rounds, --seconds   measured rounds and seconds per implementation per round`;

const POOL_SIZE = 10;
const SEED: SeedSize = { cases: 100_000, users: 1_000, updateRows: 10_000 };
// Many short rounds rather than a few long ones: a round's ratio varies about as much whether its slices are
// short or long, so the noise is per slice, and only more rounds narrow the interval.
const FULL: Plan = { rounds: 12, warmupSeconds: 1, sliceSeconds: 1, collectGarbage: true };
// A smoke run: one op per client to warm up, two short rounds, no forced GC (it would cost more than the slices).
const QUICK: Plan = { rounds: 2, warmupSeconds: 0.01, sliceSeconds: 0.1, collectGarbage: false };

function progressLine(): Progress {
  let last = '';
  return (text) => {
    if (process.stderr.isTTY) {
      process.stderr.write(`\r\x1b[K${text}`);
    } else if (text.split(':')[0] !== last.split(':')[0]) {
      process.stderr.write(`${text}\n`);
    }
    last = text;
  };
}

function list(value: string | undefined, known: ReadonlyArray<string>, fallback: ReadonlyArray<string>): string[] {
  if (value === undefined) return [...fallback];
  const names = value.split(',').map((s) => s.trim());
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) throw new Error(`unknown: ${unknown.join(', ')}\n${USAGE}`);
  return names;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      impl: { type: 'string' },
      workload: { type: 'string' },
      rounds: { type: 'string' },
      seconds: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const base = values.quick ? QUICK : FULL;
  const plan: Plan = { ...base, rounds: Number(values.rounds ?? base.rounds), sliceSeconds: Number(values.seconds ?? base.sliceSeconds) };
  const implKeys = list(values.impl, [...Object.keys(OPENERS), 'library'], DEFAULT_IMPLS);
  const workloads = WORKLOADS.filter((w) => list(values.workload, WORKLOADS.map((x) => x.id), WORKLOADS.map((x) => x.id)).includes(w.id));
  const progress = progressLine();

  progress('starting the server');
  const target = await openTarget(POOL_SIZE);
  const admin = ignoreIdleErrors(new Pool({ connectionString: target.url, max: 2 }));
  const guilds = new RunGuilds(admin);
  const impls: Implementation[] = [];
  try {
    await guilds.clear();
    const seeded = await seed(target.library.db, admin, SEED, progress);
    progress('memory: keyset iteration');
    const memory = await measureKeysetIteration(target.library.db, seeded.readGuild, SEED.cases);
    for (const key of implKeys) impls.push(key === 'library' ? target.library : await (OPENERS[key] as (typeof OPENERS)[string])(target.url, POOL_SIZE));
    const baseline = impls.some((i) => i.name === NAMES.raw) ? NAMES.raw : (impls[0]?.name ?? NAMES.raw);
    const env = { admin, seed: seeded, guilds };
    const results: WorkloadResult[] = [];
    for (const [i, w] of workloads.entries()) {
      const measured = await runWorkload(w, impls, env, plan, (text) => progress(`[${i + 1}/${workloads.length}] ${text}`));
      results.push({ id: w.id, title: w.title, clients: w.clients, rowsPerOp: w.rowsPerOp ?? 1, results: summarize(measured, w.rowsPerOp ?? 1, baseline) });
    }
    const cpus = os.cpus();
    const version = (await admin.query<{ v: string }>('SELECT current_setting($1) AS v', ['server_version'])).rows[0]?.v ?? '?';
    const report: BenchReport = {
      command: `${target.server === 'DATABASE_URL' ? 'DATABASE_URL=… ' : ''}npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
      date: new Date().toISOString(),
      plan,
      machine: { cpu: cpus[0]?.model ?? '?', cores: cpus.length, node: process.version, postgres: version, server: target.server, poolSize: POOL_SIZE },
      baseline,
      workloads: results,
      memory,
      targets: checkTargets(results),
    };
    progress('');
    process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : toMarkdown(report));
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

main().catch((e: unknown) => {
  process.stderr.write(`\n${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
