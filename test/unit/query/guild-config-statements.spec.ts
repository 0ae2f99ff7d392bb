import { expect } from 'chai';
import { GuildConfig } from '../../../src/entities/guild-config';
import { buildTableModel } from '../../../src/query/build-table-model';
import { configFieldStatement, upsertConfigStatement } from '../../../src/query/guild-config-statements';
import type { ColumnModel, TableModel } from '../../../src/query/table-model';
import { entityMetadata } from '../../support/entity-metadata';
import { textAndValues } from './text-and-values';

describe('guild config statements', () => {
  let config: TableModel;
  const column = (property: string): ColumnModel => {
    const found = config.columns.get(property);
    if (found === undefined) throw new Error(`GuildConfig has no ${property}`);
    return found;
  };
  before(async () => {
    config = buildTableModel(await entityMetadata(GuildConfig));
  });
  const ENSURE_GUILD = 'WITH "ensure_guild" AS (INSERT INTO "guild" ("guild_id") VALUES ($1) ON CONFLICT ("guild_id") DO NOTHING)';

  it('configFieldStatement reads one column of the guild’s row', () => {
    expect(textAndValues(configFieldStatement(config, column('modLogId'), '42'))).to.deep.equal({
      text: 'SELECT "mod_log_id" AS "value" FROM "guild_config" WHERE "guild_id" = $1',
      values: ['42'],
    });
  });

  it('upsertConfigStatement sets the given columns and bumps updated_at, creating the guild and config rows', () => {
    const set = { columns: [column('prefix'), column('jailRoleId')], params: ['?', null] };
    expect(textAndValues(upsertConfigStatement(config, '42', set, true))).to.deep.equal({
      text:
        `${ENSURE_GUILD} INSERT INTO "guild_config" ("guild_id", "prefix", "jail_role_id") VALUES ($1, $2, $3) ` +
        `ON CONFLICT ("guild_id") DO UPDATE SET "prefix" = EXCLUDED."prefix", "jail_role_id" = EXCLUDED."jail_role_id", "updated_at" = now() RETURNING ${config.selectList}`,
      values: ['42', '?', null],
    });
  });

  it('upsertConfigStatement without touch and columns only returns the row, inserting it with the defaults when missing', () => {
    expect(textAndValues(upsertConfigStatement(config, '42', { columns: [], params: [] }, false))).to.deep.equal({
      text: `${ENSURE_GUILD} INSERT INTO "guild_config" ("guild_id") VALUES ($1) ON CONFLICT ("guild_id") DO UPDATE SET "guild_id" = EXCLUDED."guild_id" RETURNING ${config.selectList}`,
      values: ['42'],
    });
  });

  it('configFieldStatement reuses each column’s text, binding each call’s own guild', () => {
    const prefix = configFieldStatement(config, column('prefix'), '42');
    expect(textAndValues(configFieldStatement(config, column('prefix'), '43'))).to.deep.equal({ text: prefix.text, values: ['43'] });
    expect(configFieldStatement(config, column('jailRoleId'), '43').text).to.equal('SELECT "jail_role_id" AS "value" FROM "guild_config" WHERE "guild_id" = $1');
  });
});
