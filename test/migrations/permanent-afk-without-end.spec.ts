import { expect } from 'chai';
import { CheckViolationError } from '../../src/errors/constraint-errors';
import { PermanentAfkWithoutEnd1796204957178 } from '../../src/migrations/1796204957178-permanent-afk-without-end';
import { applyMigrations } from '../../src/service/migrations';
import { revertThrough, useDatabaseBefore } from '../support/migration-spec';

const GUILD = '1100000000000000001';
const NAME = new PermanentAfkWithoutEnd1796204957178().name;

describe('PermanentAfkWithoutEnd1796204957178', function () {
  this.timeout(120_000);
  const t = useDatabaseBefore('perm_afk', NAME);
  const rows = async (): Promise<Array<{ user: string; perm: boolean; until: Date | null }>> =>
    (await t.client.query<{ user: string; perm: boolean; until: Date | null }>(`SELECT user_id::text AS user, perm_afk AS perm, until FROM afk ORDER BY user_id`)).rows;

  // The table as earlier versions left it: a permanent AFK could keep an end.
  before(async () => {
    await t.client.query(`INSERT INTO guild (guild_id) VALUES ($1)`, [GUILD]);
    await t.client.query(
      `INSERT INTO afk (user_id, guild_id, afk_message, since, until, perm_afk) VALUES
         (1, $1, 'permanent with an end', '2024-01-01', '2024-02-01', true),
         (2, $1, 'permanent', '2024-01-01', NULL, true),
         (3, $1, 'temporary', '2024-01-01', '2024-02-01', false)`,
      [GUILD],
    );
  });

  it('clears the end of a permanent AFK, leaves the others alone, and then refuses an end on a permanent AFK', async () => {
    expect(await applyMigrations(t.service.dataSource)).to.deep.equal([NAME]);
    expect(await rows()).to.deep.equal([
      { user: '1', perm: true, until: null },
      { user: '2', perm: true, until: null },
      { user: '3', perm: false, until: new Date('2024-02-01T00:00:00Z') },
    ]);
    const refused = await t.service.query(`UPDATE afk SET until = '2030-01-01' WHERE user_id = 2`, []).catch((e: unknown) => e);
    expect(refused).to.be.instanceOf(CheckViolationError);
    expect(refused).to.include({ constraint: 'afk_permanent_without_until', table: 'afk' });
  });

  it('reverts by dropping the constraint, leaving the cleared ends', async () => {
    expect(await revertThrough(t.service.dataSource, NAME)).to.equal(NAME);
    await t.client.query(`UPDATE afk SET until = '2030-01-01' WHERE user_id = 2`);
    expect((await rows())[0]).to.deep.equal({ user: '1', perm: true, until: null });
    await t.client.query(`UPDATE afk SET until = NULL WHERE user_id = 2`);
    expect(await applyMigrations(t.service.dataSource)).to.deep.equal([NAME]);
  });
});
