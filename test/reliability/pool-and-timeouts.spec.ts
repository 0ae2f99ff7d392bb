import { expect } from 'chai';
import type { DatabaseCoordinator } from '../../src/coordinator';
import { CaseType } from '../../src/entities/enums';
import { UniqueViolationError } from '../../src/errors/constraint-errors';
import { DatabaseTimeoutError } from '../../src/errors/connection-error';
import { DatabaseError } from '../../src/errors/database-error';
import { behindPooler } from '../support/behind-pooler';
import { deleteGuilds, openTestDatabase, randomSnowflake } from '../support/fixtures';
import { createSessionRole, type SessionRole } from '../support/session-role';
import { testDatabaseUrl } from '../support/test-server';
import { tally, tallyLine } from '../fixtures/reliability-tally';

const counts = tally('pool-and-timeouts');

/** A promise and the function that settles it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/**
 * Starts `n` units that each take a pooled connection and keep it until `release` opens; resolves once all hold
 * one, with `done` (wrapped: an async function returning a promise would wait for it).
 */
async function holdConnections(db: DatabaseCoordinator, n: number, release: Promise<void>): Promise<{ done: Promise<unknown> }> {
  let holding = 0;
  const allHolding = gate();
  const units = Promise.all(
    Array.from({ length: n }, () =>
      db.transaction(async () => {
        await db.service.query('SELECT 1', []);
        if (++holding === n) allHolding.open();
        await release;
      }),
    ),
  );
  await allHolding.opened;
  return { done: units };
}

/** Runs `fn(0..total-1)` with at most `concurrency` calls in flight. */
async function inParallel(total: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await fn(next++);
    }),
  );
}

/** The error a promise rejected with (fails when it resolved). */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('the pool under exhaustion, and the timeouts', () => {
  const guilds: string[] = [];
  const newGuild = (): string => {
    const id = randomSnowflake();
    guilds.push(id);
    return id;
  };
  const opened: DatabaseCoordinator[] = [];
  const open = async (options: Parameters<typeof openTestDatabase>[0]): Promise<DatabaseCoordinator> => {
    const db = await openTestDatabase(options);
    opened.push(db);
    return db;
  };

  const roles: SessionRole[] = [];
  /**
   * `options` with a statement timeout of `ms`. Behind a transaction pooler the library sends no statement_timeout
   * at connect, so single statements outside units run with the role's own setting: the test then logs in as a role
   * set to `ms`, as docs/operators.md tells operators to (ALTER ROLE … SET statement_timeout).
   */
  const withStatementTimeout = async (ms: number, options: Parameters<typeof openTestDatabase>[0]): Promise<Parameters<typeof openTestDatabase>[0]> => {
    if (!behindPooler()) return { ...options, statementTimeoutMs: ms };
    const role = await createSessionRole(testDatabaseUrl(), { statement_timeout: ms });
    roles.push(role);
    return { ...options, statementTimeoutMs: ms, url: role.url };
  };

  after(async () => {
    const db = opened[0] ?? (await open({}));
    await deleteGuilds(db, guilds);
    for (const each of opened) await each.close();
    for (const role of roles) await role.drop();
    console.log(`      ${tallyLine('pool-and-timeouts')}`);
  });

  it('queues 20 concurrent units on a pool of 2; every one commits and at most 2 connections are ever open', async () => {
    const db = await open({ poolSize: 2 });
    const guildId = newGuild();
    let maxOpen = 0;
    const pool = (): number => (db.service.dataSource.driver as unknown as { master: { totalCount: number } }).master.totalCount;
    const created = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        db.transaction(async () => {
          maxOpen = Math.max(maxOpen, pool());
          const c = await db.case.createCase({ caseType: CaseType.WARN, caseUserId: String(100 + i), caseModeratorId: '7', guildId });
          await db.service.query('SELECT pg_sleep(0.01)', []);
          maxOpen = Math.max(maxOpen, pool());
          return c.caseNumber;
        }),
      ),
    );
    expect(created.sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(maxOpen).to.be.at.most(2);
    const health = await db.health();
    expect(health.pool).to.deep.include({ waiting: 0, max: 2 });
  });

  it('fails units and statements that cannot get a connection within acquireTimeoutMs with DatabaseTimeoutError', async () => {
    const db = await open({ poolSize: 2, acquireTimeoutMs: 300 });
    const guildId = newGuild();
    const release = gate();
    const holders = await holdConnections(db, 2, release.opened);
    const started = Date.now();
    const unit = rejectionOf(db.transaction(() => db.case.createCase({ caseType: CaseType.BAN, caseUserId: '1', caseModeratorId: '2', guildId })));
    const statement = rejectionOf(db.guild.getById(guildId));
    const [unitError, statementError] = await Promise.all([unit, statement]);
    counts.faults += 2;
    const waited = Date.now() - started;
    for (const e of [unitError, statementError]) {
      expect(e).to.be.instanceOf(DatabaseTimeoutError);
      expect((e as Error).message).to.match(/Timed out waiting for a free pooled connection; raise poolSize or acquireTimeoutMs/);
    }
    expect(waited).to.be.at.least(250).and.below(3000);
    release.open();
    await holders.done;
    // The holders committed; the timed-out unit wrote nothing.
    expect(await db.case.count({ filters: { guildId } })).to.equal(0);
    expect((await db.health()).pool).to.deep.include({ waiting: 0 });
  });

  it('fails a statement past statementTimeoutMs with DatabaseTimeoutError, inside a unit too (rolled back)', async () => {
    const db = await open(await withStatementTimeout(200, { poolSize: 2 }));
    const guildId = newGuild();
    const started = Date.now();
    const outside = await rejectionOf(db.service.query('SELECT pg_sleep(1)', []));
    expect(outside).to.be.instanceOf(DatabaseTimeoutError);
    expect((outside as Error).message).to.match(/statement timeout/);
    const inside = await rejectionOf(
      db.transaction(async () => {
        await db.case.createCase({ caseType: CaseType.KICK, caseUserId: '1', caseModeratorId: '2', guildId });
        await db.service.query('SELECT pg_sleep(1)', []);
      }),
    );
    counts.faults += 2;
    expect(inside).to.be.instanceOf(DatabaseTimeoutError);
    expect(Date.now() - started, 'each statement was cut at ~200 ms').to.be.below(1800);
    expect(await db.case.count({ filters: { guildId } })).to.equal(0);
    expect((await db.case.createCase({ caseType: CaseType.KICK, caseUserId: '1', caseModeratorId: '2', guildId })).caseNumber).to.equal(1);
  });

  it('returns to an idle pool, no connection leaked, after thousands of failures of every kind', async function () {
    this.timeout(60_000);
    const db = await open(await withStatementTimeout(100, { poolSize: 2, acquireTimeoutMs: 300 }));
    const guildId = newGuild();
    await db.guild.create({ guildId });
    const failures = new Map<string, number>();
    const expectFailure = async (promise: Promise<unknown>, type: new (...args: never[]) => Error): Promise<void> => {
      const e = await rejectionOf(promise);
      if (!(e instanceof type) && !(e instanceof DatabaseError)) counts.rawDriverErrors++;
      expect(e, String(e)).to.be.instanceOf(type);
      failures.set(type.name, (failures.get(type.name) ?? 0) + 1);
      counts.faults++;
    };

    // 1. Acquire timeouts: 1,500 callers wait while both connections are held.
    const release = gate();
    const holders = await holdConnections(db, 2, release.opened);
    await Promise.all(
      Array.from({ length: 1500 }, (_, i) =>
        expectFailure(i % 2 === 0 ? db.transaction(() => db.guild.getById(guildId)) : db.guild.getById(guildId), DatabaseTimeoutError),
      ),
    );
    release.open();
    await holders.done;

    // 2. Constraint violations inside units (rolled back), as many at a time as the pool holds.
    await inParallel(500, 2, () =>
        expectFailure(
          db.transaction(async () => {
            await db.case.createCase({ caseType: CaseType.WARN, caseUserId: '1', caseModeratorId: '2', guildId });
            await db.guild.create({ guildId });
          }),
          UniqueViolationError,
        ),
    );

    // 3. Callbacks that throw their own error.
    class BotError extends Error {}
    await inParallel(300, 2, () =>
        expectFailure(
          db.transaction(async () => {
            await db.guild.updateById(guildId, { guildName: 'never committed' });
            throw new BotError('cancelled');
          }),
          BotError,
        ),
    );

    // 4. Statement timeouts, in and out of units.
    await inParallel(30, 2, (i) =>
      expectFailure(i % 2 === 0 ? db.service.query('SELECT pg_sleep(1)', []) : db.transaction(() => db.service.query('SELECT pg_sleep(1)', [])), DatabaseTimeoutError),
    );

    const total = [...failures.values()].reduce((a, b) => a + b, 0);
    expect(total).to.be.at.least(2000);
    const health = await db.health();
    expect(health.status).to.equal('healthy');
    expect(health.pool.total).to.be.at.most(health.pool.max);
    expect(health.pool.idle, 'every open connection is back in the pool').to.equal(health.pool.total);
    expect(health.pool.waiting).to.equal(0);
    // Nothing from the failed units is stored, and the pool still serves work.
    expect(await db.case.count({ filters: { guildId } })).to.equal(0);
    expect((await db.guild.getById(guildId))?.guildName).to.equal(null);
    const ok = await Promise.all(Array.from({ length: 20 }, () => db.transaction(() => db.case.createCase({ caseType: CaseType.WARN, caseUserId: '1', caseModeratorId: '2', guildId }))));
    expect(ok.map((c) => c.caseNumber).sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 20 }, (_, i) => i + 1));
    console.log(`      ${total} failures (${[...failures].map(([k, v]) => `${v} ${k}`).join(', ')}); pool afterwards: ${JSON.stringify(health.pool)}`);
  });
});
