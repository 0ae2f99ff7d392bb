// CLI start time: `node bin/tux-db.js help` against `node -e 0`, as whole processes, run in turn (A B A B …)
// so drift of the machine hits both alike; prints each command's median wall time and the median of
// the per-pair ratios. `npm run bench:cli-start -- [--runs=N]` (runs the compiled dist/: `npm run build` first).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = path.join(__dirname, '..');

/** Runs `args` under node once, from the package root; returns its wall time in ms, throws when it fails. */
function runOnce(args: ReadonlyArray<string>): number {
  const start = process.hrtime.bigint();
  const child = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (child.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${String(child.status)}: ${child.stderr.toString().trim()}`);
  return wallMs;
}

/** The median of a non-empty list. */
function median(values: ReadonlyArray<number>): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function main(): void {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' } } });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, not ${values.runs}`);
  const cli = ['bin/tux-db.js', 'help'];
  const bare = ['-e', '0'];
  // One warm-up of each fills the OS file cache, so every counted run reads the same way.
  runOnce(cli);
  runOnce(bare);
  const cliMs: number[] = [];
  const bareMs: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < runs; i++) {
    const a = runOnce(cli);
    const b = runOnce(bare);
    cliMs.push(a);
    bareMs.push(b);
    ratios.push(a / b);
  }
  const fmt = (ms: number): string => `${ms.toFixed(0)} ms`;
  console.log(`tux-db help vs node -e 0, ${runs} pairs (wall time, whole processes, Node ${process.version})`);
  console.log(`tux-db help: median ${fmt(median(cliMs))} (min ${fmt(Math.min(...cliMs))}, max ${fmt(Math.max(...cliMs))})`);
  console.log(`node -e 0:   median ${fmt(median(bareMs))} (min ${fmt(Math.min(...bareMs))}, max ${fmt(Math.max(...bareMs))})`);
  console.log(`ratio (median of per-pair ratios): ${median(ratios).toFixed(2)}× (min ${Math.min(...ratios).toFixed(2)}, max ${Math.max(...ratios).toFixed(2)}); target < 3×`);
}

main();
