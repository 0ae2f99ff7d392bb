import { expect } from 'chai';
import sinon from 'sinon';
import { CaseType } from '../../src/entities/enums';
import { SerializationFailureError, TransactionError } from '../../src/errors/transaction-errors';
import { useTestDatabase } from '../support/test-database';

/** Resolves once `count` parties have arrived. */
function barrier(count: number): () => Promise<void> {
  let arrived = 0;
  let release: () => void = () => undefined;
  const all = new Promise<void>((resolve) => (release = resolve));
  return async () => {
    if (++arrived === count) release();
    await all;
  };
}

describe('UnitOfWork', () => {
  const t = useTestDatabase({ poolSize: 10 });
  const { newGuild } = t;

  it('commits writes made through several repositories when the callback returns', async () => {
    const guildId = newGuild();
    await t.db.transaction(async () => {
      await t.db.case.createCase({ caseType: CaseType.WARN, caseUserId: '10', caseModeratorId: '20', guildId });
      await t.db.guildConfig.upsert({ filters: { guildId }, values: { prefix: '?' } });
    });
    expect(await t.db.case.countCasesByGuild(guildId)).to.equal(1);
    expect((await t.db.guildConfig.getById(guildId))?.prefix).to.equal('?');
  });

  it('rolls back every write across repositories when the callback throws, counter included', async () => {
    const guildId = newGuild();
    await t.db.case.createCase({ caseType: CaseType.WARN, caseUserId: '10', caseModeratorId: '20', guildId });
    const failure = t.db.transaction(async () => {
      await t.db.case.createCase({ caseType: CaseType.BAN, caseUserId: '11', caseModeratorId: '20', guildId });
      await t.db.guild.updateById(guildId, { guildName: 'renamed' });
      throw new Error('moderator cancelled');
    });
    await expect(failure).to.be.rejectedWith(Error, 'moderator cancelled');
    expect(await t.db.case.countCasesByGuild(guildId)).to.equal(1);
    const guild = await t.db.guild.getById(guildId);
    expect(guild?.caseCount).to.equal(1);
    expect(guild?.guildName).to.equal(null);
    const next = await t.db.case.createCase({ caseType: CaseType.KICK, caseUserId: '12', caseModeratorId: '20', guildId });
    expect(next.caseNumber, 'the rolled-back number is reused: no gap').to.equal(2);
  });

  it('passes the callback’s own error through unchanged', async () => {
    class BotError extends Error {}
    await expect(t.db.transaction(() => Promise.reject(new BotError('mine')))).to.be.rejectedWith(BotError, 'mine');
  });

  it('makes a nested unit a savepoint whose failure, when caught, rolls back only itself', async () => {
    const guildId = newGuild();
    await t.db.transaction(async () => {
      await t.db.case.createCase({ caseType: CaseType.WARN, caseUserId: '1', caseModeratorId: '2', guildId });
      await t.db
        .transaction(async () => {
          await t.db.case.createCase({ caseType: CaseType.BAN, caseUserId: '1', caseModeratorId: '2', guildId });
          throw new Error('inner fails');
        })
        .catch(() => undefined);
      await t.db.case.createCase({ caseType: CaseType.KICK, caseUserId: '1', caseModeratorId: '2', guildId });
    });
    const cases = await t.db.case.findAll({ filters: { guildId }, orderBy: { caseNumber: 'ASC' } });
    expect(cases.map((c) => [c.caseNumber, c.caseType])).to.deep.equal([
      [1, CaseType.WARN],
      [2, CaseType.KICK],
    ]);
  });

  it('keeps parallel units isolated: neither sees the other’s uncommitted rows', async () => {
    const [a, b] = [newGuild(), newGuild()];
    const bothWrote = barrier(2);
    const bothCounted = barrier(2);
    const seen = await Promise.all(
      [a, b].map((own) =>
        t.db.transaction(async () => {
          await t.db.guild.create({ guildId: own });
          await bothWrote();
          const visible = await t.db.guild.count({ filters: { guildId: { in: [a, b] } } });
          // Neither commits before both have looked (READ COMMITTED would then show the other's row).
          await bothCounted();
          return visible;
        }),
      ),
    );
    expect(seen).to.deep.equal([1, 1]);
    expect(await t.db.guild.count({ filters: { guildId: { in: [a, b] } } })).to.equal(2);
  });

  it('retries a deadlock (two units locking two rows in opposite order) until both succeed', async () => {
    const [a, b] = [newGuild(), newGuild()];
    await t.db.guild.createMany([{ guildId: a }, { guildId: b }]);
    const firstLocksHeld = barrier(2);
    let attempts = 0;
    const lockBoth = (first: string, second: string, name: string) =>
      t.db.transaction(async () => {
        const attempt = ++attempts;
        await t.db.guild.updateById(first, { guildName: name });
        if (attempt <= 2) await firstLocksHeld();
        await t.db.guild.updateById(second, { guildName: name });
      });
    await Promise.all([lockBoth(a, b, 'one'), lockBoth(b, a, 'two')]);
    expect(attempts, 'the deadlock victim ran again').to.be.greaterThan(2);
    const names = (await t.db.guild.findAll({ filters: { guildId: { in: [a, b] } } })).map((g) => g.guildName);
    expect(names[0]).to.equal(names[1]);
  });

  it('gives up after the configured retries with a SerializationFailureError', async () => {
    let calls = 0;
    const unit = t.db.transaction(
      async () => {
        calls++;
        await t.db.service.query(`DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '40001'; END $$`, []);
      },
      { maxRetries: 2 },
    );
    await expect(unit).to.be.rejectedWith(SerializationFailureError);
    expect(calls).to.equal(3);
  });

  it('runs at the requested isolation level', async () => {
    const level = await t.db.transaction(
      async () => (await t.db.service.query<{ transaction_isolation: string }>('SHOW transaction_isolation', [])).rows[0]?.transaction_isolation,
      { isolationLevel: 'SERIALIZABLE' },
    );
    expect(level).to.equal('serializable');
  });

  it('rejects a query that outlives its unit with a TransactionError', async () => {
    let late: Promise<unknown> = Promise.resolve();
    await t.db.transaction(async () => {
      late = new Promise((resolve) => setTimeout(resolve, 20)).then(() => t.db.guild.count());
    });
    await expect(late).to.be.rejectedWith(TransactionError, /already finished/);
  });

  it('rejects a query that outlives a nested unit, which the outer unit outlasted: it runs nowhere', async () => {
    const guildId = newGuild();
    await t.db.guild.getOrCreateGuild(guildId);
    // What a call left behind in a nested unit (a timer, a forgotten await) comes to, once it starts 20 ms later.
    const leaveBehind = (): Promise<unknown> =>
      new Promise((resolve) => setTimeout(resolve, 20))
        .then(() => t.db.case.createCase({ guildId, caseType: CaseType.WARN, caseUserId: '10', caseModeratorId: '20' }))
        .then(
          (c) => c,
          (e: unknown) => e,
        );
    let late: Promise<unknown> = Promise.resolve();
    // It starts after the nested unit released its savepoint, while the outer unit still runs.
    await t.db.transaction(async () => {
      await t.db.transaction(async () => {
        late = leaveBehind();
      });
      await new Promise((resolve) => setTimeout(resolve, 40));
    });
    expect(await late).to.be.instanceOf(TransactionError).with.property('message').that.matches(/already finished/);
    // It starts after the outer unit committed too.
    await t.db.transaction(async () => {
      await t.db.transaction(async () => {
        late = leaveBehind();
      });
    });
    expect(await late).to.be.instanceOf(TransactionError).with.property('message').that.matches(/already finished/);
    expect(await t.db.case.count({ filters: { guildId } })).to.equal(0);
    expect((await t.db.guild.getGuildById(guildId))?.caseCount).to.equal(0);
  });

  it('supports the seed’s withSession: several writes committed together', async () => {
    const guildId = newGuild();
    const created = await t.db.case.withSession(async (cases) => {
      const first = await cases.createCase({ caseType: CaseType.JAIL, caseUserId: '5', caseModeratorId: '6', guildId });
      await t.db.guildConfig.upsert({ filters: { guildId }, values: { jailRoleId: '777' } });
      return first;
    });
    expect(created.caseNumber).to.equal(1);
    expect((await t.db.guildConfig.getById(guildId))?.jailRoleId).to.equal('777');
  });

  it('runs withSession in the unit of work the container holds, not one of its own', async () => {
    const run = sinon.spy(t.db.unitOfWork, 'run');
    try {
      expect(await t.db.case.withSession(async (cases) => cases === t.db.case)).to.equal(true);
      expect(run.calledOnce).to.equal(true);
    } finally {
      run.restore();
    }
  });

  it('leaks no connection after 1,000 failed units', async function () {
    this.timeout(120_000);
    for (let i = 0; i < 1000; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, () =>
          t.db
            .transaction(async () => {
              await t.db.guild.count();
              throw new Error('fail');
            })
            .catch(() => undefined),
        ),
      );
    }
    const { pool } = await t.db.health();
    expect(pool.waiting).to.equal(0);
    expect(pool.total).to.be.at.most(pool.max);
    expect(pool.idle, 'every connection is back in the pool').to.equal(pool.total);
  });
});
