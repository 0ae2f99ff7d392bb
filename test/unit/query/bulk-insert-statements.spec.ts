import { expect } from 'chai';
import { groupArrays, groupByColumns, unnestColumns, unnestSource } from '../../../src/query/bulk-insert';
import { insertManyStatement } from '../../../src/query/bulk-insert-statements';
import { compile, sql } from '../../../src/query/sql';
import { fixtureColumn, fixtureModel, guildOwnedFixtureModel } from './fixture-model';
import { textAndValues } from './text-and-values';

const COLUMNS = fixtureModel.selectList;
const row = (values: Record<string, unknown>) => ({ columns: Object.keys(values).map(fixtureColumn), params: Object.values(values) });
type Row = ReturnType<typeof row>;
// createMany's slow path: rows grouped by the fields they write, each group as one array per field.
const grouped = (rows: ReadonlyArray<Row>) => groupByColumns(rows).map((group) => groupArrays(group, rows));

describe('bulk insert statements', () => {
  describe('groupByColumns', () => {
    it('groups rows by the fields they write, in order of first appearance, remembering each row’s place', () => {
      const rows = [row({ caseNumber: 1 }), row({ caseNumber: 2, caseReason: 'x' }), row({ caseNumber: 3 })];
      const groups = groupByColumns(rows);
      expect(groups.map((g) => [g.columns.map((c) => c.property), g.positions])).to.deep.equal([
        [['caseNumber'], [0, 2]],
        [['caseNumber', 'caseReason'], [1]],
      ]);
    });
  });

  describe('groupArrays', () => {
    it('turns a group’s rows into one array per column, in the group’s order', () => {
      const rows = [row({ caseNumber: 1, caseReason: 'a' }), row({ caseNumber: 2 }), row({ caseNumber: 3, caseReason: null })];
      const [first, second] = groupByColumns(rows);
      expect(groupArrays(first!, rows)).to.deep.equal({ columns: first!.columns, arrays: [[1, 3], ['a', null]] });
      expect(groupArrays(second!, rows)).to.deep.equal({ columns: second!.columns, arrays: [[2]] });
    });
  });

  describe('unnestSource', () => {
    it('binds one array per column, extra arrays first, each cast to its array type', () => {
      const rows = [row({ guildId: '7', caseReason: 'a' }), row({ guildId: '8', caseReason: null })];
      const [group] = grouped(rows);
      const source = unnestSource(group!, [{ alias: 'position', arrayType: 'int[]', values: [0, 1] }]);
      expect(textAndValues(compile(sql`SELECT ${unnestColumns(group!.columns)} FROM ${source.from}`))).to.deep.equal({
        text: 'SELECT "t"."guildId", "t"."caseReason" FROM unnest($1::int[], $2::bigint[], $3::text[]) AS "t"("position", "guildId", "caseReason")',
        values: [[0, 1], ['7', '8'], ['a', null]],
      });
      expect(source.arrays.map((a) => a.value)).to.deep.equal([[0, 1], ['7', '8'], ['a', null]]);
    });
  });

  describe('insertManyStatement', () => {
    it('inserts rows writing the same fields from one array per column, the same text for any number of rows', () => {
      const many = (n: number) => insertManyStatement(fixtureModel, grouped(Array.from({ length: n }, (_, i) => row({ caseNumber: i, caseReason: `r${i}` }))));
      const { statement, createsGuild } = many(2);
      expect(textAndValues(statement)).to.deep.equal({
        text:
          'INSERT INTO "fixture_cases" ("case_number", "case_reason") SELECT "t"."caseNumber", "t"."caseReason" ' +
          `FROM unnest($1::int4[], $2::text[]) AS "t"("caseNumber", "caseReason") RETURNING ${COLUMNS}`,
        values: [[0, 1], ['r0', 'r1']],
      });
      expect(createsGuild).to.equal(false);
      const again = many(500).statement;
      expect(again.text).to.equal(statement.text);
      expect(again.values, 'a reused text binds the new call’s arrays').to.deep.equal([Array.from({ length: 500 }, (_, i) => i), Array.from({ length: 500 }, (_, i) => `r${i}`)]);
    });

    it('creates the missing guilds first on a guild-owned table, from the guild column’s own array', () => {
      const { statement, createsGuild } = insertManyStatement(guildOwnedFixtureModel, grouped([row({ caseNumber: 1, guildId: '7' }), row({ caseNumber: 2, guildId: '8' })]));
      expect(textAndValues(statement)).to.deep.equal({
        text:
          'WITH "ensure_guild" AS (INSERT INTO "guild" ("guild_id") SELECT DISTINCT unnest($2::bigint[]) ON CONFLICT ("guild_id") DO NOTHING) ' +
          'INSERT INTO "fixture_cases" ("case_number", "guild_id") SELECT "t"."caseNumber", "t"."guildId" ' +
          `FROM unnest($1::int4[], $2::bigint[]) AS "t"("caseNumber", "guildId") RETURNING ${COLUMNS}`,
        values: [[1, 2], ['7', '8']],
      });
      expect(createsGuild).to.equal(true);
    });

    it('makes two groups two WITH items whose rows come back labelled with their group, arrays numbered in group order', () => {
      const rows = [row({ caseNumber: 1, guildId: '7' }), row({ guildId: '8', caseNumber: 2, caseReason: 'x' }), row({ caseNumber: 3, guildId: '7' })];
      const { statement, createsGuild } = insertManyStatement(guildOwnedFixtureModel, grouped(rows));
      expect(textAndValues(statement)).to.deep.equal({
        text:
          'WITH "ensure_guild" AS (INSERT INTO "guild" ("guild_id") SELECT DISTINCT unnest($2::bigint[]) UNION SELECT DISTINCT unnest($3::bigint[]) ON CONFLICT ("guild_id") DO NOTHING), ' +
          '"rows0" AS (INSERT INTO "fixture_cases" ("case_number", "guild_id") SELECT "t"."caseNumber", "t"."guildId" ' +
          `FROM unnest($1::int4[], $2::bigint[]) AS "t"("caseNumber", "guildId") RETURNING ${COLUMNS}), ` +
          '"rows1" AS (INSERT INTO "fixture_cases" ("guild_id", "case_number", "case_reason") SELECT "t"."guildId", "t"."caseNumber", "t"."caseReason" ' +
          `FROM unnest($3::bigint[], $4::int4[], $5::text[]) AS "t"("guildId", "caseNumber", "caseReason") RETURNING ${COLUMNS}) ` +
          'SELECT 0 AS "__group", * FROM "rows0" UNION ALL SELECT 1 AS "__group", * FROM "rows1"',
        values: [[1, 3], ['7', '7'], ['8'], [2], ['x']],
      });
      expect(groupByColumns(rows).map((g) => g.positions)).to.deep.equal([[0, 2], [1]]);
      expect(createsGuild).to.equal(true);
    });
  });
});
