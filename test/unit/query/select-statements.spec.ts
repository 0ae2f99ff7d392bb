import { expect } from 'chai';
import { ValidationError } from '../../../src/errors/validation-error';
import { countStatement, existsStatement, findAllStatement, getByIdStatement, paginateStatement } from '../../../src/query/select-statements';
import { compositeKeyFixtureModel, fixtureModel } from './fixture-model';
import { textAndValues } from './text-and-values';

const COLUMNS = fixtureModel.selectList;

describe('select statements', () => {
  describe('getByIdStatement', () => {
    it('selects the row whose primary key equals the bound key', () => {
      expect(textAndValues(getByIdStatement(fixtureModel, ['42']))).to.deep.equal({
        text: `SELECT ${COLUMNS} FROM "fixture_cases" WHERE "case_id" = $1`,
        values: ['42'],
      });
    });

    it('reuses the text for the next key, binding only its value', () => {
      getByIdStatement(fixtureModel, ['1']);
      expect(textAndValues(getByIdStatement(fixtureModel, ['2']))).to.deep.equal({ text: `SELECT ${COLUMNS} FROM "fixture_cases" WHERE "case_id" = $1`, values: ['2'] });
    });

    it('ANDs the columns of a composite key, in key order', () => {
      expect(textAndValues(getByIdStatement(compositeKeyFixtureModel, ['7', 3]))).to.deep.equal({
        text: `SELECT ${COLUMNS} FROM "fixture_cases" WHERE "guild_id" = $1 AND "case_number" = $2`,
        values: ['7', 3],
      });
    });
  });

  describe('findAllStatement', () => {
    it('selects every row with no filter, order, limit or offset', () => {
      expect(textAndValues(findAllStatement(fixtureModel, {}))).to.deep.equal({ text: `SELECT ${COLUMNS} FROM "fixture_cases" WHERE TRUE`, values: [] });
    });

    it('filters, orders, and binds LIMIT and OFFSET after the filter values instead of inlining them', () => {
      const statement = findAllStatement(fixtureModel, { filters: { guildId: '7', caseStatus: true }, orderBy: { caseNumber: 'DESC' }, limit: 10, offset: 20 });
      expect(textAndValues(statement)).to.deep.equal({
        text: `SELECT ${COLUMNS} FROM "fixture_cases" WHERE ("guild_id" = $1 AND "case_status" = $2) ORDER BY "case_number" DESC LIMIT $3 OFFSET $4`,
        values: ['7', true, 10, 20],
      });
    });

    it('has the same text for every page, so one prepared statement serves them all', () => {
      const page = (offset: number) => findAllStatement(fixtureModel, { filters: { guildId: '7' }, limit: 5, offset });
      expect(page(0).text).to.equal(page(500).text);
      expect(page(500).values).to.deep.equal(['7', 5, 500]);
    });

    it('binds an OFFSET without a LIMIT', () => {
      expect(textAndValues(findAllStatement(fixtureModel, { offset: 3 }))).to.deep.equal({ text: `SELECT ${COLUMNS} FROM "fixture_cases" WHERE TRUE OFFSET $1`, values: [3] });
    });

    it('refuses a bad filter or ordering with the compilers’ ValidationError', () => {
      expect(() => findAllStatement(fixtureModel, { filters: { nope: 1 } })).to.throw(ValidationError).with.nested.property('errors[0].field', 'nope');
      expect(() => findAllStatement(fixtureModel, { orderBy: { caseId: 'UP' } })).to.throw(ValidationError).with.nested.property('errors[0].field', 'orderBy.caseId');
    });
  });

  describe('countStatement and existsStatement', () => {
    it('counts the rows matching the filter', () => {
      expect(textAndValues(countStatement(fixtureModel, { caseNumber: { gt: 3 } }))).to.deep.equal({
        text: 'SELECT count(*) AS n FROM "fixture_cases" WHERE "case_number" > $1',
        values: [3],
      });
    });

    it('asks whether any row matches the filter', () => {
      expect(textAndValues(existsStatement(fixtureModel, undefined))).to.deep.equal({ text: 'SELECT EXISTS (SELECT 1 FROM "fixture_cases" WHERE TRUE) AS e', values: [] });
      expect(textAndValues(existsStatement(fixtureModel, { guildId: '7' }))).to.deep.equal({
        text: 'SELECT EXISTS (SELECT 1 FROM "fixture_cases" WHERE "guild_id" = $1) AS e',
        values: ['7'],
      });
    });
  });

  describe('paginateStatement', () => {
    it('cuts the page in a subquery beside a scalar count, binding the filter values once for both', () => {
      const statement = paginateStatement(fixtureModel, { filters: { guildId: '7', caseStatus: true }, orderBy: { caseNumber: 'DESC' }, perPage: 20, offset: 40 });
      expect(textAndValues(statement)).to.deep.equal({
        text:
          'SELECT "page".*, (SELECT count(*) FROM "fixture_cases" WHERE ("guild_id" = $1 AND "case_status" = $2)) AS "__total" ' +
          `FROM (SELECT ${COLUMNS} FROM "fixture_cases" WHERE ("guild_id" = $1 AND "case_status" = $2) ORDER BY "case_number" DESC LIMIT $3 OFFSET $4) AS "page"`,
        values: ['7', true, 20, 40],
      });
    });

    it('leaves the ORDER BY out when there is no ordering', () => {
      expect(textAndValues(paginateStatement(fixtureModel, { perPage: 5, offset: 0 }))).to.deep.equal({
        text: `SELECT "page".*, (SELECT count(*) FROM "fixture_cases" WHERE TRUE) AS "__total" FROM (SELECT ${COLUMNS} FROM "fixture_cases" WHERE TRUE LIMIT $1 OFFSET $2) AS "page"`,
        values: [5, 0],
      });
    });
  });
});
