import { expect } from 'chai';
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { createDatabase } from '../../src/container';
import type { DatabaseCoordinator } from '../../src/coordinator';
import { CaseType } from '../../src/entities/enums';
import { DatabaseConnectionError } from '../../src/errors/connection-error';
import { DatabaseClosedError } from '../../src/errors/transaction-errors';
import { ValidationError } from '../../src/errors/validation-error';
import { ALL_MIGRATIONS } from '../../src/migrations/all-migrations';
import { DatabaseService } from '../../src/service/database-service';
import { revertLastMigration } from '../../src/service/migrations';
import { deleteGuilds, openTestDatabase, randomSnowflake } from '../support/fixtures';
import { ROOT } from '../support/run-command';
import { createScratchDatabase, dropScratchDatabase } from '../support/test-server';
import { tally, tallyLine } from '../fixtures/reliability-tally';

const counts = tally('graceful-shutdown');
// The demo's fixed guild (src/cli/demo.ts).
const DEMO_GUILD = '1100000000000000001';

/** Resolves after `ms`. */
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** `tux-db args…` on `url`, its output gathered as it comes, and whether and how it exited. */
function spawnTuxDb(args: string[], url: string) {
  const child = spawn(process.execPath, ['bin/tux-db.js', ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: url }, stdio: ['ignore', 'pipe', 'pipe'] });
  const run = { child, stdout: '', stderr: '', exited: false, exit: undefined as unknown as Promise<{ code: number | null; signal: NodeJS.Signals | null }> };
  child.stdout.on('data', (chunk: Buffer) => (run.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (run.stderr += chunk.toString()));
  run.exit = new Promise((resolve) =>
    child.on('close', (code, signal) => {
      run.exited = true;
      resolve({ code, signal });
    }),
  );
  return run;
}

/** How many sessions of `blocker`'s database wait for a lock (pg_stat_activity's snapshot cleared: the blocker is in a transaction). */
async function lockWaiters(blocker: Client): Promise<number> {
  await blocker.query('SELECT pg_stat_clear_snapshot()');
  const result = await blocker.query<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
  return Number(result.rows[0]?.n);
}

/** Sends SIGTERM once `waiters` sessions wait on `blocker`'s lock, and checks tux-db is still running 300 ms after it said it heard it. */
async function termWhileWaiting(run: ReturnType<typeof spawnTuxDb>, blocker: Client, waiters: number, what: string): Promise<void> {
  for (let i = 0; i < 600 && (await lockWaiters(blocker)) < waiters && !run.exited; i++) await sleep(25);
  expect(await lockWaiters(blocker), `${what} wait for the lock; stdout: ${run.stdout}; stderr: ${run.stderr}`).to.equal(waiters);
  run.child.kill('SIGTERM');
  counts.faults++;
  for (let i = 0; i < 400 && !run.stderr.includes('SIGTERM received'); i++) await sleep(25);
  expect(run.stderr).to.include('SIGTERM received');
  await sleep(300);
  expect(run.exited, `tux-db waits for ${what} in flight`).to.equal(false);
}

describe('graceful shutdown', () => {
  let observer: DatabaseCoordinator;
  const guilds: string[] = [];
  const newGuild = (): string => {
    const id = randomSnowflake();
    guilds.push(id);
    return id;
  };
  const warn = (db: DatabaseCoordinator, guildId: string) =>
    db.case.createCase({ caseType: CaseType.WARN, caseUserId: '3', caseModeratorId: '4', guildId });

  before(async () => {
    observer = await openTestDatabase();
  });
  after(async () => {
    await deleteGuilds(observer, guilds);
    await observer.close();
    console.log(`      ${tallyLine('graceful-shutdown')}`);
  });

  it('close() waits for the unit in flight to commit, and refuses new work meanwhile with DatabaseClosedError', async () => {
    const db = await openTestDatabase({ poolSize: 2 });
    const guildId = newGuild();
    const events: string[] = [];
    let firstWritten: () => void = () => undefined;
    const written = new Promise<void>((r) => (firstWritten = r));
    const unit = db.transaction(async () => {
      await warn(db, guildId);
      firstWritten();
      await db.service.query('SELECT pg_sleep(0.3)', []);
      await warn(db, guildId); // statements of a running unit still go through while closing
      events.push('unit committed');
    });
    await written;
    const closing = db.close(5_000).then(() => events.push('closed'));
    counts.faults++;
    // New work, in every form, is refused while the unit finishes.
    await expect(db.transaction(() => warn(db, guildId))).to.be.rejectedWith(DatabaseClosedError, /closing or closed/);
    await expect(warn(db, guildId)).to.be.rejectedWith(DatabaseClosedError);
    await expect(db.guild.getById(guildId)).to.be.rejectedWith(DatabaseClosedError);
    await Promise.all([unit, closing]);
    expect(events).to.deep.equal(['unit committed', 'closed']);
    expect(await observer.case.count({ filters: { guildId } }), 'both writes of the unit committed').to.equal(2);
    // And after the close, too.
    await expect(db.transaction(() => warn(db, guildId))).to.be.rejectedWith(DatabaseClosedError);
    await expect(db.case.findAll({ filters: { guildId } })).to.be.rejectedWith(DatabaseClosedError);
    expect((await db.health()).status).to.equal('disconnected');
  });

  it('lets a running unit use a repository for the first time, add XP and retry a conflict while close() waits for it', async () => {
    // A database whose snippet and levels repositories have not run yet: their first call reads TypeORM's metadata.
    const db = await openTestDatabase({ poolSize: 2 });
    const guildId = newGuild();
    let closeCalled: () => void = () => undefined;
    const closeStarted = new Promise<void>((r) => (closeCalled = r));
    let attempts = 0;
    const unit = db.transaction(async () => {
      attempts++;
      await closeStarted;
      if (attempts === 1) await db.service.query(`DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '40001'; END $$`, []);
      await db.snippet.createSnippet({ snippetName: 'bye', snippetUserId: '5', guildId });
      return db.levels.addXp('6', guildId, 10);
    });
    const closing = db.close(10_000);
    counts.faults++;
    closeCalled();
    const levels = await unit;
    await closing;
    expect(attempts, 'the conflict ran the unit again').to.equal(2);
    expect(levels.xp).to.equal(10);
    expect((await observer.snippet.findAll({ filters: { guildId } })).map((x) => x.snippetName)).to.deep.equal(['bye']);
    await expect(db.snippet.count()).to.be.rejectedWith(DatabaseClosedError);
  });

  it('says the outcome is unknown when its timeout cuts off a unit whose COMMIT was in flight', async () => {
    const db = await openTestDatabase({ poolSize: 2 });
    // A COMMIT that takes a second: a deferred trigger sleeps in it (as a synchronous replica can make one wait).
    const table = `slow_commit_${process.pid}`;
    await observer.service.query(`CREATE TABLE ${table} (id int)`, []);
    await observer.service.query(`CREATE FUNCTION ${table}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(1); RETURN NULL; END $$`, []);
    await observer.service.query(`CREATE CONSTRAINT TRIGGER slow AFTER INSERT ON ${table} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ${table}()`, []);
    try {
      let inserted: () => void = () => undefined;
      const insertReturned = new Promise<void>((r) => (inserted = r));
      const unit = db.transaction(async () => {
        await db.service.query(`INSERT INTO ${table} VALUES (1)`, []);
        inserted();
      });
      unit.catch(() => undefined); // asserted below
      await insertReturned;
      await sleep(100); // the COMMIT, sent as the callback returned, is on the server, in the trigger's second of sleep
      await db.close(100);
      counts.faults++;
      await expect(unit).to.be.rejectedWith(DatabaseClosedError, /COMMIT was in flight.*Whether the unit committed is unknown/);
      // The server finished the COMMIT it had begun: "rolled back" would have been a lie.
      let rows = 0;
      for (let i = 0; i < 200 && rows === 0; i++, await sleep(25)) rows = (await observer.service.query(`SELECT 1 FROM ${table}`, [])).rows.length;
      expect(rows).to.equal(1);
    } finally {
      await observer.service.query(`DROP TABLE ${table}; DROP FUNCTION ${table}()`, []);
    }
  });

  it('settles every single statement and health check in flight when close() is called, even one still waiting for a connection', async () => {
    const db = await openTestDatabase({ poolSize: 1 });
    const guildId = newGuild();
    await warn(db, guildId);
    const settled: string[] = [];
    const track = (name: string, work: Promise<unknown>): Promise<unknown> =>
      work.then(
        () => void settled.push(name),
        (e: unknown) => void settled.push(`${name}: ${(e as Error).name}`),
      );
    // One statement holds the only connection; the others wait for it when close() is called.
    const inFlight = [
      track('sleep', db.service.query('SELECT pg_sleep(0.3)', [])),
      track('count', db.case.countCasesByGuild(guildId)),
      track('query', db.service.query('SELECT 1', [])),
      track('health', db.health()),
    ];
    await db.close(5_000);
    counts.faults++;
    await new Promise((resolve) => setImmediate(resolve));
    expect([...settled].sort()).to.deep.equal(['count', 'health', 'query', 'sleep']);
    await Promise.all(inFlight);
    // A statement refused while closing reached no server, and its event says so.
    const other = await openTestDatabase({ poolSize: 2 });
    const servers: unknown[] = [];
    other.service.onQuery((e) => servers.push(e.server));
    let inUnit: () => void = () => undefined;
    const unitRunning = new Promise<void>((r) => (inUnit = r));
    const unit = other.transaction(async () => {
      await other.service.query('SELECT 1', []);
      inUnit();
      await other.service.query('SELECT pg_sleep(0.2)', []);
    });
    await unitRunning;
    const closing = other.close(5_000);
    await expect(other.service.query('SELECT 1', [])).to.be.rejectedWith(DatabaseClosedError);
    await Promise.all([unit, closing]);
    expect(servers.map((server) => server === undefined)).to.deep.equal([false, true, false]);
  });

  it('answers serverMajorVersion() with DatabaseConnectionError before connect() and DatabaseClosedError after close()', async () => {
    const service = new DatabaseService({ url: 'postgres://postgres@127.0.0.1:1/never', migrate: false });
    expect(() => service.serverMajorVersion()).to.throw(DatabaseConnectionError);
    const db = await openTestDatabase();
    expect(db.service.serverMajorVersion()).to.be.at.least(15);
    await db.close();
    expect(() => db.service.serverMajorVersion()).to.throw(DatabaseClosedError);
  });

  it('refuses a close() timeout that is not a whole number of ms within what a timer holds, and stays open', async () => {
    const db = await openTestDatabase({ poolSize: 2 });
    const guildId = newGuild();
    const close = db.close.bind(db) as (timeoutMs: unknown) => Promise<void>;
    // Each of these made the timer fire at once, cutting off the units close() was meant to wait for.
    for (const timeoutMs of [Number.NaN, -5, 1.5, 2 ** 31, Infinity, '100', null]) {
      await expect(close(timeoutMs), String(timeoutMs)).to.be.rejectedWith(ValidationError, /timeoutMs must be a whole number of ms from 0 to 2147483647/);
    }
    await warn(db, guildId);
    expect(await db.case.count({ filters: { guildId } })).to.equal(1);
    await db.close(0);
  });

  it('gives up waiting after its timeout: the unit still running fails with DatabaseClosedError and leaves nothing', async () => {
    const db = await openTestDatabase({ poolSize: 2 });
    const guildId = newGuild();
    let firstWritten: () => void = () => undefined;
    const written = new Promise<void>((r) => (firstWritten = r));
    const unit = db.transaction(async () => {
      await warn(db, guildId);
      firstWritten();
      await db.service.query('SELECT pg_sleep(5)', []);
      await warn(db, guildId);
    });
    unit.catch(() => undefined); // asserted below
    await written;
    const started = Date.now();
    await db.close(300);
    counts.faults++;
    expect(Date.now() - started, 'close() kept to its timeout, not the 5 s statement').to.be.below(2_000);
    await expect(unit).to.be.rejectedWith(DatabaseClosedError, /still running/);
    expect(await observer.case.count({ filters: { guildId } })).to.equal(0);
    // The server notices the closed connection and rolls back; the guild's counter row goes with it.
    for (let i = 0; i < 200 && (await observer.guild.getById(guildId)) !== null; i++) await sleep(25);
    expect(await observer.guild.getById(guildId)).to.equal(null);
  });

  it('stops the embedded server it started (no DATABASE_URL)', async function () {
    this.timeout(120_000);
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tux-db-close-'));
    const saved = process.env['DATABASE_URL'];
    let db: DatabaseCoordinator;
    try {
      // The options are resolved in createDatabase's first (synchronous) step; the env is restored right after.
      delete process.env['DATABASE_URL'];
      const creating = createDatabase({ dataDir, poolSize: 2 });
      if (saved !== undefined) process.env['DATABASE_URL'] = saved;
      db = await creating;
    } finally {
      if (saved !== undefined) process.env['DATABASE_URL'] = saved;
    }
    try {
      const url = new URL(String((db.service.dataSource.options as { url?: string }).url));
      const port = Number(url.port);
      expect(url.hostname).to.equal('127.0.0.1');
      const guildId = randomSnowflake();
      expect((await warn(db, guildId)).caseNumber).to.equal(1);
      expect(await listening(port)).to.equal(true);
      await db.close();
      expect(await listening(port), 'the server no longer listens').to.equal(false);
      await expect(fs.access(path.join(dataDir, 'postmaster.pid')), 'the server has exited').to.be.rejected;
      await expect(db.guild.getById(guildId)).to.be.rejectedWith(DatabaseClosedError);
    } finally {
      await db.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });

  describe('SIGTERM to `tux-db demo`', () => {
    let url: string;
    before(async () => {
      url = await createScratchDatabase('sigterm');
      const service = new DatabaseService({ url, migrate: true });
      await service.connect();
      await service.disconnect();
    });
    after(() => dropScratchDatabase('sigterm'));

    it('finishes the statements in flight, starts nothing new, and exits with 143', async function () {
      this.timeout(60_000);
      // Hold the cases table, so the demo blocks on its first cases (three concurrent createCase statements).
      const blocker = new Client({ connectionString: url });
      await blocker.connect();
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE "cases" IN ACCESS EXCLUSIVE MODE');
      const run = spawnTuxDb(['demo'], url);
      try {
        for (let i = 0; i < 600 && !run.stdout.includes('Guild "Tux Demo Server"') && !run.exited; i++) await sleep(25);
        expect(run.stdout).to.include('Guild "Tux Demo Server"');
        await termWhileWaiting(run, blocker, 3, "the demo's three createCase statements");
      } finally {
        await blocker.query('COMMIT');
        await blocker.end();
      }
      const { code, signal } = await run.exit;
      expect({ code, signal }, run.stderr).to.deep.equal({ code: 143, signal: null });
      expect(run.stderr).to.include('stopped by SIGTERM').and.not.match(/^\s+at /m);
      // The three cases in flight committed and were reported; the raid after them never started.
      expect(run.stdout.match(/^Case #\d+ /gm)).to.have.length(3);
      expect(run.stdout).to.not.include('Raid');
      const check = new Client({ connectionString: url });
      await check.connect();
      try {
        const cases = await check.query<{ n: number }>('SELECT case_number AS n FROM cases WHERE guild_id = $1 ORDER BY case_number', [DEMO_GUILD]);
        const guild = await check.query<{ case_count: number }>('SELECT case_count FROM guild WHERE guild_id = $1', [DEMO_GUILD]);
        expect(cases.rows.map((r) => r.n)).to.deep.equal([1, 2, 3]);
        expect(guild.rows[0]?.case_count).to.equal(3);
      } finally {
        await check.end();
      }
    });
  });

  describe('SIGTERM to `tux-db migrate-push`', () => {
    const latest = ALL_MIGRATIONS[ALL_MIGRATIONS.length - 1];
    let url: string;
    before(async () => {
      url = await createScratchDatabase('sigterm_push');
      const service = new DatabaseService({ url, migrate: true });
      await service.connect();
      expect(await revertLastMigration(service.dataSource)).to.equal(latest?.name);
      await service.disconnect();
    });
    after(() => dropScratchDatabase('sigterm_push'));

    it('lets the migration run in flight commit instead of cutting its connection, then exits with 143', async function () {
      this.timeout(60_000);
      // Hold the tables migrations write, so the pending one's first statement waits for the lock.
      const blocker = new Client({ connectionString: url });
      await blocker.connect();
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE "afk", "cases", "guild", "guild_config", "levels" IN SHARE MODE');
      const run = spawnTuxDb(['migrate-push'], url);
      try {
        await termWhileWaiting(run, blocker, 1, 'the migration');
      } finally {
        await blocker.query('COMMIT');
        await blocker.end();
      }
      const { code, signal } = await run.exit;
      expect({ code, signal }, run.stderr).to.deep.equal({ code: 143, signal: null });
      expect(run.stdout).to.include(`Applied ${latest?.name}`);
      expect(run.stderr).to.not.match(/^\s+at /m).and.not.include('Connection terminated');
      const check = new Client({ connectionString: url });
      await check.connect();
      try {
        const applied = await check.query<{ name: string }>('SELECT name FROM migrations ORDER BY id DESC LIMIT 1');
        expect(applied.rows[0]?.name).to.equal(latest?.name);
      } finally {
        await check.end();
      }
    });
  });
});
