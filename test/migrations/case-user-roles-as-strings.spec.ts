import { expect } from 'chai';
import { CaseUserRolesAsStrings1796179986075 } from '../../src/migrations/1796179986075-case-user-roles-as-strings';
import { applyMigrations } from '../../src/service/migrations';
import { revertThrough, useDatabaseBefore } from '../support/migration-spec';

const GUILD = '1100000000000000001';
const NAME = new CaseUserRolesAsStrings1796179986075().name;

describe('CaseUserRolesAsStrings1796179986075', function () {
  this.timeout(120_000);
  const t = useDatabaseBefore('roles', NAME);
  const roles = async (): Promise<Array<{ n: number; roles: unknown; types: string[] }>> =>
    (
      await t.client.query<{ n: number; roles: unknown; types: string[] }>(
        `SELECT case_number AS n, case_user_roles AS roles, array(SELECT jsonb_typeof(e) FROM jsonb_array_elements(case_user_roles) AS e) AS types FROM cases ORDER BY case_number`,
      )
    ).rows;

  // The database as an earlier version left it: role ids stored as JSON numbers, strings, or both.
  before(async () => {
    await t.client.query(`INSERT INTO guild (guild_id) VALUES ($1)`, [GUILD]);
    await t.client.query(
      `INSERT INTO cases (case_number, case_type, case_user_id, case_moderator_id, guild_id, case_user_roles) VALUES
         (1, 'JAIL', 1, 1, $1, '[1001, 1002, 1003]'),
         (2, 'JAIL', 1, 1, $1, '["11", 9223372036854775807, "13"]'),
         (3, 'JAIL', 1, 1, $1, '["21", "22"]'),
         (4, 'WARN', 1, 1, $1, '[]')`,
      [GUILD],
    );
  });

  it('rewrites role ids stored as numbers as strings, every digit and each in its place, and leaves the rest alone', async () => {
    const untouched = (await t.client.query<{ xmin: string }>(`SELECT xmin::text FROM cases WHERE case_number IN (3, 4) ORDER BY case_number`)).rows;
    expect(await applyMigrations(t.service.dataSource)).to.include(NAME);
    expect(await roles()).to.deep.equal([
      { n: 1, roles: ['1001', '1002', '1003'], types: ['string', 'string', 'string'] },
      { n: 2, roles: ['11', '9223372036854775807', '13'], types: ['string', 'string', 'string'] },
      { n: 3, roles: ['21', '22'], types: ['string', 'string'] },
      { n: 4, roles: [], types: [] },
    ]);
    // Rows that held only strings were not rewritten (same row version).
    expect((await t.client.query<{ xmin: string }>(`SELECT xmin::text FROM cases WHERE case_number IN (3, 4) ORDER BY case_number`)).rows).to.deep.equal(untouched);
    expect((await t.client.query<{ n: number }>(`SELECT case_number AS n FROM cases WHERE case_user_roles @> '["1002"]'`)).rows).to.deep.equal([{ n: 1 }]);
  });

  it('reverts without changing the rows back: every version reads role ids as strings', async () => {
    expect(await revertThrough(t.service.dataSource, NAME)).to.equal(NAME);
    expect((await roles()).map((r) => r.types.every((t) => t === 'string'))).to.deep.equal([true, true, true, true]);
    expect(await applyMigrations(t.service.dataSource)).to.include(NAME);
  });
});
