import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { Client } from 'pg';
import { UniqueViolationError } from '../../src/errors/constraint-errors';
import { TransactionError } from '../../src/errors/transaction-errors';
import { ValidationError } from '../../src/errors/validation-error';
import { CaseType } from '../../src/entities/enums';
import { behindPooler, directUrl } from '../support/behind-pooler';
import { useTestDatabase } from '../support/test-database';
import { testDatabaseUrl, useTestServer } from '../support/test-server';
import * as misuse from '../fixtures/unit-misuse';

const APPLICATION_NAME = `tux-misuse-${process.pid}`;

/** Backends of this suite that hold a transaction open (pg_stat_activity), read on a connection of its own. */
async function openTransactions(): Promise<string[]> {
  const client = new Client({ connectionString: directUrl(testDatabaseUrl()) });
  await client.connect();
  try {
    const { rows } = await client.query<{ state: string }>(
      `SELECT state FROM pg_stat_activity WHERE application_name = $1 AND state LIKE 'idle in transaction%'`,
      [APPLICATION_NAME],
    );
    return rows.map((r) => r.state);
  } finally {
    await client.end();
  }
}

describe('UnitOfWork under misuse (pool of one connection)', () => {
  const t = useTestDatabase({ poolSize: 1, applicationName: APPLICATION_NAME, deleteGuilds: 'afterEach' });
  const { newGuild } = t;

  /** The reasons of a guild's committed cases, by number, read outside any unit. */
  async function committed(guildId: string): Promise<Array<[number, string | null]>> {
    const cases = await t.db.case.findAll({ filters: { guildId }, orderBy: { caseNumber: 'ASC' } });
    return cases.map((c) => [c.caseNumber, c.caseReason]);
  }

  afterEach(async () => {
    expect(await openTransactions(), 'no connection is left inside a transaction').to.deep.equal([]);
  });

  it('rejects a unit whose failed statement was caught inside it with a TransactionError caused by that failure, and commits nothing', async () => {
    const guildId = newGuild();
    const unit = misuse.swallowedConstraintError(t.db, guildId);
    await expect(unit).to.be.rejectedWith(TransactionError, /did not commit/);
    const error = await unit.catch((e: unknown) => e);
    expect((error as TransactionError).cause).to.be.instanceOf(UniqueViolationError);
    expect(await committed(guildId)).to.deep.equal([]);
    expect((await t.db.guild.getById(guildId))?.caseCount, 'the counter bump was rolled back too').to.equal(0);
  });

  it('commits the unit when the expected failure is caught around a nested unit (the documented pattern)', async () => {
    const guildId = newGuild();
    const c = await misuse.constraintErrorInNestedUnit(t.db, guildId);
    expect(c.caseNumber).to.equal(1);
    expect(await committed(guildId)).to.deep.equal([[1, null]]);
  });

  it('rejects a unit in which a statement it never awaited failed, and commits nothing', async () => {
    const guildId = newGuild();
    await expect(misuse.unawaitedFailingStatement(t.db, guildId)).to.be.rejectedWith(TransactionError, /did not commit/);
    expect(await committed(guildId)).to.deep.equal([]);
  });

  it('waits for a nested unit its outer never awaited, commits both, and leaves the next call outside any transaction', async () => {
    const guildId = newGuild();
    const after = await misuse.unawaitedNestedUnit(t.db, guildId);
    expect(after.caseNumber).to.equal(3);
    expect(await committed(guildId)).to.deep.equal([
      [1, 'outer'],
      [2, 'nested'],
      [3, 'after'],
    ]);
  });

  it('settles only after every statement it started has settled', async () => {
    let slowSettled = false;
    await t.db.transaction(async () => {
      void t.db.service.query('SELECT pg_sleep(0.2)', []).then(() => (slowSettled = true));
    });
    expect(slowSettled).to.equal(true);
  });

  it('runs Promise.all of two nested units one after the other: the one that throws undoes only its own writes', async () => {
    const guildId = newGuild();
    const after = await misuse.parallelNestedUnitsOneThrows(t.db, guildId);
    expect(after.caseNumber).to.equal(3);
    expect(await committed(guildId)).to.deep.equal([
      [1, 'kept'],
      [2, 'outer'],
      [3, 'after'],
    ]);
  });

  it('rolls back the whole unit when Promise.all of nested units rejects out of it', async () => {
    const guildId = newGuild();
    const unit = t.db.transaction(() =>
      Promise.all([
        t.db.transaction(() => t.db.case.createCase({ caseType: CaseType.WARN, caseUserId: '1', caseModeratorId: '2', guildId })),
        t.db.transaction(async () => {
          throw new Error('second fails');
        }),
        t.db.transaction(() => t.db.case.createCase({ caseType: CaseType.BAN, caseUserId: '1', caseModeratorId: '2', guildId })),
      ]),
    );
    await expect(unit).to.be.rejectedWith(Error, 'second fails');
    expect(await committed(guildId)).to.deep.equal([]);
    expect((await t.db.case.createCase({ caseType: CaseType.KICK, caseUserId: '1', caseModeratorId: '2', guildId })).caseNumber).to.equal(1);
  });

  it('commits Promise.all of two nested units that both succeed (no crossed savepoints)', async () => {
    const guildId = newGuild();
    const cases = await misuse.parallelNestedUnitsBothSucceed(t.db, guildId);
    expect(cases.map((c) => c.caseNumber)).to.deep.equal([1, 2]);
    expect(await committed(guildId)).to.deep.equal([
      [1, 'a'],
      [2, 'b'],
    ]);
  });

  it('runs Promise.all of statements one at a time in call order', async () => {
    const guildId = newGuild();
    const cases = await misuse.parallelStatements(t.db, guildId);
    expect(cases.map((c) => [c.caseNumber, c.caseReason])).to.deep.equal(Array.from({ length: 10 }, (_, i) => [i + 1, `call ${i}`]));
  });

  it('rejects a nested unit whose failed statement was caught inside it, leaving the outer unit usable', async () => {
    const guildId = newGuild();
    await t.db.snippet.createSnippet({ snippetName: 'taken', snippetUserId: '5', guildId });
    await t.db.transaction(async () => {
      await t.db.case.createCase({ caseType: CaseType.WARN, caseUserId: '1', caseModeratorId: '2', guildId, caseReason: 'outer' });
      const nested = t.db.transaction(async () => {
        await t.db.case.createCase({ caseType: CaseType.WARN, caseUserId: '1', caseModeratorId: '2', guildId, caseReason: 'nested' });
        await t.db.snippet.createSnippet({ snippetName: 'taken', snippetUserId: '5', guildId }).catch(() => undefined);
      });
      await expect(nested).to.be.rejectedWith(TransactionError, /nested unit of work did not commit/);
      await t.db.case.createCase({ caseType: CaseType.WARN, caseUserId: '1', caseModeratorId: '2', guildId, caseReason: 'outer again' });
    });
    expect(await committed(guildId)).to.deep.equal([
      [1, 'outer'],
      [2, 'outer again'],
    ]);
  });

  it('fails the unit at a COMMIT or ROLLBACK sent through query() inside it: nothing after it runs, outside any transaction', async () => {
    const guildId = newGuild();
    const warn = (reason: string) => t.db.case.createCase({ caseType: CaseType.WARN, caseUserId: '1', caseModeratorId: '2', guildId, caseReason: reason });
    // COMMIT: what came before it is committed by it (as the error says); the call after it is refused, not autocommitted.
    const afterCommit: unknown[] = [];
    const committing = t.db.transaction(async () => {
      await warn('before COMMIT');
      afterCommit.push(await t.db.service.query('COMMIT', []).catch((e: unknown) => e));
      afterCommit.push(await warn('after COMMIT').catch((e: unknown) => e));
    });
    const ended = await committing.catch((e: unknown) => e);
    expect(ended).to.be.instanceOf(TransactionError).with.property('message').that.matches(/ended its transaction \(the server answered COMMIT.*committed by it/);
    expect(afterCommit[0], 'the COMMIT call itself').to.equal(ended);
    expect(afterCommit[1]).to.be.instanceOf(TransactionError);
    expect(await committed(guildId)).to.deep.equal([[1, 'before COMMIT']]);
    // ROLLBACK, and a callback that returns as if nothing happened.
    const rollingBack = t.db.transaction(async () => {
      await warn('before ROLLBACK');
      await t.db.service.query('ROLLBACK', []).catch(() => undefined);
      await warn('after ROLLBACK').catch(() => undefined);
    });
    await expect(rollingBack).to.be.rejectedWith(TransactionError, /the server answered ROLLBACK.*rolled back by it/);
    // And from a nested unit: the outer unit runs nothing more either.
    const nested = t.db.transaction(async () => {
      await t.db.transaction(() => t.db.service.query('END', [])).catch(() => undefined);
      await warn('after END in a nested unit').catch(() => undefined);
    });
    await expect(nested).to.be.rejectedWith(TransactionError, /ended its transaction/);
    expect(await committed(guildId)).to.deep.equal([[1, 'before COMMIT']]);
  });

  it('passes on whatever the callback throws, as thrown: no retry for a look-alike conflict, no error from a hostile value', async () => {
    let calls = 0;
    const lookAlike = { code: '40001', message: 'not a database error' };
    const thrown = await t.db.transaction(async () => {
      calls++;
      throw lookAlike;
    }).catch((e: unknown) => e);
    expect(thrown).to.equal(lookAlike);
    expect(calls, 'bot code throwing { code: 40001 } is no serialization failure').to.equal(1);
    const throwingCode = Object.defineProperty({}, 'code', {
      get() {
        throw new Error('code getter');
      },
    });
    expect(await t.db.transaction(() => Promise.reject(throwingCode)).catch((e: unknown) => e)).to.equal(throwingCode);
    const throwingProxy = new Proxy(
      {},
      {
        getPrototypeOf() {
          throw new Error('getPrototypeOf trap');
        },
      },
    );
    expect(await t.db.transaction(() => Promise.reject(throwingProxy)).catch((e: unknown) => e)).to.equal(throwingProxy);
  });

  it('refuses a missing callback and malformed options with a ValidationError, before opening a transaction', async () => {
    const transaction = t.db.transaction.bind(t.db) as (fn: unknown, options?: unknown) => Promise<unknown>;
    const noop = async () => undefined;
    await expect(transaction(undefined)).to.be.rejectedWith(ValidationError, /fn/);
    await expect(transaction('not a function')).to.be.rejectedWith(ValidationError, /fn/);
    await expect(transaction(noop, null)).to.be.rejectedWith(ValidationError, /options/);
    await expect(transaction(noop, { isolation: 'SERIALIZABLE' })).to.be.rejectedWith(ValidationError, /did you mean "isolationLevel"/);
    for (const isolationLevel of ['FOO', 'serializable', 42, null]) {
      await expect(transaction(noop, { isolationLevel }), String(isolationLevel)).to.be.rejectedWith(ValidationError, /isolationLevel must be one of READ UNCOMMITTED/);
    }
    for (const maxRetries of [Number.NaN, Infinity, -1, 1.5, '3', 1e6]) {
      await expect(transaction(noop, { maxRetries }), String(maxRetries)).to.be.rejectedWith(ValidationError, /maxRetries/);
    }
    const withSession = t.db.case.withSession.bind(t.db.case) as (fn: unknown) => Promise<unknown>;
    await expect(withSession(null)).to.be.rejectedWith(ValidationError, /fn/);
    const addQueryListener = t.db.service.addQueryListener.bind(t.db.service) as (listener: unknown) => unknown;
    expect(() => addQueryListener(null)).to.throw(ValidationError, /listener/);
    expect(await t.db.guild.countGuilds(), 'the service still works').to.be.a('number');
  });
});

describe('UnitOfWork warnings', () => {
  useTestServer();

  it('raises no process warning (no pg DeprecationWarning) in any misuse case, nor in TypeORM’s schema builder', async function () {
    this.timeout(120_000);
    const script = path.join(__dirname, '..', 'fixtures', 'unit-misuse.ts');
    const { stdout } = await promisify(execFile)(process.execPath, ['-r', 'ts-node/register/transpile-only', script], {
      env: { ...process.env, DATABASE_URL: testDatabaseUrl() },
    });
    const warnings = JSON.parse(stdout) as string[];
    // Behind PgBouncer before 1.21 a prepared statement is lost between server connections sooner or later: the
    // library then warns once (TuxDatabasePreparedStatements, docs/operators.md) and runs the rest unnamed.
    const fallback = warnings.filter((w) => behindPooler() && w.startsWith('TuxDatabasePreparedStatements: '));
    expect(fallback, 'the pooler fallback warns at most once').to.have.length.at.most(1);
    expect(warnings.filter((w) => !fallback.includes(w))).to.deep.equal([]);
  });
});
