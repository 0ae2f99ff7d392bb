import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { expect } from 'chai';
import { Client } from 'pg';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { resolveOptions } from '../../src/config';
import { ALL_MIGRATIONS } from '../../src/migrations/all-migrations';
import { DatabaseService } from '../../src/service/database-service';
import { applyMigrations, MIGRATION_LOCK_KEY, migrationRunOptions, revertLastMigration } from '../../src/service/migrations';
import { directUrl, skipBehindPooler } from '../support/behind-pooler';
import { createScratchDatabase, dropScratchDatabase } from '../support/test-server';

const ROOT = path.join(__dirname, '..', '..');
const PROCESSES = 4;

interface Started {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  readonly done: Promise<string>;
}

/** Starts the migrate-on-start fixture; `ready` settles when it has loaded, `done` with its stdout when it exits 0. */
function startFixture(url: string): Started {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'reflect-metadata', path.join(ROOT, 'test', 'fixtures', 'migrate-on-start.ts')], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (out.includes('ready\n')) markReady();
  });
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const done = new Promise<string>((resolve, reject) => {
    child.on('close', (code) => {
      markReady();
      if (code === 0) resolve(out);
      else reject(new Error(`migrate-on-start exited with ${code}: ${err}`));
    });
  });
  return { child, ready, done };
}

/** What a probe migration saw on the session TypeORM ran it on. */
interface Seen {
  statementTimeout?: string;
  advisoryLocksHeld?: number;
}

/**
 * A DataSource whose only migration records the session's statement_timeout and advisory locks, up and down; with
 * `runtimeTimeoutMs`, its connections start with that statement_timeout (a startup parameter, as the library's).
 */
function probeDataSource(url: string, runtimeTimeoutMs?: number): { dataSource: DataSource; up: Seen; down: Seen } {
  const up: Seen = {};
  const down: Seen = {};
  const look = async (runner: QueryRunner, into: Seen): Promise<void> => {
    const [timeout] = (await runner.query('SHOW statement_timeout')) as Array<{ statement_timeout: string }>;
    const [locks] = (await runner.query(
      `SELECT count(*)::int AS "n" FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = pg_backend_pid() AND ((classid::bigint << 32) | objid::bigint) = $1::bigint`,
      [MIGRATION_LOCK_KEY],
    )) as Array<{ n: number }>;
    into.statementTimeout = timeout?.statement_timeout;
    into.advisoryLocksHeld = locks?.n;
  };
  class Probe1700000000000 implements MigrationInterface {
    name = 'Probe1700000000000';
    async up(runner: QueryRunner): Promise<void> {
      await look(runner, up);
    }
    async down(runner: QueryRunner): Promise<void> {
      await look(runner, down);
    }
  }
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    migrations: [Probe1700000000000],
    migrationsTableName: 'migrations',
    // One connection: the runtime query after migrating must reuse the very connection the migration ran on.
    poolSize: 1,
    extra: runtimeTimeoutMs === undefined ? {} : { statement_timeout: runtimeTimeoutMs },
  });
  return { dataSource, up, down };
}

describe('the migration lock', () => {
  it('applies each migration exactly once when four processes start together on a fresh database', async function () {
    this.timeout(120_000);
    const url = await createScratchDatabase('migration_lock');
    try {
      const started = Array.from({ length: PROCESSES }, () => startFixture(url));
      await Promise.all(started.map((s) => s.ready));
      for (const s of started) s.child.stdin?.write('go\n');
      const outputs = await Promise.all(started.map((s) => s.done));
      // Each process, waiter or migrator, went on only once every migration was in.
      for (const out of outputs) expect(out).to.include(JSON.stringify({ migrationsSeen: ALL_MIGRATIONS.length }));
      const service = new DatabaseService({ url, migrate: false });
      await service.connect();
      try {
        const rows = (await service.query('SELECT "name", count(*)::int AS "n" FROM "migrations" GROUP BY "name" ORDER BY "name"', [])).rows;
        expect(rows).to.deep.equal(ALL_MIGRATIONS.map((m) => ({ name: m.name, n: 1 })).sort((a, b) => a.name.localeCompare(b.name)));
      } finally {
        await service.disconnect();
      }
    } finally {
      await dropScratchDatabase('migration_lock');
    }
  });

  it('waits while another session holds the lock, then applies what is pending', async function () {
    this.timeout(60_000);
    const url = await createScratchDatabase('migration_wait');
    // Another session on the server itself: through a transaction pooler a session lock would stay behind on
    // whichever server connection took it.
    const holder = new Client({ connectionString: directUrl(url) });
    const service = new DatabaseService({ url, migrate: false });
    try {
      await holder.connect();
      await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      await service.connect();
      let settled = false;
      // The service's own way of migrating: behind a pooler, one transaction under the transaction-level lock.
      const applying = applyMigrations(service.dataSource, migrationRunOptions(service.options)).finally(() => (settled = true));
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(settled, 'applyMigrations finished while another session held the lock').to.equal(false);
      await holder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
      expect(await applying).to.deep.equal(ALL_MIGRATIONS.map((m) => m.name));
      expect(await applyMigrations(service.dataSource, migrationRunOptions(service.options))).to.deep.equal([]);
    } finally {
      await holder.end();
      await service.disconnect();
      await dropScratchDatabase('migration_wait');
    }
  });

  it('runs migrations on the session holding the lock, with the migration timeout, and leaves the pool its runtime timeout', async function () {
    this.timeout(60_000);
    skipBehindPooler(this, 'covers the direct-connection path (session advisory lock, session SET, statement_timeout startup parameter, which PgBouncer refuses); the next test covers the pooler path');
    const url = await createScratchDatabase('migration_timeout');
    const { dataSource, up, down } = probeDataSource(url, 30_000);
    try {
      await dataSource.initialize();
      expect(await applyMigrations(dataSource, { timeoutMs: 3_600_000 })).to.deep.equal(['Probe1700000000000']);
      expect(up).to.deep.equal({ statementTimeout: '1h', advisoryLocksHeld: 1 });
      expect(await revertLastMigration(dataSource, { timeoutMs: 0 })).to.equal('Probe1700000000000');
      expect(down).to.deep.equal({ statementTimeout: '0', advisoryLocksHeld: 1 });
      // The pool's one connection ran both: it is back to the runtime timeout and holds no lock.
      const [runtime] = (await dataSource.query('SHOW statement_timeout')) as Array<{ statement_timeout: string }>;
      expect(runtime?.statement_timeout).to.equal('30s');
      const [locks] = (await dataSource.query(`SELECT count(*)::int AS "n" FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()`)) as Array<{ n: number }>;
      expect(locks?.n).to.equal(0);
    } finally {
      if (dataSource.isInitialized) await dataSource.destroy();
      await dropScratchDatabase('migration_timeout');
    }
  });

  it('behind a pooler runs them in one transaction holding the lock and the migration timeout, and leaves neither behind', async function () {
    this.timeout(60_000);
    const url = await createScratchDatabase('migration_pooled');
    const { dataSource, up, down } = probeDataSource(url);
    const runtimeTimeout = async (): Promise<string | undefined> => ((await dataSource.query('SHOW statement_timeout')) as Array<{ statement_timeout: string }>)[0]?.statement_timeout;
    try {
      await dataSource.initialize();
      const before = await runtimeTimeout();
      expect(await applyMigrations(dataSource, { timeoutMs: 3_600_000, behindPooler: true })).to.deep.equal(['Probe1700000000000']);
      expect(up).to.deep.equal({ statementTimeout: '1h', advisoryLocksHeld: 1 });
      expect(await revertLastMigration(dataSource, { timeoutMs: 0, behindPooler: true })).to.equal('Probe1700000000000');
      expect(down).to.deep.equal({ statementTimeout: '0', advisoryLocksHeld: 1 });
      // SET LOCAL and the transaction-level lock ended with the transaction, on whatever server connection ran it.
      expect(await runtimeTimeout()).to.equal(before);
      const [locks] = (await dataSource.query(
        `SELECT count(*)::int AS "n" FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      )) as Array<{ n: number }>;
      expect(locks?.n).to.equal(0);
    } finally {
      if (dataSource.isInitialized) await dataSource.destroy();
      await dropScratchDatabase('migration_pooled');
    }
  });

  it('takes migrationTimeoutMs from TUX_DB_MIGRATION_TIMEOUT_MS, and defaults to no timeout', () => {
    expect(resolveOptions({}, {}).migrationTimeoutMs).to.equal(0);
    expect(resolveOptions({}, { TUX_DB_MIGRATION_TIMEOUT_MS: '600000' }).migrationTimeoutMs).to.equal(600_000);
    expect(resolveOptions({ migrationTimeoutMs: 5 }, { TUX_DB_MIGRATION_TIMEOUT_MS: '600000' }).migrationTimeoutMs).to.equal(5);
  });
});
