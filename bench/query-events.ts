// Query-event overhead: the same workload (getGuildById on one guild, 4 concurrent callers) run through
//   baseline  DatabaseService.query as it was before query events (copied below: no event code path at all),
//   none      today's query with no listener attached,
//   listener  one onQuery listener that reads every event,
//   otel      instrumentOpenTelemetry with the SDK's BasicTracerProvider and a no-op exporter,
// in interleaved rounds (A B C D A B C D …) so drift of the machine hits all alike. Reports the medians of µs of
// wall time and of Node CPU per call, and the median of the per-round ratios against the baseline.
// `DATABASE_URL=… npm run bench:query-events -- [--rounds=N] [--calls=N]` (else the embedded server in .tux-db-bench).
// slowQueryMs is 0 in every variant: the slow-query warning reads the clock on its own, before and after this change.
import { parseArgs } from 'node:util';
import type { QueryConfig, QueryResult, QueryResultRow } from 'pg';
import { BasicTracerProvider, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { createDatabase } from '../src/container';
import type { DatabaseCoordinator } from '../src/coordinator';
import { DatabaseService } from '../src/service/database-service';
import { instrumentOpenTelemetry } from '../src/observability/otel';
import { runOnPool } from '../src/service/pool-statement';
import { convertError } from '../src/errors/convert-error';
import type { StatementOptions } from '../src/service/statement-runner';
import { BENCH_DATA_DIR } from './target';

const CALLERS = 4;
const GUILD = '900000000000000777';

type Query = DatabaseService['query'];

// The internals HEAD's query used, reached around `private` for the baseline only.
interface Internals {
  readonly transactions: DatabaseService['transactions'];
  readonly options: DatabaseService['options'];
  readonly listeners: ReadonlyArray<(text: string) => void>;
  readonly statementNames: { nameFor(text: string): string | undefined };
  unreachable: boolean;
  reachable(): void;
  openPool(): import('pg').Pool;
}

/** DatabaseService.query before query events, minus branches this workload never takes (lost prepared statements, guild races). */
function baselineQuery(service: DatabaseService): Query {
  const s = service as unknown as Internals;
  return async function query<R extends QueryResultRow>(text: string, values: unknown[], options?: StatementOptions): Promise<QueryResult<R>> {
    const config: QueryConfig = { text, values };
    if (options?.prepare && s.options.preparedStatements) {
      const name = s.statementNames.nameFor(text);
      if (name !== undefined) config.name = name;
    }
    for (const listener of s.listeners) listener(text);
    const context = s.transactions.getStore();
    const started = s.options.slowQueryMs > 0 ? performance.now() : 0;
    try {
      const result = context ? await context.statement<R>(config) : await runOnPool<R>(s.openPool(), config, options);
      if (s.unreachable) s.reachable();
      return result;
    } catch (e) {
      throw convertError(e);
    } finally {
      if (started > 0) void (performance.now() - started);
    }
  } as Query;
}

const noExport: SpanExporter = { export: (_spans, done) => done({ code: 0 }), shutdown: async () => undefined };

interface Variant {
  readonly name: string;
  attach(db: DatabaseCoordinator): () => void;
}

const VARIANTS: ReadonlyArray<Variant> = [
  {
    name: 'baseline (no event code)',
    attach: (db) => {
      const service = db.service as DatabaseService & { query: Query };
      service.query = baselineQuery(service);
      return () => {
        delete (service as Partial<{ query: Query }>).query;
      };
    },
  },
  { name: 'none attached', attach: () => () => undefined },
  {
    name: 'one listener',
    attach: (db) => {
      let total = 0;
      const stop = db.service.onQuery((e) => {
        total += e.durationMs + (e.rowCount ?? 0);
      });
      return () => {
        stop();
        if (Number.isNaN(total)) console.log(total);
      };
    },
  },
  {
    name: 'OpenTelemetry',
    attach: (db) => {
      const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(noExport)] });
      return instrumentOpenTelemetry(db.service, { tracer: provider.getTracer('bench') });
    },
  },
];

/** `calls` getGuildById calls from CALLERS concurrent callers; wall and CPU µs per call. */
async function round(db: DatabaseCoordinator, calls: number): Promise<{ wall: number; cpu: number }> {
  let left = calls;
  const caller = async (): Promise<void> => {
    while (left-- > 0) await db.guild.getGuildById(GUILD);
  };
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: CALLERS }, caller));
  const wallUs = Number(process.hrtime.bigint() - t0) / 1e3;
  const cpu = process.cpuUsage(cpu0);
  return { wall: wallUs / calls, cpu: (cpu.user + cpu.system) / calls };
}

function median(values: ReadonlyArray<number>): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '9' }, calls: { type: 'string', default: '3000' } } });
  const rounds = Number(values.rounds);
  const calls = Number(values.calls);
  const url = process.env['DATABASE_URL'] || undefined;
  const db = await createDatabase(url !== undefined ? { url, migrate: true, slowQueryMs: 0 } : { dataDir: BENCH_DATA_DIR, migrate: true, slowQueryMs: 0 });
  try {
    await db.guild.getOrCreateGuild(GUILD);
    const results = VARIANTS.map(() => ({ wall: [] as number[], cpu: [] as number[], wallRatio: [] as number[], cpuRatio: [] as number[] }));
    // One warm-up round of each, so the JIT and the prepared statements are settled before anything counts.
    for (let r = -1; r < rounds; r++) {
      const measured: Array<{ wall: number; cpu: number }> = [];
      // Each round starts with a different variant, so no variant always runs first (or right after another).
      for (let k = 0; k < VARIANTS.length; k++) {
        const i = (k + Math.max(r, 0)) % VARIANTS.length;
        const detach = (VARIANTS[i] as Variant).attach(db);
        measured[i] = await round(db, calls);
        detach();
      }
      if (r < 0) continue;
      const base = measured[0] as { wall: number; cpu: number };
      for (const [i, m] of measured.entries()) {
        const out = results[i] as (typeof results)[number];
        out.wall.push(m.wall);
        out.cpu.push(m.cpu);
        out.wallRatio.push(m.wall / base.wall);
        out.cpuRatio.push(m.cpu / base.cpu);
      }
    }
    console.log(`getGuildById, ${CALLERS} callers, ${rounds} rounds × ${calls} calls per variant, Node ${process.version}`);
    console.log('| variant | wall µs/call | Node CPU µs/call | × baseline (wall) | × baseline (CPU) |');
    console.log('| --- | ---: | ---: | ---: | ---: |');
    for (const [i, variant] of VARIANTS.entries()) {
      const out = results[i] as (typeof results)[number];
      console.log(`| ${variant.name} | ${median(out.wall).toFixed(1)} | ${median(out.cpu).toFixed(1)} | ${median(out.wallRatio).toFixed(3)} | ${median(out.cpuRatio).toFixed(3)} |`);
    }
  } finally {
    await db.guild.deleteGuild(GUILD);
    await db.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
