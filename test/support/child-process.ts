import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

/**
 * Starts a TypeScript fixture in its own Node process (ts-node, like the suite), with `args` after its path; its
 * stdin is a pipe when `stdin` is, for fixtures driven line by line.
 */
export function spawnFixture(fixture: string, env: Record<string, string>, args: ReadonlyArray<string> = [], stdin: 'ignore' | 'pipe' = 'ignore'): ChildProcess {
  return spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(ROOT, 'test', 'fixtures', fixture), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: [stdin, 'pipe', 'pipe'],
  });
}

/** Runs a fixture to completion; resolves with its stdout, rejects with its stderr when it fails. */
export function runFixture(fixture: string, env: Record<string, string>, args: ReadonlyArray<string> = []): Promise<string> {
  const child = spawnFixture(fixture, env, args);
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${fixture} exited with ${code}: ${err}`))));
  });
}
