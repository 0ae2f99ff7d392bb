import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runBench } from './bench';
import { writeCharts } from './charts';
import { FULL as GATEWAY_FULL, QUICK as GATEWAY_QUICK, runGateway } from './gateway';
import { gatewayMarkdown, type GatewayReport } from './gateway-report';
import { DEFAULT_IMPLS, OPENERS } from './implementations';
import { freshSeed } from './order';
import { sqlDrift, toMarkdown, type BenchReport } from './report';
import type { Plan, Progress } from './runner';
import type { SeedSize } from './seed';
import { CURVE_CLIENTS, curveWorkloads, mainWorkloads } from './workloads';

const CHART_DIR = path.join(__dirname, 'charts');

const USAGE = `Usage: npm run bench -- [--quick] [--json] [--charts] [--save=FILE] [--from=FILE] [--seed=N] [--impl=a,b,…] [--workload=a,b,…] [--rounds=N] [--seconds=S] [--no-curves] [--no-gateway]
Runs on DATABASE_URL when set, else on the embedded server in .tux-db-bench; then the gateway workload (the cache;
bench/gateway.ts, also alone as npm run bench:gateway) unless --impl, --workload or --no-gateway is given.
  --quick       smoke run (2 short rounds, 50 single createCase calls, curves at 64 callers only, memory walk over the read guild, a short gateway run), about a minute and a half
  --json        print the report as JSON instead of Markdown (run it as npm run -s bench -- --json to keep npm's banner out of stdout)
  --charts      draw the SVG charts into bench/charts/ from this run's report (or from --from's)
  --save=FILE   also write the report as JSON to FILE
  --from=FILE   measure nothing: read a report saved with --save (with --charts, redraw its charts)
  --seed=N      the seed of the per-round order (default: a fresh one, printed in the report)
  --impl        implementations (library, ${Object.keys(OPENERS).join(', ')}); default ${DEFAULT_IMPLS.join(',')}
  --workload    workload ids (${mainWorkloads().map((w) => w.id).join(', ')}); default all
  --no-curves   skip the concurrency curves
  --no-gateway  skip the gateway workload
  --rounds, --seconds   measured rounds (of every phase) and seconds per implementation per round
Exit status 1 when an implementation gave a wrong answer, one meant to send the library's SQL sent other SQL (a
stale copy in bench/impl/library-sql.ts), or the bench crashed; verdicts never change it.`;

const POOL_SIZE = 10;
// A 0.3 s warm-up and 10 rounds of 0.35 s a workload per implementation (5 for the curves); slow workloads scale
// their slices (Workload.sliceScale). Slices run in interleaved chunks of 0.05 s or more (Plan.interleaveSeconds).
// About 13.5 minutes with the 9 default implementations, and 4.5 more for 60 head-to-head rounds of the library and
// the ceiling on the six ceiling targets: twice the 30 of earlier runs, for intervals about 1/√2 as wide.
const FULL: Plan = { rounds: 10, curveRounds: 5, headToHeadRounds: 60, warmupSeconds: 0.3, sliceSeconds: 0.35, interleaveSeconds: 0.05, resetBeforeSlices: true };
// A smoke run: one op per client to warm up, two short rounds, no VACUUM between updateWhere's slices, which
// updates a guild of 2,000 cases; 50 single createCase calls against the batch instead of 500, one curve point
// (64 callers), and a memory walk over 20,000 cases of the read guild.
const QUICK: Plan = { rounds: 2, curveRounds: 2, headToHeadRounds: 2, warmupSeconds: 0.01, sliceSeconds: 0.05, interleaveSeconds: 0.025, resetBeforeSlices: false };
const QUICK_SINGLES = 50;
const QUICK_CURVE_CLIENTS = [64];
const FULL_SEED: SeedSize = { cases: 100_000, users: 1_000, updateRows: 10_000, memoryRows: 1_000_000 };
const QUICK_SEED: SeedSize = { ...FULL_SEED, updateRows: 2_000, memoryRows: 0 };

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

/** What a run reports and --save writes: the workloads, and the gateway workload when it ran. */
type RunReport = BenchReport & { readonly gateway?: GatewayReport };

// Implementations that gave a wrong answer or failed: in a workload, or in the gateway workload.
function wrongAnswers(report: RunReport): number {
  const gateway = report.gateway?.runs.filter((r) => r.errors.length > 0).length ?? 0;
  return gateway + report.workloads.reduce((n, w) => n + w.results.filter((r) => r.error !== undefined).length, 0);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      charts: { type: 'boolean', default: false },
      save: { type: 'string' },
      from: { type: 'string' },
      seed: { type: 'string' },
      impl: { type: 'string' },
      workload: { type: 'string' },
      rounds: { type: 'string' },
      seconds: { type: 'string' },
      'no-curves': { type: 'boolean', default: false },
      'no-gateway': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  let report: RunReport;
  if (values.from !== undefined) {
    report = JSON.parse(readFileSync(values.from, 'utf8')) as RunReport;
  } else {
    const base = values.quick ? QUICK : FULL;
    const rounds = Number(values.rounds ?? base.rounds);
    const plan: Plan = { ...base, rounds, curveRounds: values.rounds === undefined ? base.curveRounds : rounds, headToHeadRounds: values.rounds === undefined ? base.headToHeadRounds : rounds, sliceSeconds: Number(values.seconds ?? base.sliceSeconds) };
    const main = mainWorkloads(values.quick ? QUICK_SINGLES : undefined);
    const mainIds = list(values.workload, main.map((w) => w.id), main.map((w) => w.id));
    const curves = values['no-curves'] || values.workload !== undefined ? [] : curveWorkloads(values.quick ? QUICK_CURVE_CLIENTS : CURVE_CLIENTS);
    // The bench measures the library's database path: its read cache (when this version has one) stays off.
    process.env['TUX_DB_CACHE'] = 'off';
    report = await runBench(
      {
        command: `${process.env['DATABASE_URL'] ? 'DATABASE_URL=… ' : ''}npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
        plan,
        seed: values.seed === undefined ? freshSeed() : Number(values.seed),
        impls: list(values.impl, ['library', ...Object.keys(OPENERS)], DEFAULT_IMPLS),
        workloads: [...main.filter((w) => mainIds.includes(w.id)), ...curves],
        seedSize: values.quick ? QUICK_SEED : FULL_SEED,
        walkRows: values.quick ? 20_000 : FULL_SEED.memoryRows,
        checkpointRows: values.quick ? 2_000 : 50_000,
        poolSize: POOL_SIZE,
      },
      progressLine(),
    );
    if (!values['no-gateway'] && values.impl === undefined && values.workload === undefined) {
      const gateway = await runGateway(values.quick ? GATEWAY_QUICK : GATEWAY_FULL, (line) => process.stderr.write(`gateway: ${line}\n`));
      report = { ...report, gateway };
    }
  }
  if (values.save !== undefined) writeFileSync(values.save, `${JSON.stringify(report, null, 2)}\n`);
  if (values.charts) {
    mkdirSync(CHART_DIR, { recursive: true });
    const written = writeCharts(report, CHART_DIR);
    process.stderr.write(`charts: ${written.map((f) => path.relative(process.cwd(), f)).join(', ')}\n`);
  }
  const gateway = report.gateway ? `\n## Gateway workload (the cache; bench/gateway.ts)\n\n${gatewayMarkdown(report.gateway)}\n` : '';
  process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${toMarkdown(report)}${gateway}`);
  const wrong = wrongAnswers(report);
  if (wrong > 0) {
    process.stderr.write(`${wrong} wrong answer${wrong === 1 ? '' : 's'}: see the report\n`);
    process.exitCode = 1;
  }
  const drift = sqlDrift(report).length;
  if (drift > 0) {
    process.stderr.write(`${drift} result${drift === 1 ? '' : 's'} not on the library's SQL: update bench/impl/library-sql.ts (see the report)\n`);
    process.exitCode = 1;
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`\n${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
