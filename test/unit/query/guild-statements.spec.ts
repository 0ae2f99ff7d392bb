import { expect } from 'chai';
import { Guild } from '../../../src/entities/guild';
import { buildTableModel } from '../../../src/query/build-table-model';
import { getOrCreateGuildStatement } from '../../../src/query/guild-statements';
import type { TableModel } from '../../../src/query/table-model';
import { entityMetadata } from '../../support/entity-metadata';
import { textAndValues } from './text-and-values';

describe('guild statements', () => {
  let guild: TableModel;
  before(async () => {
    guild = buildTableModel(await entityMetadata(Guild));
  });

  it('getOrCreateGuildStatement inserts the guild or keeps it, renaming it only for a non-null name', () => {
    expect(textAndValues(getOrCreateGuildStatement(guild, '42', null))).to.deep.equal({
      text:
        'INSERT INTO "guild" AS "g" ("guild_id", "guild_name") VALUES ($1, $2) ' +
        'ON CONFLICT ("guild_id") DO UPDATE SET "guild_name" = COALESCE(EXCLUDED."guild_name", "g"."guild_name"), ' +
        '"updated_at" = CASE WHEN EXCLUDED."guild_name" IS DISTINCT FROM "g"."guild_name" AND EXCLUDED."guild_name" IS NOT NULL THEN now() ELSE "g"."updated_at" END ' +
        `RETURNING ${guild.selectList}`,
      values: ['42', null],
    });
    expect(getOrCreateGuildStatement(guild, '42', 'Tux HQ').values).to.deep.equal(['42', 'Tux HQ']);
  });
});
