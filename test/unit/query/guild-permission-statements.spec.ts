import { expect } from 'chai';
import { GuildPermission } from '../../../src/entities/guild-permission';
import { buildTableModel } from '../../../src/query/build-table-model';
import { permissionLevelStatement, setPermissionLevelStatement } from '../../../src/query/guild-permission-statements';
import type { TableModel } from '../../../src/query/table-model';
import { entityMetadata } from '../../support/entity-metadata';
import { textAndValues } from './text-and-values';

describe('guild permission statements', () => {
  let permissions: TableModel;
  before(async () => {
    permissions = buildTableModel(await entityMetadata(GuildPermission));
  });

  it('permissionLevelStatement reads the user’s level in the guild', () => {
    expect(textAndValues(permissionLevelStatement(permissions, '42', '7'))).to.deep.equal({
      text: 'SELECT "permission_level" AS "level" FROM "guild_permissions" WHERE "guild_id" = $1 AND "user_id" = $2',
      values: ['42', '7'],
    });
  });

  it('setPermissionLevelStatement upserts the level, creating the guild row', () => {
    expect(textAndValues(setPermissionLevelStatement(permissions, '42', '7', 'ADMIN'))).to.deep.equal({
      text:
        'WITH "ensure_guild" AS (INSERT INTO "guild" ("guild_id") VALUES ($1) ON CONFLICT ("guild_id") DO NOTHING) ' +
        'INSERT INTO "guild_permissions" ("guild_id", "user_id", "permission_level") VALUES ($1, $2, $3) ' +
        `ON CONFLICT ("guild_id", "user_id") DO UPDATE SET "permission_level" = EXCLUDED."permission_level" RETURNING ${permissions.selectList}`,
      values: ['42', '7', 'ADMIN'],
    });
  });
});
