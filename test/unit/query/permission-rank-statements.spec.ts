import { expect } from 'chai';
import { PermissionRank } from '../../../src/entities/permission-rank';
import { buildTableModel } from '../../../src/query/build-table-model';
import { createRankStatement, deleteRankStatement, updateRankStatement } from '../../../src/query/permission-rank-statements';
import type { ColumnModel, TableModel } from '../../../src/query/table-model';
import { entityMetadata } from '../../support/entity-metadata';
import { textAndValues } from './text-and-values';

describe('permission rank statements', () => {
  let ranks: TableModel;
  const column = (property: string): ColumnModel => {
    const found = ranks.columns.get(property);
    if (found === undefined) throw new Error(`PermissionRank has no ${property}`);
    return found;
  };
  before(async () => {
    ranks = buildTableModel(await entityMetadata(PermissionRank));
  });

  it('createRankStatement inserts the rank, creating the guild row', () => {
    expect(textAndValues(createRankStatement(ranks, { guildId: '42', rank: 3, name: 'Mod', description: null }))).to.deep.equal({
      text:
        'WITH "ensure_guild" AS (INSERT INTO "guild" ("guild_id") VALUES ($1) ON CONFLICT ("guild_id") DO NOTHING) ' +
        `INSERT INTO "permission_ranks" ("guild_id", "rank", "name", "description") VALUES ($1, $2, $3, $4) RETURNING ${ranks.selectList}`,
      values: ['42', 3, 'Mod', null],
    });
  });

  it('updateRankStatement sets the given columns and bumps updated_at, the key bound after them', () => {
    expect(textAndValues(updateRankStatement(ranks, { columns: [column('name'), column('description')], params: ['Admin', 'all'] }, '42', 3))).to.deep.equal({
      text: `UPDATE "permission_ranks" SET "name" = $1, "description" = $2, "updated_at" = now() WHERE "guild_id" = $3 AND "rank" = $4 RETURNING ${ranks.selectList}`,
      values: ['Admin', 'all', '42', 3],
    });
  });

  it('deleteRankStatement deletes the guild’s rank by number', () => {
    expect(textAndValues(deleteRankStatement(ranks, '42', 3))).to.deep.equal({
      text: 'DELETE FROM "permission_ranks" WHERE "guild_id" = $1 AND "rank" = $2',
      values: ['42', 3],
    });
  });
});
