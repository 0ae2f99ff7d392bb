// The per-message workload of issue #15: a bot's gateway traffic over 50 guilds. Each message reads the prefix, checks
// AFK for up to two mentioned members and gives XP with a 60 s cooldown; every tenth is a command, checked against the
// member's roles. A second process changes prefixes, command requirements, role ranks and rank names meanwhile, and the
// reading process measures how long each change takes to show (bench/gateway-staleness.ts).
//
// The library without cache, with the memory cache, with the Redis backend, and raw pg sending the library's statements
// run in turn, in rounds, each with the same message streams; throughput ratios are paired by round (bench/interval.ts).
//
// `npm run bench:gateway -- [--quick] [--rounds N] [--seconds S] [--shards N] [--diagnose]` prints a Markdown report;
// DATABASE_URL picks the server (else an embedded one), TUX_TEST_REDIS_URL the Redis (default 127.0.0.1:6379).
import 'reflect-metadata';
import os from 'node:os';
import path from 'node:path';
import { DatabaseConnectionError } from '../src/errors/connection-error';
import { startEmbeddedDatabase } from '../src/service/open-data-source';
import { captureStatements, checkSameAnswers, COOLDOWN_SECONDS, openLibraryClient, RawPgClient, type CacheCounts, type GatewayClient } from './gateway-clients';
import { AddXpOnlyClient } from './gateway-diagnosis';
import { AUTHOR_BLOCKS, messageStream, type GatewayMessage } from './gateway-messages';
import { sharedNow } from './gateway-protocol';
import { redisCommandCalls } from './gateway-redis';
import { gatewayMarkdown, quantile, ratiosOf, type ClientRun, type GatewayReport } from './gateway-report';
import { StalenessProbe } from './gateway-staleness';
import { guildId, memberId, memberRoles, seedWorld, spreadCooldowns } from './gateway-world';
import { seededRandom, shuffled } from './order';

/** How big a run is. */
export interface GatewayOptions {
  readonly rounds: number;
  /** Each implementation's measured time per round. */
  readonly sliceSeconds: number;
  /** An unmeasured slice per implementation before the rounds (caches filled, statements prepared, code optimized). */
  readonly warmupSeconds: number;
  /** Concurrent message loops per implementation. */
  readonly shards: number;
  readonly guilds: number;
  readonly poolSize: number;
  /** The writer's mean pause between writes. */
  readonly writeIntervalMs: number;
  /** The staleness bound the delays are held to (issue #15: p99 ≤ 50 ms on localhost). */
  readonly boundMs: number;
  readonly seed: number;
  readonly redisUrl: string;
  /** Adds the row of bench/gateway-diagnosis.ts: the addXp statement alone, every read free. */
  readonly diagnose: boolean;
}

/**
 * A full run: 10 rounds of 6 s per implementation (about six and a half minutes with four implementations), after a
 * warm-up of 15 s each: long enough for every member of an implementation to have sent a message, so its cache holds
 * what a bot's that has run for a while holds, and the rounds measure that steady state.
 */
export const FULL: GatewayOptions = {
  rounds: 10,
  sliceSeconds: 6,
  warmupSeconds: 15,
  shards: 4,
  guilds: 50,
  poolSize: 10,
  writeIntervalMs: 250,
  boundMs: 50,
  seed: 15,
  redisUrl: process.env['TUX_TEST_REDIS_URL'] || 'redis://127.0.0.1:6379',
  diagnose: false,
};

/** A smoke run of about 30 s. */
export const QUICK: GatewayOptions = { ...FULL, rounds: 3, sliceSeconds: 1, warmupSeconds: 1, writeIntervalMs: 100 };

/**
 * The embedded server's data directory, kept between runs (seedWorld then only resets the probes; delete it after
 * changing bench/gateway-world.ts), and apart from the main bench's, so neither disturbs the other.
 */
const DATA_DIR = path.join(os.tmpdir(), 'tux-db-bench-gateway');

const UNCACHED = 'library, cache: false';
const MEMORY = "library, cache: 'memory'";
const REDIS = 'library, cache: { redis }';
const RAW = 'raw pg, same statements';
const ADDXP_ONLY = 'addXp statement alone, reads free';

interface Slice {
  readonly messages: number;
  readonly seconds: number;
  /** This process's CPU time (user and system) over the slice. */
  readonly cpuMs: number;
  readonly latenciesMs: number[];
  readonly errors: string[];
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function handle(client: GatewayClient, m: GatewayMessage, probe: StalenessProbe | undefined, now: Date): Promise<void> {
  const at = sharedNow();
  const prefix = await client.prefix(m.guildId);
  probe?.recordPrefix(client.name, m.guild, prefix, at);
  for (const mention of m.mentionIds) await client.isAfk(mention, m.guildId);
  await client.addXp(m.authorId, m.guildId, m.xp, now);
  if (m.command !== undefined) await client.canRun(m.guildId, m.command.name, m.command.roleIds);
}

// `shards` loops of `c`'s messages from streams seeded by `streamSeed`, with the authors of its block (see
// messageStream), for `seconds`; the probe, when given, measures writes meanwhile. The messages are dated on `c`'s
// own clock, which runs only while its slices do, as if it had run alone: its members' cooldowns end at the pace they
// would for a bot running without pause, not in a burst at the start of each slice.
async function runSlice(c: Contender, options: GatewayOptions, seconds: number, streamSeed: number, probe: StalenessProbe | undefined): Promise<Slice> {
  const { client } = c;
  const latenciesMs: number[] = [];
  const errors: string[] = [];
  let messages = 0;
  probe?.measure(client);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const deadline = started + seconds * 1_000;
  const clockAtStart = c.clockMs;
  const loop = async (shard: number): Promise<void> => {
    const next = messageStream(streamSeed * 64 + shard, options.guilds, c.block);
    while (performance.now() < deadline) {
      // A bot's messages arrive as socket events, each handled in an event-loop turn of its own; without this wait,
      // a loop whose calls all hit the cache would run on microtasks alone and starve the LISTEN connection (and the
      // staleness probe) of the turns they need to read their sockets.
      await nextTurn();
      const m = next();
      const t = performance.now();
      try {
        await handle(client, m, probe, new Date(clockAtStart + t - started));
      } catch (e) {
        errors.push(e instanceof Error ? e.message : String(e));
      }
      latenciesMs.push(performance.now() - t);
      messages++;
    }
  };
  await Promise.all(Array.from({ length: options.shards }, (_, shard) => loop(shard)));
  c.clockMs = clockAtStart + performance.now() - started;
  const elapsed = (performance.now() - started) / 1_000;
  const used = process.cpuUsage(cpu);
  probe?.measure(undefined);
  await probe?.settle();
  return { messages, seconds: elapsed, cpuMs: (used.user + used.system) / 1_000, latenciesMs, errors };
}

interface Contender {
  readonly client: GatewayClient;
  /** Whose members its messages give XP to (see messageStream). */
  readonly block: number;
  /** Its own clock (ms since the epoch), which advances only during its slices (see runSlice). */
  clockMs: number;
  /** False for the ceiling, which reads nothing: the writer pauses while it runs. */
  readonly probed: boolean;
  /** Whether its Redis commands are counted. */
  readonly redis: boolean;
  readonly rates: number[];
  readonly latenciesMs: number[];
  readonly errors: string[];
  messages: number;
  cpuMs: number;
  cache: { hits: number; misses: number } | undefined;
  redisCalls: Record<string, number> | undefined;
}

function addCalls(contender: Contender, before: Readonly<Record<string, number>> | undefined, after: Readonly<Record<string, number>> | undefined): void {
  if (before === undefined || after === undefined) return;
  const calls = (contender.redisCalls ??= {});
  for (const [command, n] of Object.entries(after)) calls[command] = (calls[command] ?? 0) + n - (before[command] ?? 0);
}

function addCounts(contender: Contender, before: CacheCounts | undefined, after: CacheCounts | undefined): void {
  if (before === undefined || after === undefined) return;
  const cache = (contender.cache ??= { hits: 0, misses: 0 });
  cache.hits += after.hits - before.hits;
  cache.misses += after.misses - before.misses;
}

/**
 * Runs the workload: server, seed, implementations, the writer process, warm-up, rounds; returns the report. Closes
 * everything it opened, also when it fails.
 * @throws Error when an implementation cannot be opened or raw pg answers differently from the library.
 */
export async function runGateway(options: GatewayOptions, progress: (line: string) => void = () => undefined): Promise<GatewayReport> {
  const load = os.loadavg()[0] ?? Number.NaN;
  const embedded = process.env['DATABASE_URL'] ? undefined : await startEmbeddedDatabase(DATA_DIR);
  const url = process.env['DATABASE_URL'] || (embedded?.url ?? '');
  const closers: Array<() => Promise<void>> = [];
  try {
    // The writer compiles and connects meanwhile; it writes nothing before the rounds ask it to.
    const starting = StalenessProbe.start(url, options.guilds, options.writeIntervalMs, options.seed, 2_000);
    // Handled here too, so a writer that fails while the seed runs is reported where it is awaited, not as unhandled.
    starting.catch(() => undefined);
    closers.push(async () => (await starting).stop());
    progress('connecting');
    const uncached = await openLibraryClient(UNCACHED, url, options.poolSize, false, true);
    closers.push(() => uncached.close());
    progress('seeding');
    await seedWorld(uncached.db, options.guilds);
    // Every implementation's clock starts here, with its members' cooldowns ending spread over the next minute.
    const origin = Date.now();
    await spreadCooldowns(uncached.db, options.guilds, AUTHOR_BLOCKS, COOLDOWN_SECONDS, origin, options.seed);
    const memory = await openLibraryClient(MEMORY, url, options.poolSize, 'memory');
    closers.push(() => memory.close());
    let redisSkip: string | undefined;
    const redis = await openLibraryClient(REDIS, url, options.poolSize, { redis: options.redisUrl }).catch((e: unknown) => {
      if (!(e instanceof DatabaseConnectionError)) throw e;
      redisSkip = e.message;
      return undefined;
    });
    if (redis) closers.push(() => redis.close());
    const statements = await captureStatements(uncached, guildId(0), memberId(0, 9), memberRoles(0, 9));
    const raw = new RawPgClient(RAW, url, options.poolSize, statements);
    closers.push(() => raw.close());
    const clients = [uncached, memory, ...(redis ? [redis] : []), raw];
    const ceiling = options.diagnose ? new AddXpOnlyClient(ADDXP_ONLY, uncached) : undefined;
    const sample = Array.from({ length: Math.min(5, options.guilds) }, (_, g) => guildId(g));
    const member = (guild: string): string => memberId(sample.indexOf(guild), 1);
    const roles = (guild: string): string[] => memberRoles(sample.indexOf(guild), 1);
    for (const other of clients.slice(1)) await checkSameAnswers(uncached, other, sample, member, roles);

    progress('waiting for the writer');
    const probe = await starting;
    const contenders: Contender[] = [...clients, ...(ceiling ? [ceiling] : [])].map((client, block) => ({
      client,
      block,
      clockMs: origin,
      probed: client !== ceiling,
      redis: client === redis,
      rates: [],
      latenciesMs: [],
      errors: [],
      messages: 0,
      cpuMs: 0,
      cache: undefined,
      redisCalls: undefined,
    }));
    const countCalls = (c: Contender): Promise<Readonly<Record<string, number>> | undefined> =>
      c.redis ? redisCommandCalls(options.redisUrl).catch((e: unknown) => void probe.problems.push(`Redis commands not counted: ${e instanceof Error ? e.message : String(e)}`)) : Promise.resolve(undefined);
    progress('warming up');
    for (const c of contenders) {
      await runSlice(c, options, options.warmupSeconds, options.seed, undefined);
      progress(`warmed up ${c.client.name}`);
    }
    const random = seededRandom(options.seed);
    for (let round = 0; round < options.rounds; round++) {
      for (const c of shuffled(contenders, random)) {
        const before = await c.client.cacheCounts();
        const callsBefore = await countCalls(c);
        const slice = await runSlice(c, options, options.sliceSeconds, options.seed + 1 + round, c.probed ? probe : undefined);
        addCalls(c, callsBefore, await countCalls(c));
        addCounts(c, before, await c.client.cacheCounts());
        c.rates[round] = slice.messages / slice.seconds;
        c.messages += slice.messages;
        c.cpuMs += slice.cpuMs;
        for (const l of slice.latenciesMs) c.latenciesMs.push(l);
        c.errors.push(...slice.errors);
      }
      progress(`round ${round + 1}/${options.rounds}: ${contenders.map((c) => `${c.client.name} ${Math.round(c.rates[round] ?? 0)}/s`).join(', ')}`);
    }
    await probe.stop();

    const runs: ClientRun[] = contenders.map((c) => ({
      name: c.client.name,
      skipped: undefined,
      rates: c.rates,
      latencyMs: { p50: quantile(c.latenciesMs, 0.5), p99: quantile(c.latenciesMs, 0.99) },
      messages: c.messages,
      cpuMsPerMessage: c.cpuMs / Math.max(1, c.messages),
      cache: c.cache,
      redisCallsPerMessage: c.redisCalls === undefined ? undefined : Object.fromEntries(Object.entries(c.redisCalls).map(([k, n]) => [k, n / Math.max(1, c.messages)])),
      errors: c.errors,
      staleness: probe.samplesOf(c.client.name),
      traffic: probe.traffic(c.client.name, options.boundMs),
    }));
    if (redisSkip !== undefined) {
      const none = { rates: [], latencyMs: { p50: Number.NaN, p99: Number.NaN }, messages: 0, cpuMsPerMessage: Number.NaN, cache: undefined, redisCallsPerMessage: undefined, errors: [], staleness: [] };
      runs.splice(2, 0, { name: REDIS, skipped: redisSkip, ...none, traffic: { reads: 0, beyondBound: 0, maxLagMs: 0 } });
    }
    const goals = { [MEMORY]: { direction: 'at least', value: 5 }, [REDIS]: { direction: 'at least', value: 2 } } as const;
    return {
      settings: {
        server: embedded ? 'embedded PostgreSQL' : 'DATABASE_URL',
        rounds: options.rounds,
        'seconds per slice': options.sliceSeconds,
        shards: options.shards,
        guilds: options.guilds,
        'pool size': options.poolSize,
        'mean write interval ms': options.writeIntervalMs,
        seed: options.seed,
        'load average (1 min) at start / end': `${load.toFixed(1)} / ${(os.loadavg()[0] ?? Number.NaN).toFixed(1)}`,
        cores: os.cpus().length,
      },
      runs,
      ratios: ratiosOf(runs, UNCACHED, goals),
      boundMs: options.boundMs,
      problems: probe.problems,
    };
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    await embedded?.server.stop();
  }
}

function parseArgs(argv: ReadonlyArray<string>): GatewayOptions {
  let options: GatewayOptions = argv.includes('--quick') ? QUICK : FULL;
  const numberAfter = (flag: string): number | undefined => {
    const at = argv.indexOf(flag);
    if (at < 0) return undefined;
    const value = Number(argv[at + 1]);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`${flag} needs a positive number`);
    return value;
  };
  const rounds = numberAfter('--rounds');
  const seconds = numberAfter('--seconds');
  const shards = numberAfter('--shards');
  const seed = numberAfter('--seed');
  if (rounds !== undefined) options = { ...options, rounds };
  if (seconds !== undefined) options = { ...options, sliceSeconds: seconds };
  if (shards !== undefined) options = { ...options, shards };
  if (seed !== undefined) options = { ...options, seed };
  if (argv.includes('--diagnose')) options = { ...options, diagnose: true };
  return options;
}

if (require.main === module) {
  const started = performance.now();
  Promise.resolve()
    .then(() => runGateway(parseArgs(process.argv.slice(2)), (line) => process.stderr.write(`${((performance.now() - started) / 1_000).toFixed(1)} s: ${line}\n`)))
    .then(
      (report) => {
        console.log(gatewayMarkdown(report));
        console.log(`\n(${((performance.now() - started) / 1_000).toFixed(0)} s in all)`);
      },
      (e: unknown) => {
        console.error(e);
        process.exitCode = 1;
      },
    );
}
