import { expect } from 'chai';
import { Client } from 'pg';
import type { DatabaseCoordinator } from '../../src/coordinator';
import { CaseType } from '../../src/entities/enums';
import { DatabaseConnectionError } from '../../src/errors/connection-error';
import { compile, sql } from '../../src/query/sql';
import { directUrl } from '../support/behind-pooler';
import { deleteGuilds, openTestDatabase, randomSnowflake } from '../support/fixtures';
import { testDatabaseUrl } from '../support/test-server';
import { tally, tallyLine } from '../fixtures/reliability-tally';

const counts = tally('connection-kill');

describe('a connection killed under the library (pg_terminate_backend)', () => {
  let db: DatabaseCoordinator;
  let admin: Client;
  const guilds: string[] = [];
  const newGuild = (): string => {
    const id = randomSnowflake();
    guilds.push(id);
    return id;
  };
  const backendPid = async (): Promise<number> => (await db.service.query<{ pid: number }>('SELECT pg_backend_pid() AS pid', [])).rows[0]?.pid ?? 0;
  const terminate = async (pid: number): Promise<void> => {
    const result = await admin.query<{ done: boolean }>('SELECT pg_terminate_backend($1) AS done', [pid]);
    expect(result.rows[0]?.done, `backend ${pid} terminated`).to.equal(true);
    counts.faults++;
  };
  const warn = (guildId: string, reason: string) =>
    db.case.createCase({ caseType: CaseType.WARN, caseUserId: '10', caseModeratorId: '20', guildId, caseReason: reason });

  /** Proves the same db object still works: a unit of work commits and is visible. */
  const expectWorking = async (guildId: string, expectedNumber: number): Promise<void> => {
    const next = await db.transaction(async () => warn(guildId, 'after the kill'));
    expect(next.caseNumber).to.equal(expectedNumber);
    expect((await db.health()).status).to.equal('healthy');
  };

  before(async () => {
    db = await openTestDatabase({ poolSize: 4 });
    // Straight to the server behind a pooler: the killer must not run on one of the pooler's server connections,
    // which may be the very backend it kills (a transaction pooler hands them to any client).
    admin = new Client({ connectionString: directUrl(testDatabaseUrl()) });
    await admin.connect();
  });
  after(async () => {
    await deleteGuilds(db, guilds);
    await db.close();
    await admin.end();
    console.log(`      ${tallyLine('connection-kill')}`);
  });

  it('fails the unit with DatabaseConnectionError when its idle-in-transaction backend is killed, leaving no partial rows', async () => {
    const guildId = newGuild();
    await warn(guildId, 'committed before');
    const unit = db.transaction(async () => {
      await warn(guildId, 'in the doomed unit');
      await db.guild.updateById(guildId, { guildName: 'partial' });
      await terminate(await backendPid());
      await warn(guildId, 'after the kill, same unit');
    });
    await expect(unit).to.be.rejectedWith(DatabaseConnectionError);
    const cases = await db.case.findAll({ filters: { guildId }, orderBy: { caseNumber: 'ASC' } });
    expect(cases.map((c) => c.caseReason)).to.deep.equal(['committed before']);
    const guild = await db.guild.getById(guildId);
    expect(guild?.caseCount, 'the counter bump was rolled back with the case').to.equal(1);
    expect(guild?.guildName).to.equal(null);
    counts.rowsLost += 1 - cases.length;
    await expectWorking(guildId, 2);
  });

  it('fails the commit with DatabaseConnectionError when the connection died after the last statement', async () => {
    const guildId = newGuild();
    const unit = db.transaction(async () => {
      await warn(guildId, 'never committed');
      await terminate(await backendPid());
      // Let the client see its connection close: TypeORM then releases the unit's query runner, so the COMMIT
      // that follows the callback finds no connection at all.
      await new Promise((r) => setTimeout(r, 200));
    });
    await expect(unit).to.be.rejectedWith(DatabaseConnectionError);
    expect(await db.case.count({ filters: { guildId } })).to.equal(0);
    await expectWorking(guildId, 1);
  });

  it('fails the unit with DatabaseConnectionError when its backend is killed in the middle of a statement', async () => {
    const guildId = newGuild();
    const unit = db.transaction(async () => {
      await warn(guildId, 'in the doomed unit');
      const pid = await backendPid();
      const sleeping = db.service.query('SELECT pg_sleep(5)', []);
      sleeping.catch(() => undefined); // awaited below, after the kill
      // Kill once the statement is really running on the server.
      for (let i = 0; i < 100; i++) {
        const state = await admin.query<{ state: string }>('SELECT state FROM pg_stat_activity WHERE pid = $1', [pid]);
        if (state.rows[0]?.state === 'active') break;
        await new Promise((r) => setTimeout(r, 10));
      }
      await terminate(pid);
      await sleeping;
    });
    const started = Date.now();
    await expect(unit).to.be.rejectedWith(DatabaseConnectionError);
    expect(Date.now() - started, 'the kill ends the statement, not the 5 s sleep').to.be.lessThan(4000);
    expect(await db.case.count({ filters: { guildId } })).to.equal(0);
    expect(await db.guild.getById(guildId), 'the counter row the unit created is gone too').to.equal(null);
    await expectWorking(guildId, 1);
  });

  /** Kills the backend running the statement that starts with `prefix` (the pool may have picked any connection). */
  const killRunning = async (prefix: string): Promise<number> => {
    let killed = 0;
    for (let i = 0; i < 200 && killed === 0; i++) {
      const running = await admin.query<{ pid: number }>(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND starts_with(query, $1) AND pid <> pg_backend_pid()",
        [prefix],
      );
      for (const row of running.rows) {
        await terminate(row.pid);
        killed++;
      }
      if (killed === 0) await new Promise((r) => setTimeout(r, 10));
    }
    return killed;
  };

  it('runs a read outside any unit again when its connection is killed mid-statement, and returns its rows', async () => {
    const guildId = newGuild();
    // Declared as its builder would: it writes nothing and locks nothing.
    const statement = compile(sql`SELECT 42 AS answer FROM pg_sleep(1)`, { reads: [], writes: [] });
    const reading = db.service.run<{ answer: number }>(statement);
    reading.catch(() => undefined); // awaited below, after the kill
    expect(await killRunning(statement.text)).to.equal(1);
    expect((await reading).rows).to.deep.equal([{ answer: 42 }]);
    await expectWorking(guildId, 1);
  });

  it('does not run a raw caller’s statement again when its connection is killed, read or not: it declares nothing', async () => {
    const guildId = newGuild();
    const text = 'SELECT 43 AS answer FROM pg_sleep(1)';
    const reading = db.service.query(text, []);
    reading.catch(() => undefined);
    expect(await killRunning(text)).to.equal(1);
    await expect(reading).to.be.rejectedWith(DatabaseConnectionError);
    await expectWorking(guildId, 1);
  });

  it('fails a write outside any unit with DatabaseConnectionError when its connection is killed, and does not run it again', async () => {
    const guildId = newGuild();
    const text = 'WITH pause AS (SELECT pg_sleep(1)) INSERT INTO guild (guild_id) SELECT $1 FROM pause';
    const writing = db.service.query(text, [guildId]);
    writing.catch(() => undefined);
    expect(await killRunning(text)).to.equal(1);
    await expect(writing).to.be.rejectedWith(DatabaseConnectionError);
    // Killed mid-statement it rolled back; run again, it would have created the row (and not rejected).
    expect(await db.guild.getById(guildId)).to.equal(null);
    await expectWorking(guildId, 1);
  });

  it('recovers when every idle pooled connection is killed at once', async () => {
    const guildId = newGuild();
    // Fill the pool with idle connections, then kill them all while they sit idle.
    await Promise.all(Array.from({ length: 4 }, () => db.transaction(async () => db.service.query('SELECT pg_sleep(0.05)', []))));
    const ours = await admin.query<{ pid: number }>(
      "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'tux-database' AND state = 'idle' AND pid <> pg_backend_pid()",
    );
    expect(ours.rows.length).to.be.greaterThan(0);
    for (const row of ours.rows) await terminate(row.pid);
    // Give the pool a moment to notice the dead idle clients (it drops them on their error event).
    await new Promise((r) => setTimeout(r, 100));
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => warn(guildId, `burst ${i}`)));
    expect(results.map((c) => c.caseNumber).sort((a, b) => a - b)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8]);
    await expectWorking(guildId, 9);
  });

  it('keeps case numbers gap-free when backends are killed at random under concurrent load', async function () {
    this.timeout(30_000);
    const guildId = newGuild();
    const committed: number[] = [];
    let failures = 0;
    let stop = false;
    const worker = async (): Promise<void> => {
      while (!stop) {
        try {
          const c = await db.transaction(async () => {
            const created = await warn(guildId, 'under fire');
            await db.levels.addXp('10', guildId, 1);
            return created;
          });
          committed.push(c.caseNumber);
        } catch (e) {
          expect(e, String(e)).to.be.instanceOf(DatabaseConnectionError);
          failures++;
        }
      }
    };
    const workers = Array.from({ length: 4 }, worker);
    for (let round = 0; round < 10; round++) {
      await new Promise((r) => setTimeout(r, 40));
      const victims = await admin.query<{ pid: number }>(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'tux-database' AND state <> 'idle' AND pid <> pg_backend_pid() LIMIT 1",
      );
      for (const row of victims.rows) await admin.query('SELECT pg_terminate_backend($1)', [row.pid]).then(() => counts.faults++);
    }
    stop = true;
    await Promise.all(workers);
    const numbers = (await db.case.findAll({ filters: { guildId }, orderBy: { caseNumber: 'ASC' } })).map((c) => c.caseNumber);
    const guild = await db.guild.getById(guildId);
    expect(numbers, 'exactly 1..k').to.deep.equal(Array.from({ length: numbers.length }, (_, i) => i + 1));
    expect(guild?.caseCount).to.equal(numbers.length);
    const missing = committed.filter((n) => !numbers.includes(n));
    counts.rowsLost += missing.length;
    expect(missing, 'every acknowledged case is stored').to.deep.equal([]);
    // Each committed unit also added exactly one xp: the case and the xp committed together or not at all.
    expect(await db.levels.getXp('10', guildId)).to.equal(numbers.length);
    expect(committed.length).to.be.greaterThan(0);
    console.log(`      ${committed.length} units committed, ${failures} failed with DatabaseConnectionError under 10 kill rounds`);
  });
});
