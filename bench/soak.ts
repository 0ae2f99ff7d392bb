// The scale-out soak: several bot processes behind PgBouncer (transaction mode, fewer server connections than
// clients) with a streaming replica, all doing moderation, XP and reminder traffic in the same guilds for a while.
// Then it checks what must hold: no errors, no stale read, case numbers gapless per guild, the XP of every
// acknowledged addXp, and every reminder claimed exactly once. `npm run bench:soak -- [processes] [seconds]`
// prints the figures (bench/RESULTS.md keeps a run); test/reliability/soak.spec.ts runs a short one.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { Client } from 'pg';
import { createDatabase } from '../src/container';
import { startPgBouncer } from '../test/support/pgbouncer';
import { startReplicaPair } from '../test/support/replica-pair';
import type { SoakWorkerReport } from './soak-worker';

/** How big a soak is. */
export interface SoakOptions {
  readonly processes: number;
  readonly seconds: number;
  /** Each process's pool, and how many events it runs at once. */
  readonly poolSize: number;
  /** PgBouncer's server connections for the database (fewer than processes × poolSize, so it multiplexes). */
  readonly serverPoolSize: number;
  readonly guilds: number;
}

/** What a soak found: the figures and every broken promise (empty lists when all held). */
export interface SoakResult {
  readonly options: SoakOptions;
  readonly events: number;
  readonly eventsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly cases: number;
  readonly xp: number;
  readonly reminders: number;
  readonly onReplica: number;
  readonly onPrimary: number;
  readonly errors: ReadonlyArray<string>;
  readonly stale: ReadonlyArray<string>;
  /** Guilds whose case numbers are not exactly 1..n, or whose n differs from the acknowledged createCase calls. */
  readonly numbering: ReadonlyArray<string>;
  /** Reminders claimed twice, or never. */
  readonly reminderProblems: ReadonlyArray<string>;
  /** Acknowledged addXp calls whose XP is missing. */
  readonly xpProblems: ReadonlyArray<string>;
}

function worker(env: Record<string, string>): Promise<SoakWorkerReport> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'soak-worker.ts')], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((resolve, reject) =>
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim()) as SoakWorkerReport) : reject(new Error(`soak worker exited with ${code}: ${err}`)))),
  );
}

const percentile = (sorted: ReadonlyArray<number>, p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

/**
 * Builds a primary with a streaming standby (PostgreSQL 15 binaries) and a PgBouncer in front of the primary, runs
 * the soak, checks the data, and removes all of it.
 * @example
 * const result = await runSoak({ processes: 8, seconds: 60, poolSize: 4, serverPoolSize: 8, guilds: 4 });
 */
export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const pair = await startReplicaPair();
  const bouncer = await startPgBouncer(pair.primaryUrl, options.serverPoolSize).catch(async (e: unknown) => {
    await pair.remove();
    throw e;
  });
  try {
    const setup = await createDatabase({ url: pair.primaryUrl });
    await setup.close();
    const guilds = Array.from({ length: options.guilds }, (_, i) => String(7_000 + i));
    const env = {
      DATABASE_URL: bouncer.url,
      TUX_DB_BEHIND_POOLER: '1',
      TUX_DB_REPLICAS: pair.standbyUrl,
      SOAK_SECONDS: String(options.seconds),
      SOAK_GUILDS: guilds.join(','),
      SOAK_CONCURRENCY: String(options.poolSize),
      SOAK_POOL_SIZE: String(options.poolSize),
    };
    const reports = await Promise.all(Array.from({ length: options.processes }, () => worker(env)));
    return await check(pair.primaryUrl, options, reports);
  } finally {
    await bouncer.stop();
    await pair.remove();
  }
}

async function check(primaryUrl: string, options: SoakOptions, reports: ReadonlyArray<SoakWorkerReport>): Promise<SoakResult> {
  const db = await createDatabase({ url: primaryUrl, migrate: false });
  const client = new Client({ connectionString: primaryUrl });
  await client.connect();
  try {
    // The reminders still due when the processes stopped are claimed now; after that each must be claimed once.
    const claimed = reports.flatMap((r) => r.claimed);
    for (let batch = await db.reminder.claimDueReminders(new Date(), 100); batch.length > 0; batch = await db.reminder.claimDueReminders(new Date(), 100)) {
      claimed.push(...batch.map((r) => r.reminderId));
    }
    const created = new Set(reports.flatMap((r) => r.reminders));
    const seen = new Map<string, number>();
    for (const id of claimed) seen.set(id, (seen.get(id) ?? 0) + 1);
    const reminderProblems = [
      ...[...seen].filter(([, n]) => n > 1).map(([id, n]) => `reminder ${id} claimed ${n} times`),
      ...[...created].filter((id) => !seen.has(id)).map((id) => `reminder ${id} never claimed`),
    ];

    const cases = reports.reduce((n, r) => n + r.cases, 0);
    const rows = (await client.query<{ guild_id: string; n: string; top: number; distinct_numbers: string }>(
      'SELECT guild_id::text, count(*) AS n, max(case_number) AS top, count(DISTINCT case_number) AS distinct_numbers FROM cases GROUP BY guild_id',
    )).rows;
    const numbering = rows.filter((r) => Number(r.n) !== r.top || r.n !== r.distinct_numbers).map((r) => `guild ${r.guild_id}: ${r.n} cases, numbers up to ${r.top}, ${r.distinct_numbers} distinct`);
    const stored = rows.reduce((n, r) => n + Number(r.n), 0);
    if (stored !== cases) numbering.push(`${cases} createCase calls acknowledged, ${stored} cases stored`);

    const xp = reports.reduce((n, r) => n + r.xp, 0);
    const storedXp = Number((await client.query<{ total: string | null }>('SELECT sum(xp) AS total FROM levels')).rows[0]?.total ?? 0);
    const xpProblems = storedXp === xp ? [] : [`${xp} addXp(…, 1) calls acknowledged, ${storedXp} XP stored`];

    const latencies = reports.flatMap((r) => r.latenciesMs).sort((a, b) => a - b);
    return {
      options,
      events: latencies.length,
      // Each process runs events for `seconds` once it started; its start-up is not counted.
      eventsPerSecond: Math.round(latencies.length / options.seconds),
      p50Ms: Math.round(percentile(latencies, 0.5) * 10) / 10,
      p99Ms: Math.round(percentile(latencies, 0.99) * 10) / 10,
      cases,
      xp,
      reminders: created.size,
      onReplica: reports.reduce((n, r) => n + r.onReplica, 0),
      onPrimary: reports.reduce((n, r) => n + r.onPrimary, 0),
      errors: reports.flatMap((r) => r.errors),
      stale: reports.flatMap((r) => r.stale),
      numbering,
      reminderProblems,
      xpProblems,
    };
  } finally {
    await client.end();
    await db.close();
  }
}

if (require.main === module) {
  const [processes = 8, seconds = 60] = process.argv.slice(2).map(Number);
  runSoak({ processes, seconds, poolSize: 4, serverPoolSize: 8, guilds: 4 }).then(
    (result) => {
      const { errors, stale, numbering, reminderProblems, xpProblems, ...figures } = result;
      console.log(JSON.stringify(figures, null, 2));
      const problems = [...errors, ...stale, ...numbering, ...reminderProblems, ...xpProblems];
      console.log(problems.length === 0 ? 'all promises held' : `PROBLEMS:\n${problems.slice(0, 50).join('\n')}`);
      process.exitCode = problems.length === 0 ? 0 : 1;
    },
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
