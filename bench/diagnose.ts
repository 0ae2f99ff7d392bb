// Focused experiments behind the bench's findings (issue #18): why one implementation is faster than another.
//   npm run bench:diagnose -- [--impl=ceiling,postgres-js] [--op=count,getById,findAll] [--parts=wire,speed,profile] \
//     [--rounds=8] [--callers=1,8,64] [--seed=N]
// (ops: count, getById, findAll, createCase, create, createMany, createCases; implementations: library and the bench's --impl keys)
// on the server a bench run seeded (.tux-db-bench, or DATABASE_URL). The first implementation is the baseline.
//   wire     protocol messages, bytes and socket chunks per op each way, and the most statements one connection had
//            in flight (pipelining), through a counting proxy;
//   speed    speed and client CPU per op at each caller count, paired rounds in random order (the bench's estimator);
//   profile  where the client CPU goes at 8 callers, from V8's sampling profiler, by category and by function.
import { parseArgs } from 'node:util';
import { Pool } from 'pg';
import { createDatabase } from '../src/container';
import { startEmbeddedDatabase } from '../src/service/open-data-source';
import { profileCpu, type CpuBreakdown } from './cpu-profile';
import type { Implementation } from './implementation';
import { openLibrary } from './impl/library';
import { ignoreIdleErrors } from './impl/raw-pg';
import { OPENERS } from './implementations';
import { pairedRatio } from './interval';
import { fixed, table } from './markdown';
import { freshSeed, seededRandom, shuffled, type Random } from './order';
import { libraryPoolSettings } from './pool-settings';
import { newCase, RunGuilds, seed, userId, type Seed } from './seed';
import { BENCH_DATA_DIR } from './target';
import { WireCensus } from './wire-census';

const POOL_SIZE = 10;

type Op = (impl: Implementation, seq: number) => Promise<unknown>;

function pick<T>(items: ReadonlyArray<T>, seq: number): T {
  return items[(seq * 2_654_435_761) % items.length] as T;
}

async function opsOf(s: Seed, guilds: RunGuilds): Promise<Record<string, Op>> {
  const spread = await guilds.create(1000);
  const [reminderGuild = ''] = await guilds.create(1);
  return {
    count: (impl, seq) => impl.countUserCases(s.readGuild, pick(s.users, seq)),
    getById: (impl, seq) => impl.getCase(pick(s.caseIds, seq)),
    findAll: (impl, seq) => impl.findUserCases(s.readGuild, pick(s.users, seq), 50),
    createCase: (impl, seq) => impl.createCase(spread[seq % spread.length] as string, newCase(seq)),
    // A raid ban: 500 cases in one call, spread over the guilds so callers do not queue on one counter row.
    createCases: (impl, seq) => impl.createCases(spread[seq % spread.length] as string, Array.from({ length: 500 }, (_, i) => newCase(seq * 500 + i))),
    create: (impl, seq) =>
      impl.createReminder({ reminderContent: `remind me ${seq}`, reminderExpiresAt: new Date(1_900_000_000_000 + seq), reminderChannelId: userId(2_000_000), reminderUserId: userId(seq % 1000), guildId: reminderGuild }),
    createMany: (impl, seq) =>
      impl.createReminders(
        Array.from({ length: 100 }, (_, i) => ({
          reminderContent: `remind me ${seq}.${i}`,
          reminderExpiresAt: new Date(1_900_000_000_000 + i),
          reminderChannelId: userId(2_000_000),
          reminderUserId: userId(i),
          guildId: reminderGuild,
        })),
      ),
  };
}

async function openAll(keys: ReadonlyArray<string>, url: string): Promise<Implementation[]> {
  const settings = libraryPoolSettings(url, POOL_SIZE);
  const impls: Implementation[] = [];
  for (const key of keys) {
    const opener = OPENERS[key];
    if (key === 'library') impls.push(await openLibrary('library', { url, poolSize: POOL_SIZE, migrate: false }));
    else if (opener) impls.push(await opener(url, settings));
    else throw new Error(`unknown implementation ${key}: library, ${Object.keys(OPENERS).join(', ')}`);
  }
  return impls;
}

async function drive(impl: Implementation, op: Op, callers: number, until: () => boolean, counter: { seq: number }): Promise<void> {
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (!until()) await op(impl, counter.seq++);
    }),
  );
}

async function wire(keys: ReadonlyArray<string>, url: string, ops: Record<string, Op>): Promise<string> {
  const census = new WireCensus();
  const target = new URL(url);
  const port = await census.listen(target.hostname, Number(target.port || 5432));
  target.hostname = '127.0.0.1';
  target.port = String(port);
  const impls = await openAll(keys, target.toString());
  const rows: string[][] = [];
  const pipelining: string[][] = [];
  try {
    for (const [name, op] of Object.entries(ops)) {
      for (const impl of impls) {
        const counter = { seq: 0 };
        await drive(impl, op, 1, () => counter.seq >= 50, counter);
        census.reset();
        const n = 200;
        await drive(impl, op, 1, () => counter.seq >= 50 + n, counter);
        const c = census.snapshot();
        const per = (x: number): string => fixed(x / n, 1);
        const kinds = (m: Record<string, number>): string =>
          Object.entries(m)
            .sort()
            .map(([k, v]) => `${k}×${per(v)}`)
            .join(' ');
        rows.push([name, impl.name, kinds(c.fromClient.messages), kinds(c.fromServer.messages), per(c.fromClient.bytes), per(c.fromServer.bytes), per(c.fromClient.chunks), per(c.fromServer.chunks)]);
        census.reset();
        const start = counter.seq;
        await drive(impl, op, 64, () => counter.seq >= start + 2000, counter);
        pipelining.push([name, impl.name, String(census.snapshot().maxInFlight)]);
      }
    }
  } finally {
    for (const impl of impls) await impl.close();
    await census.close();
  }
  return [
    '## On the wire (one caller, per op; through a counting proxy)',
    '',
    'Client messages: P Parse, B Bind, D Describe, E Execute, S Sync, Q Query. Server messages: 1 ParseComplete, 2 BindComplete, ' +
      'T RowDescription, t ParameterDescription, D DataRow, C CommandComplete, Z ReadyForQuery. Chunks: socket reads on the proxy, a lower bound on the writes.',
    '',
    table(['op', 'implementation', 'client → server', 'server → client', 'bytes sent', 'bytes received', 'chunks sent', 'chunks received'], rows),
    '',
    'Most statements one connection had in flight (Sync sent, ReadyForQuery not yet back) with 64 callers on a pool of 10:',
    '',
    table(['op', 'implementation', 'max in flight per connection'], pipelining),
  ].join('\n');
}

async function speed(keys: ReadonlyArray<string>, url: string, ops: Record<string, Op>, rounds: number, callerCounts: ReadonlyArray<number>, random: Random): Promise<string> {
  const impls = await openAll(keys, url);
  const rows: string[][] = [];
  const base = impls[0]?.name ?? '';
  const others = impls.slice(1);
  try {
    for (const [name, op] of Object.entries(ops)) {
      for (const callers of callerCounts) {
        const rates = new Map<string, number[]>(impls.map((i) => [i.name, []]));
        const cpu = new Map<string, { micros: number; ops: number }>(impls.map((i) => [i.name, { micros: 0, ops: 0 }]));
        const counter = { seq: 0 };
        for (let round = 0; round <= rounds; round++) {
          for (const impl of shuffled(impls, random)) {
            const first = counter.seq;
            const start = performance.now();
            const cpuStart = process.cpuUsage();
            const deadline = start + (round === 0 ? 300 : 500);
            await drive(impl, op, callers, () => performance.now() >= deadline, counter);
            const used = process.cpuUsage(cpuStart);
            if (round === 0) continue;
            rates.get(impl.name)?.push((counter.seq - first) / ((performance.now() - start) / 1000));
            const c = cpu.get(impl.name);
            if (c) {
              c.micros += used.user + used.system;
              c.ops += counter.seq - first;
            }
          }
        }
        const mean = (xs: ReadonlyArray<number>): number => xs.reduce((s, x) => s + x, 0) / xs.length;
        const cpuPer = (n: string): string => fixed((cpu.get(n)?.micros ?? 0) / (cpu.get(n)?.ops || 1), 0);
        const ratios = others.map((o) => {
          const r = pairedRatio(rates.get(o.name) ?? [], rates.get(base) ?? []);
          return r?.interval ? `${fixed(r.estimate, 2)} (${fixed(r.interval.low, 2)}–${fixed(r.interval.high, 2)})` : '–';
        });
        rows.push([name, String(callers), ...impls.map((i) => fixed(mean(rates.get(i.name) ?? []), 0)), ...ratios, ...impls.map((i) => cpuPer(i.name))]);
      }
    }
  } finally {
    for (const impl of impls) await impl.close();
  }
  const header = ['op', 'callers', ...impls.map((i) => `${i.name} ops/s`), ...others.map((o) => `${o.name} ÷ ${base} (95%)`), ...impls.map((i) => `${i.name} CPU µs/op`)];
  return [`## Speed and client CPU (${rounds} paired rounds of 0.5 s, random order)`, '', table(header, rows)].join('\n');
}

function breakdownTable(name: string, results: ReadonlyArray<{ impl: string; ops: number; cpu: CpuBreakdown }>): string {
  const categories = [...new Set(results.flatMap((r) => Object.keys(r.cpu.byCategory)))].filter((c) => c !== 'idle / program').sort();
  const rows = categories.map((c) => [c, ...results.map((r) => fixed((r.cpu.byCategory[c] ?? 0) / r.ops, 1))]);
  rows.push(['**total (sampled)**', ...results.map((r) => fixed(r.cpu.totalMicros / r.ops, 1))]);
  const top = results.map((r) => `Top functions, ${r.impl} (µs/op): ${r.cpu.topFunctions.slice(0, 10).map((f) => `${f.name} ${fixed(f.micros / r.ops, 1)}`).join('; ')}.`);
  return [`### ${name}, 8 callers (µs of sampled main-thread time per op)`, '', table(['category', ...results.map((r) => r.impl)], rows), '', ...top.flatMap((t) => [t, ''])].join('\n');
}

async function profiles(keys: ReadonlyArray<string>, url: string, ops: Record<string, Op>): Promise<string> {
  const impls = await openAll(keys, url);
  const sections: string[] = [];
  try {
    for (const [name, op] of Object.entries(ops)) {
      const results: { impl: string; ops: number; cpu: CpuBreakdown }[] = [];
      for (const impl of impls) {
        const counter = { seq: 0 };
        let deadline = performance.now() + 500;
        await drive(impl, op, 8, () => performance.now() >= deadline, counter);
        const start = counter.seq;
        const cpu = await profileCpu(async () => {
          deadline = performance.now() + 3000;
          await drive(impl, op, 8, () => performance.now() >= deadline, counter);
        });
        results.push({ impl: impl.name, ops: counter.seq - start, cpu });
      }
      sections.push(breakdownTable(name, results));
    }
  } finally {
    for (const impl of impls) await impl.close();
  }
  return ['## Where the client CPU goes (V8 sampling profiler, 3 s each)', '', ...sections].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      impl: { type: 'string', default: 'ceiling,postgres-js' },
      op: { type: 'string', default: 'count,getById,findAll' },
      parts: { type: 'string', default: 'wire,speed,profile' },
      rounds: { type: 'string', default: '8' },
      callers: { type: 'string', default: '1,8,64' },
      seed: { type: 'string' },
    },
  });
  // As in the bench: the library's database path, without its read cache.
  process.env['TUX_DB_CACHE'] = 'off';
  const keys = values.impl.split(',');
  const parts = values.parts.split(',');
  const seedValue = values.seed === undefined ? freshSeed() : Number(values.seed);
  const embedded = process.env['DATABASE_URL'] ? undefined : await startEmbeddedDatabase(BENCH_DATA_DIR);
  const url = process.env['DATABASE_URL'] ?? embedded?.url ?? '';
  // A server no bench run has used yet has no tables: apply the migrations before seeding, as the bench does.
  await (await createDatabase({ url, migrate: true, poolSize: 1 })).close();
  const admin = ignoreIdleErrors(new Pool({ connectionString: url, max: 2 }));
  const guilds = new RunGuilds(admin);
  try {
    const seeded = await seed(admin, { cases: 100_000, users: 1_000, updateRows: 10_000, memoryRows: 0 }, () => undefined);
    const all = await opsOf(seeded, guilds);
    const ops = Object.fromEntries(values.op.split(',').map((k) => [k, all[k] ?? failUnknown(k, Object.keys(all))]));
    const out = [`# ${keys.join(' vs ')} (seed ${seedValue}, ${new Date().toISOString()})`, ''];
    if (parts.includes('wire')) out.push(await wire(keys, url, ops), '');
    if (parts.includes('speed')) out.push(await speed(keys, url, ops, Number(values.rounds), values.callers.split(',').map(Number), seededRandom(seedValue)), '');
    if (parts.includes('profile')) out.push(await profiles(keys, url, ops), '');
    process.stdout.write(out.join('\n'));
  } finally {
    await guilds.clear().catch(() => undefined);
    await admin.end();
    await embedded?.server.stop();
  }
}

function failUnknown(op: string, known: ReadonlyArray<string>): never {
  throw new Error(`unknown op ${op}: ${known.join(', ')}`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
