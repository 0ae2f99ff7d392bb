import { expect } from 'chai';
import { Afk } from '../../../src/entities/afk';
import { isMemberAfkStatement, isMemberPermAfkStatement, setMemberAfkStatement } from '../../../src/query/afk-statements';
import { buildTableModel } from '../../../src/query/build-table-model';
import type { TableModel } from '../../../src/query/table-model';
import { entityMetadata } from '../../support/entity-metadata';
import { textAndValues } from './text-and-values';

describe('AFK statements', () => {
  let afk: TableModel;
  before(async () => {
    afk = buildTableModel(await entityMetadata(Afk));
  });

  it('setMemberAfkStatement writes every column in one upsert that creates the guild row, since defaulting to now()', () => {
    const until = new Date('2026-02-03T04:05:06Z');
    const row = { userId: '10', guildId: '20', nickname: 'nick', afkMessage: 'lunch', since: null, until, enforced: true, permAfk: false };
    expect(textAndValues(setMemberAfkStatement(afk, row))).to.deep.equal({
      text:
        'WITH "ensure_guild" AS (INSERT INTO "guild" ("guild_id") VALUES ($2) ON CONFLICT ("guild_id") DO NOTHING) ' +
        'INSERT INTO "afk" ("user_id", "guild_id", "nickname", "afk_message", "since", "until", "enforced", "perm_afk") ' +
        'VALUES ($1, $2, $3, $4, COALESCE($5::timestamptz, now()), $6, $7, $8) ' +
        'ON CONFLICT ("user_id", "guild_id") DO UPDATE SET "nickname" = EXCLUDED."nickname", "afk_message" = EXCLUDED."afk_message", ' +
        '"since" = EXCLUDED."since", "until" = EXCLUDED."until", "enforced" = EXCLUDED."enforced", "perm_afk" = EXCLUDED."perm_afk" ' +
        `RETURNING ${afk.selectList}`,
      values: ['10', '20', 'nick', 'lunch', null, until, true, false],
    });
  });

  it('isMemberAfkStatement asks whether the member has a row', () => {
    expect(textAndValues(isMemberAfkStatement(afk, { userId: '10', guildId: '20' }))).to.deep.equal({
      text: 'SELECT EXISTS (SELECT 1 FROM "afk" WHERE "user_id" = $1 AND "guild_id" = $2) AS "afk"',
      values: ['10', '20'],
    });
  });

  it('isMemberPermAfkStatement asks whether the member has a permanent row', () => {
    expect(textAndValues(isMemberPermAfkStatement(afk, { userId: '10', guildId: '20' }))).to.deep.equal({
      text: 'SELECT EXISTS (SELECT 1 FROM "afk" WHERE "user_id" = $1 AND "guild_id" = $2 AND "perm_afk") AS "perm"',
      values: ['10', '20'],
    });
  });

  it('reuses the text of isMemberAfk and isMemberPermAfk, binding each call’s own ids', () => {
    for (const build of [isMemberAfkStatement, isMemberPermAfkStatement]) {
      const first = build(afk, { userId: '10', guildId: '20' });
      expect(textAndValues(build(afk, { userId: '11', guildId: '21' }))).to.deep.equal({ text: first.text, values: ['11', '21'] });
    }
  });
});
