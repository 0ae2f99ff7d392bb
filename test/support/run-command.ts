import { expect } from 'chai';
import { spawn } from 'node:child_process';
import path from 'node:path';

/** Where the package lives (commands run from there). */
export const ROOT = path.join(__dirname, '..', '..');

/** What a finished command printed and how it exited. */
export interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to completion (killed after `timeoutMs`) in `cwd` (the package by default), capturing its output. */
export function runCommand(command: string, args: string[], env: Record<string, string | undefined>, timeoutMs = 120_000, cwd = ROOT): Promise<CommandResult> {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** `url` with its password set (a password the test can then look for in output). */
export function withPassword(url: string, password: string): string {
  const parsed = new URL(url);
  if (!parsed.password) parsed.password = password;
  return parsed.toString();
}

/** The password of `url` (decoded). */
export function passwordOf(url: string): string {
  return decodeURIComponent(new URL(url).password);
}

/** Asserts that a command's output shows neither `secret` nor a stack trace (the CLI's promise to operators). */
export function expectNoSecretOrStack(result: CommandResult, secret: string): void {
  const output = result.stdout + result.stderr;
  expect(output).to.not.include(secret);
  expect(output).to.not.match(/^\s+at /m);
}
