import { expect } from 'chai';
import { groupArrays, groupByColumns } from '../../../src/query/bulk-insert';
import { createCaseStatement, insertGuildCasesStatement, updateCaseByNumberStatement } from '../../../src/query/case-statements';
import { fixtureColumn, fixtureModel, guildOwnedFixtureModel } from './fixture-model';
import { textAndValues } from './text-and-values';

const COLUMNS = fixtureModel.selectList;
const COUNTER =
  'counter AS (INSERT INTO "guild" ("guild_id", "case_count") VALUES ($1, $2) ' +
  'ON CONFLICT ("guild_id") DO UPDATE SET "case_count" = "guild"."case_count" + $2, "updated_at" = now() RETURNING "case_count")';
const row = (values: Record<string, unknown>) => ({ columns: Object.keys(values).map(fixtureColumn), params: Object.values(values) });
// createCases' input: the rows grouped by the fields they write, each numbered by its place among all rows.
const groups = (rows: ReadonlyArray<ReturnType<typeof row>>) => groupByColumns(rows).map((group) => ({ ...groupArrays(group, rows), positions: group.positions }));

describe('case statements', () => {
  describe('createCaseStatement', () => {
    it('bumps the guild’s counter by 1 and numbers the case from it, guild and bump each bound once', () => {
      expect(textAndValues(createCaseStatement(fixtureModel, '7', row({ caseType: 'BAN', caseReason: 'spam' })))).to.deep.equal({
        text:
          `WITH ${COUNTER} INSERT INTO "fixture_cases" ("guild_id", "case_number", "case_type", "case_reason") ` +
          `VALUES ($1, (SELECT "case_count" FROM counter), $3, $4) RETURNING ${COLUMNS}`,
        values: ['7', 1, 'BAN', 'spam'],
      });
    });

    it('reuses the text of a set of fields for the next case, which binds its own values', () => {
      createCaseStatement(fixtureModel, '7', row({ caseType: 'BAN' }));
      expect(textAndValues(createCaseStatement(fixtureModel, '8', row({ caseType: 'KICK' })))).to.deep.equal({
        text: `WITH ${COUNTER} INSERT INTO "fixture_cases" ("guild_id", "case_number", "case_type") VALUES ($1, (SELECT "case_count" FROM counter), $3) RETURNING ${COLUMNS}`,
        values: ['8', 1, 'KICK'],
      });
    });

    it('writes only the guild and number when no other field is given', () => {
      expect(createCaseStatement(fixtureModel, '7', row({})).text).to.equal(
        `WITH ${COUNTER} INSERT INTO "fixture_cases" ("guild_id", "case_number") VALUES ($1, (SELECT "case_count" FROM counter)) RETURNING ${COLUMNS}`,
      );
    });
  });

  describe('insertGuildCasesStatement', () => {
    it('bumps the counter by the number of cases and numbers each by its position, from one array per field', () => {
      const { statement, groupCount } = insertGuildCasesStatement(fixtureModel, '7', 2, groups([row({ caseType: 'BAN' }), row({ caseType: 'KICK' })]));
      expect(textAndValues(statement)).to.deep.equal({
        text:
          `WITH ${COUNTER} INSERT INTO "fixture_cases" ("guild_id", "case_number", "case_type") ` +
          'SELECT $1::bigint, (SELECT "case_count" FROM counter) - $2::int + 1 + "t"."position", "t"."caseType" ' +
          `FROM unnest($3::int[], $4::"fixture_case_type"[]) AS "t"("position", "caseType") RETURNING ${COLUMNS}`,
        values: ['7', 2, [0, 1], ['BAN', 'KICK']],
      });
      expect(groupCount).to.equal(1);
      const again = insertGuildCasesStatement(fixtureModel, '8', 3, groups([row({ caseType: 'WARN' }), row({ caseType: 'BAN' }), row({ caseType: 'KICK' })])).statement;
      expect(again.text, 'the text of a field list is reused').to.equal(statement.text);
      expect(again.values).to.deep.equal(['8', 3, [0, 1, 2], ['WARN', 'BAN', 'KICK']]);
    });

    it('makes cases that set different fields separate WITH items sharing the one bump', () => {
      const rows = [row({ caseType: 'BAN' }), row({ caseType: 'KICK', caseReason: 'x' }), row({ caseType: 'WARN' })];
      const { statement, groupCount } = insertGuildCasesStatement(fixtureModel, '7', rows.length, groups(rows));
      expect(textAndValues(statement)).to.deep.equal({
        text:
          `WITH ${COUNTER}, "cases0" AS (INSERT INTO "fixture_cases" ("guild_id", "case_number", "case_type") ` +
          'SELECT $1::bigint, (SELECT "case_count" FROM counter) - $2::int + 1 + "t"."position", "t"."caseType" ' +
          `FROM unnest($3::int[], $4::"fixture_case_type"[]) AS "t"("position", "caseType") RETURNING ${COLUMNS}), ` +
          '"cases1" AS (INSERT INTO "fixture_cases" ("guild_id", "case_number", "case_type", "case_reason") ' +
          'SELECT $1::bigint, (SELECT "case_count" FROM counter) - $2::int + 1 + "t"."position", "t"."caseType", "t"."caseReason" ' +
          `FROM unnest($5::int[], $6::"fixture_case_type"[], $7::text[]) AS "t"("position", "caseType", "caseReason") RETURNING ${COLUMNS}) ` +
          'SELECT * FROM "cases0" UNION ALL SELECT * FROM "cases1"',
        values: ['7', 3, [0, 2], ['BAN', 'WARN'], [1], ['KICK'], ['x']],
      });
      expect(groupCount).to.equal(2);
    });
  });

  describe('updateCaseByNumberStatement', () => {
    it('updates the case with this number in a guild, bumping its updated_at, and returns it', () => {
      expect(textAndValues(updateCaseByNumberStatement(guildOwnedFixtureModel, row({ caseReason: 'x' }), '7', 3))).to.deep.equal({
        text: `UPDATE "fixture_cases" SET "case_reason" = $1, "case_updated_at" = now() WHERE "guild_id" = $2 AND "case_number" = $3 RETURNING ${COLUMNS}`,
        values: ['x', '7', 3],
      });
    });
  });
});
