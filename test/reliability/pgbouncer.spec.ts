import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect } from 'chai';
import { createDatabase } from '../../src/container';
import { DatabaseConnectionError, DatabaseTimeoutError } from '../../src/errors/connection-error';
import { ROOT } from '../support/run-command';
import { directUrl } from '../support/behind-pooler';
import { deleteGuilds, randomSnowflake } from '../support/fixtures';
import { pgbouncerAvailable, startPgBouncer, type Bouncer } from '../support/pgbouncer';
import { createScratchDatabase, dropScratchDatabase, testDatabaseUrl, useTestServer } from '../support/test-server';
import { ALL_MIGRATIONS } from '../../src/migrations/all-migrations';

interface WorkerReport {
  readonly ops: number;
  readonly wrong: string[];
  readonly errors: string[];
}

/** Runs a fixture as a bot process behind the bouncer (behindPooler and prepared statements on); resolves with its stdout. */
function runFixture(fixture: string, url: string, args: string[] = [], env: Record<string, string> = {}): Promise<string> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(ROOT, 'test', 'fixtures', fixture), ...args], {
    env: { ...process.env, DATABASE_URL: url, TUX_DB_BEHIND_POOLER: '1', TUX_DB_PREPARED_STATEMENTS: '1', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // migrate-on-start.ts waits for one line, so that all processes start connecting together.
  child.stdin.end('go\n');
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => child.once('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`${fixture} exited ${code}: ${stderr}`)))));
}

async function runWorker(url: string, guildId: string, iterations: number): Promise<WorkerReport> {
  const out = await runFixture('pooled-worker.ts', url, [guildId], { ITERATIONS: String(iterations) });
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as WorkerReport;
}

describe('behind PgBouncer in transaction mode', function () {
  this.timeout(180_000);
  useTestServer();
  let bouncer: Bouncer | undefined;
  const guilds: string[] = [];

  before(async function () {
    // Debian's pgbouncer package; .ci/run installs it. Without it there is nothing to test against.
    if (!(await pgbouncerAvailable())) this.skip();
    // Two server connections for every client connection of four processes: the bouncer multiplexes hard. In front
    // of the server itself, also when the suite runs through CI's bouncer (a bouncer behind a bouncer is not the setup).
    bouncer = await startPgBouncer(directUrl(testDatabaseUrl()), 2);
  });
  after(async () => {
    if (guilds.length > 0) {
      const db = await createDatabase({ url: testDatabaseUrl(), migrate: false });
      await deleteGuilds(db, guilds);
      await db.close();
    }
    await bouncer?.stop();
  });

  it('refuses a direct-mode connection with a hint to set behindPooler (PgBouncer rejects the statement_timeout startup parameter)', async () => {
    const error: unknown = await createDatabase({ url: bouncer!.url, migrate: false, behindPooler: false }).then(
      (db) => db.close().then(() => null),
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(DatabaseConnectionError);
    expect((error as Error).message).to.include('unsupported startup parameter').and.include('behindPooler: true');
  });

  it('runs four processes with prepared statements on over two server connections: every result is the one asked for, and nothing fails', async () => {
    const ids = Array.from({ length: 4 }, () => randomSnowflake());
    guilds.push(...ids);
    const reports = await Promise.all(ids.map((id) => runWorker(bouncer!.url, id, 60)));
    for (const report of reports) {
      expect(report.wrong, 'results that belong to another statement').to.deep.equal([]);
      expect(report.errors, 'failed operations').to.deep.equal([]);
      expect(report.ops).to.equal(60 * 7);
    }
  });

  it('migrates a fresh database from four processes at once through the bouncer, each migration once (transaction-level lock)', async () => {
    const scratch = new URL(await createScratchDatabase('bouncer_migrate'));
    try {
      const viaBouncer = new URL(bouncer!.url);
      viaBouncer.pathname = scratch.pathname;
      const runs = Array.from({ length: 4 }, () => runFixture('migrate-on-start.ts', viaBouncer.toString()));
      const seen = (await Promise.all(runs)).map((out) => (JSON.parse(out.trim().split('\n').pop() ?? '{}') as { migrationsSeen: number }).migrationsSeen);
      expect(seen).to.deep.equal(Array(4).fill(ALL_MIGRATIONS.length));
      const db = await createDatabase({ url: scratch.toString(), migrate: false });
      try {
        const rows = await db.service.query<{ name: string; n: number }>('SELECT "name", count(*)::int AS n FROM "migrations" GROUP BY "name"', []);
        expect(rows.rows.map((r) => r.n)).to.deep.equal(Array(ALL_MIGRATIONS.length).fill(1));
        expect((await db.health()).status).to.equal('healthy');
      } finally {
        await db.close();
      }
    } finally {
      await dropScratchDatabase('bouncer_migrate');
    }
  });

  it('keeps the statement timeout in force inside units, set with SET LOCAL', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(w.message);
    process.on('warning', onWarning);
    const db = await createDatabase({ url: bouncer!.url, migrate: false, behindPooler: true, statementTimeoutMs: 300 });
    try {
      const inUnit = await db.transaction(() => db.service.query<{ t: string }>("SELECT current_setting('statement_timeout') AS t", []));
      expect(inUnit.rows[0]?.t).to.equal('300ms');
      await expect(db.transaction(() => db.service.query('SELECT pg_sleep(2)', []))).to.be.rejectedWith(DatabaseTimeoutError);
      await new Promise((r) => setImmediate(r));
      expect(warnings.some((w) => w.includes('ALTER ROLE') && w.includes('300')), `warnings: ${warnings.join(' | ')}`).to.equal(true);
    } finally {
      process.off('warning', onWarning);
      await db.close();
    }
  });
});
