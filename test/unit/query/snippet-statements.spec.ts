import { expect } from 'chai';
import { Snippet } from '../../../src/entities/snippet';
import { buildTableModel } from '../../../src/query/build-table-model';
import {
  aliasesStatement,
  createAliasStatement,
  deleteSnippetByNameStatement,
  incrementUsesStatement,
  snippetByNameStatement,
  toggleLockStatement,
} from '../../../src/query/snippet-statements';
import type { TableModel } from '../../../src/query/table-model';
import { entityMetadata } from '../../support/entity-metadata';
import { textAndValues } from './text-and-values';

describe('snippet statements', () => {
  let snippet: TableModel;
  before(async () => {
    snippet = buildTableModel(await entityMetadata(Snippet));
  });

  it('snippetByNameStatement finds the name in any case and resolves an alias to its target in the same statement', () => {
    expect(textAndValues(snippetByNameStatement(snippet, '42', 'Hello'))).to.deep.equal({
      text:
        `SELECT ${snippet.selectList} FROM "snippet" WHERE "guild_id" = $1 AND "snippet_id" = (SELECT COALESCE(t."snippet_id", s."snippet_id") FROM "snippet" s ` +
        'LEFT JOIN "snippet" t ON s."alias" IS NOT NULL AND t."guild_id" = $1 AND lower(t."snippet_name") = lower(s."alias") ' +
        'WHERE s."guild_id" = $1 AND lower(s."snippet_name") = lower($2))',
      values: ['42', 'Hello'],
    });
  });

  it('createAliasStatement inserts the alias only when the target exists, pointing at the target’s own target', () => {
    expect(textAndValues(createAliasStatement(snippet, { guildId: '42', aliasName: 'hi', userId: '7', targetName: 'Hello' }))).to.deep.equal({
      text:
        'WITH target AS (SELECT COALESCE("alias", "snippet_name") AS name, "snippet_user_id" AS author FROM "snippet" WHERE "guild_id" = $1 AND lower("snippet_name") = lower($4::varchar)) ' +
        'INSERT INTO "snippet" ("guild_id", "snippet_name", "snippet_user_id", "alias") SELECT $1::bigint, $2::varchar, COALESCE($3::bigint, target.author), target.name FROM target ' +
        `RETURNING ${snippet.selectList}`,
      values: ['42', 'hi', '7', 'Hello'],
    });
  });

  it('aliasesStatement lists the aliases of a name in any case, by name', () => {
    expect(textAndValues(aliasesStatement(snippet, '42', 'Hello'))).to.deep.equal({
      text: `SELECT ${snippet.selectList} FROM "snippet" WHERE "guild_id" = $1 AND lower("alias") = lower($2) ORDER BY "snippet_name"`,
      values: ['42', 'Hello'],
    });
  });

  it('deleteSnippetByNameStatement deletes the name in any case', () => {
    expect(textAndValues(deleteSnippetByNameStatement(snippet, '42', 'Hello'))).to.deep.equal({
      text: 'DELETE FROM "snippet" WHERE "guild_id" = $1 AND lower("snippet_name") = lower($2)',
      values: ['42', 'Hello'],
    });
  });

  it('incrementUsesStatement adds one use in int8, saturating at the int4 maximum', () => {
    expect(textAndValues(incrementUsesStatement(snippet, '9'))).to.deep.equal({
      text: 'UPDATE "snippet" SET "uses" = LEAST("uses"::int8 + 1, 2147483647)::int WHERE "snippet_id" = $1 RETURNING "uses"',
      values: ['9'],
    });
  });

  it('toggleLockStatement flips the lock in SQL and bumps updated_at', () => {
    expect(textAndValues(toggleLockStatement(snippet, '9'))).to.deep.equal({
      text: `UPDATE "snippet" SET "locked" = NOT "locked", "updated_at" = now() WHERE "snippet_id" = $1 RETURNING ${snippet.selectList}`,
      values: ['9'],
    });
  });

  it('reuses the text of getSnippetByName and incrementUses, binding each call’s own values', () => {
    const byName = snippetByNameStatement(snippet, '42', 'Hello');
    expect(textAndValues(snippetByNameStatement(snippet, '43', 'Bye'))).to.deep.equal({ text: byName.text, values: ['43', 'Bye'] });
    const uses = incrementUsesStatement(snippet, '9');
    expect(textAndValues(incrementUsesStatement(snippet, '10'))).to.deep.equal({ text: uses.text, values: ['10'] });
  });
});
