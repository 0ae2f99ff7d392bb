import { expect } from 'chai';
import { ValidationError } from '../../../src/errors/validation-error';
import { keyCondition } from '../../../src/query/key-condition';
import {
  deleteByIdStatement,
  deleteWhereStatement,
  insertStatement,
  updateByIdStatement,
  updateStatement,
  updateWhereStatement,
} from '../../../src/query/write-statements';
import { compositeKeyFixtureModel, fixtureColumn, fixtureModel, guildOwnedFixtureModel } from './fixture-model';
import { textAndValues } from './text-and-values';

const COLUMNS = fixtureModel.selectList;
const ENSURE_GUILD = (n: number) => `WITH "ensure_guild" AS (INSERT INTO "guild" ("guild_id") VALUES ($${n}) ON CONFLICT ("guild_id") DO NOTHING) `;
const row = (values: Record<string, unknown>) => ({ columns: Object.keys(values).map(fixtureColumn), params: Object.values(values) });

describe('write statements', () => {
  describe('insertStatement', () => {
    it('inserts the row’s columns with their values bound in column order, returning the row', () => {
      expect(textAndValues(insertStatement(fixtureModel, row({ caseNumber: 3, caseReason: 'spam' })))).to.deep.equal({
        text: `INSERT INTO "fixture_cases" ("case_number", "case_reason") VALUES ($1, $2) RETURNING ${COLUMNS}`,
        values: [3, 'spam'],
      });
    });

    it('inserts DEFAULT VALUES when the row sets no column', () => {
      expect(textAndValues(insertStatement(fixtureModel, row({})))).to.deep.equal({ text: `INSERT INTO "fixture_cases" DEFAULT VALUES RETURNING ${COLUMNS}`, values: [] });
    });

    it('creates the guild row first on a guild-owned table, naming the guild’s own parameter', () => {
      expect(textAndValues(insertStatement(guildOwnedFixtureModel, row({ caseNumber: 3, guildId: '7', caseReason: 'spam' })))).to.deep.equal({
        text: `${ENSURE_GUILD(2)}INSERT INTO "fixture_cases" ("case_number", "guild_id", "case_reason") VALUES ($1, $2, $3) RETURNING ${COLUMNS}`,
        values: [3, '7', 'spam'],
      });
    });

    it('reuses the text of a set of columns for the next row, which binds its own values', () => {
      insertStatement(guildOwnedFixtureModel, row({ guildId: '1', caseReason: 'a' }));
      expect(textAndValues(insertStatement(guildOwnedFixtureModel, row({ guildId: '2', caseReason: 'b' })))).to.deep.equal({
        text: `${ENSURE_GUILD(1)}INSERT INTO "fixture_cases" ("guild_id", "case_reason") VALUES ($1, $2) RETURNING ${COLUMNS}`,
        values: ['2', 'b'],
      });
    });

    it('leaves the guild alone on a guild-owned table when the row does not write the guild column', () => {
      expect(insertStatement(guildOwnedFixtureModel, row({ caseNumber: 3 })).text).to.equal(`INSERT INTO "fixture_cases" ("case_number") VALUES ($1) RETURNING ${COLUMNS}`);
    });
  });

  describe('updateStatement', () => {
    it('updates by primary key, the set values before the key, returning the row', () => {
      expect(textAndValues(updateByIdStatement(fixtureModel, row({ caseReason: 'spam', caseStatus: false }), ['42']))).to.deep.equal({
        text: `UPDATE "fixture_cases" SET "case_reason" = $1, "case_status" = $2 WHERE "case_id" = $3 RETURNING ${COLUMNS}`,
        values: ['spam', false, '42'],
      });
    });

    it('updates by a composite key', () => {
      expect(textAndValues(updateByIdStatement(compositeKeyFixtureModel, row({ caseReason: null }), ['7', 3]))).to.deep.equal({
        text: `UPDATE "fixture_cases" SET "case_reason" = $1 WHERE "guild_id" = $2 AND "case_number" = $3 RETURNING ${COLUMNS}`,
        values: [null, '7', 3],
      });
    });

    it('bumps the updated_at column after the set values, and refuses to bump it alone when nothing is set', () => {
      expect(updateByIdStatement(guildOwnedFixtureModel, row({ caseReason: 'x' }), ['42']).text).to.equal(
        `UPDATE "fixture_cases" SET "case_reason" = $1, "case_updated_at" = now() WHERE "case_id" = $2 RETURNING ${COLUMNS}`,
      );
      expect(() => updateByIdStatement(guildOwnedFixtureModel, row({}), ['42'])).to.throw(ValidationError, /at least one field/);
    });

    it('updates the rows matching a filter, returning nothing, the filter values after the set values', () => {
      expect(textAndValues(updateWhereStatement(fixtureModel, row({ caseStatus: false }), { guildId: '7', caseNumber: { in: [1, 2] } }))).to.deep.equal({
        text: 'UPDATE "fixture_cases" SET "case_status" = $1 WHERE ("guild_id" = $2 AND "case_number" = ANY($3::int4[]))',
        values: [false, '7', [1, 2]],
      });
    });

    it('takes any condition, such as another key', () => {
      const key = keyCondition([fixtureColumn('guildId'), fixtureColumn('caseNumber')], ['7', 3]);
      expect(textAndValues(updateStatement(fixtureModel, row({ caseReason: 'x' }), key, false))).to.deep.equal({
        text: 'UPDATE "fixture_cases" SET "case_reason" = $1 WHERE "guild_id" = $2 AND "case_number" = $3',
        values: ['x', '7', 3],
      });
    });

    it('refuses an update that would set nothing with a ValidationError on values', () => {
      expect(() => updateByIdStatement(fixtureModel, row({}), ['42'])).to.throw(ValidationError, /at least one field/).with.nested.property('errors[0].field', 'values');
      expect(() => updateWhereStatement(fixtureModel, row({}), {})).to.throw(ValidationError, /at least one field/);
    });
  });

  describe('delete statements', () => {
    it('deletes by primary key, simple or composite', () => {
      expect(textAndValues(deleteByIdStatement(fixtureModel, ['42']))).to.deep.equal({ text: 'DELETE FROM "fixture_cases" WHERE "case_id" = $1', values: ['42'] });
      expect(textAndValues(deleteByIdStatement(compositeKeyFixtureModel, ['7', 3]))).to.deep.equal({
        text: 'DELETE FROM "fixture_cases" WHERE "guild_id" = $1 AND "case_number" = $2',
        values: ['7', 3],
      });
    });

    it('deletes the rows matching a filter, or every row for an empty one', () => {
      expect(textAndValues(deleteWhereStatement(fixtureModel, { caseReason: null }))).to.deep.equal({ text: 'DELETE FROM "fixture_cases" WHERE "case_reason" IS NULL', values: [] });
      expect(textAndValues(deleteWhereStatement(fixtureModel, {}))).to.deep.equal({ text: 'DELETE FROM "fixture_cases" WHERE TRUE', values: [] });
    });
  });
});
