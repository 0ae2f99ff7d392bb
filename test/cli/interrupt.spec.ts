import { expect } from 'chai';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { Client } from 'pg';
import { DatabaseService } from '../../src/service/database-service';
import { ROOT } from '../support/run-command';
import { createScratchDatabase, dropScratchDatabase, TEST_SERVER_PREPARE_TIMEOUT_MS } from '../support/test-server';

/** Resolves after `ms`. */
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Run {
  readonly child: ChildProcessWithoutNullStreams;
  readonly output: { stdout: string; stderr: string; exited: boolean };
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `node bin/tux-db.js demo` with `env` on top of this process's environment (undefined removes a variable). */
function runDemo(env: Record<string, string | undefined>): Run {
  const merged: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete merged[key];
  const child = spawn(process.execPath, ['bin/tux-db.js', 'demo'], { cwd: ROOT, env: merged, stdio: ['pipe', 'pipe', 'pipe'] });
  const output = { stdout: '', stderr: '', exited: false };
  child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => {
      output.exited = true;
      resolve({ code, signal });
    }),
  );
  return { child, output, exit };
}

// The README promises: one Ctrl-C stops `npm start` / tux-db promptly with 130, even when its work is stuck;
// and a data directory the embedded server could never use fails at once instead of hanging.
describe('tux-db demo interrupted or misconfigured', () => {
  describe('one SIGINT (Ctrl-C)', () => {
    let url: string;
    before(async function () {
      this.timeout(TEST_SERVER_PREPARE_TIMEOUT_MS);
      url = await createScratchDatabase('sigint');
      const service = new DatabaseService({ url, migrate: true });
      await service.connect();
      await service.disconnect();
    });
    after(() => dropScratchDatabase('sigint'));

    it('stops the demo within seconds while its statements wait on a lock, exiting with 130 and no stack trace', async function () {
      this.timeout(60_000);
      // Hold the cases table, so the demo's first cases wait for as long as the test likes: a graceful stop would hang.
      const blocker = new Client({ connectionString: url });
      await blocker.connect();
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE "cases" IN ACCESS EXCLUSIVE MODE');
      const { child, output, exit } = runDemo({ DATABASE_URL: url });
      try {
        for (let i = 0; i < 1200 && !output.stdout.includes('Guild "Tux Demo Server"') && !output.exited; i++) await sleep(25);
        expect(output.stdout, output.stderr).to.include('Guild "Tux Demo Server"');
        await sleep(200); // the three createCase statements are now waiting for the lock

        child.kill('SIGINT');
        // The lock is still held, so only the SIGINT path can end the demo; a graceful stop would hang until the
        // test's timeout.
        const { code, signal } = await exit;
        expect({ code, signal }, output.stderr).to.deep.equal({ code: 130, signal: null });
        expect(output.stderr).to.include('SIGINT received').and.include('stopped by SIGINT').and.not.match(/^\s+at /m);
        expect(output.stdout, 'nothing after the blocked cases ran').to.not.include('Raid');
      } finally {
        await blocker.query('ROLLBACK');
        await blocker.end();
      }
    });
  });

  it('refuses TUX_DB_DATA_DIR=/proc/x at once with one line naming it, instead of spinning forever', async function () {
    this.timeout(30_000);
    const { output, exit } = runDemo({ DATABASE_URL: undefined, TUX_DB_DATA_DIR: '/proc/x' });
    const { code } = await exit;
    expect(code, output.stderr).to.equal(1);
    expect(output.stderr).to.include('tux-db: The embedded PostgreSQL data directory /proc/x is on the kernel\'s virtual proc file system');
    expect(output.stderr).to.include('TUX_DB_DATA_DIR').and.not.match(/^\s+at /m);
  });
});
