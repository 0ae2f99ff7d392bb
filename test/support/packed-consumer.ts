import { existsSync, rmSync } from 'node:fs';
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { ROOT, runCommand, type CommandResult } from './run-command';

// A bot author's project: `npm pack` of the dist/ that `npm test` has just built, installed from the local npm cache
// into a fresh temp directory. Packing and installing take most of a minute, so every consumer spec of one mocha run
// shares one installation; it is removed when the process exits.

/**
 * What the consumer installs besides the tarball: the versions the package is tested with, and TypeScript 7 (what a
 * bot's `npm i -D typescript` gets; 7.0.2 is the newest on the registry), whose missing JS API breaks ts-node, so the
 * typeorm CLI must work through the compiled data source. The consumer specs compile with this repository's
 * TypeScript, not the consumer's, unless they say otherwise.
 */
export const CONSUMER_DEPENDENCIES = ['sinon@22.1.0', '@types/sinon@22.0.2', '@types/node@20.19.43', 'typescript@7.0.2', 'mocha@12.0.3', '@types/mocha@10.0.10'] as const;

/** Fails with the command's output when it did not exit 0. */
export function expectSuccess(what: string, result: CommandResult): void {
  expect(result.code, `${what} failed:\n${result.stdout}\n${result.stderr}`).to.equal(0);
}

let installed: Promise<string> | undefined;

/**
 * The directory of a consumer project with the packed tarball and CONSUMER_DEPENDENCIES installed (created on the
 * first call of the process, then shared; removed at exit). Call it from a `before` hook with a long timeout.
 * @example
 * before(async function () { this.timeout(240_000); dir = await packedConsumer(); });
 */
export function packedConsumer(): Promise<string> {
  installed ??= install();
  return installed;
}

async function install(): Promise<string> {
  if (!existsSync(path.join(ROOT, 'dist', 'src', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tux-db-consumer-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  // As root the embedded server runs as the OS user postgres, which must reach the binaries under node_modules.
  await chmod(dir, 0o755);
  // --ignore-scripts: pack the dist/ this run built rather than building a second time.
  const pack = await runCommand('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], {});
  expectSuccess('npm pack', pack);
  const tarball = path.join(dir, pack.stdout.trim().split('\n').pop() ?? '');
  await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer-bot', version: '1.0.0', private: true }, null, 2));
  const install = await runCommand(
    'npm',
    ['install', '--prefix', dir, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball, ...CONSUMER_DEPENDENCIES],
    {},
    180_000,
  );
  expectSuccess('npm install', install);
  return dir;
}

/** Runs a command in `cwd` (a consumer project, not this repository) to completion, capturing its output. */
export function runIn(cwd: string, command: string, args: string[], env: Record<string, string | undefined>, timeoutMs = 120_000): Promise<CommandResult> {
  return runCommand(command, args, env, timeoutMs, cwd);
}
