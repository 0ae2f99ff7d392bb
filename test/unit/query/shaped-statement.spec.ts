import { expect } from 'chai';
import { DatabaseError } from '../../../src/errors/database-error';
import { shapedStatement } from '../../../src/query/shaped-statement';
import { compile, param, sql } from '../../../src/query/sql';
import { guildIdOf } from '../../../src/query/touches';
import type { TableModel } from '../../../src/query/table-model';
import { fixtureModel } from './fixture-model';

describe('shapedStatement', () => {
  // A model of its own per test: texts are remembered per model.
  const freshModel = (): TableModel => ({ ...fixtureModel });

  it('compiles a shape once, then reuses its text with each call’s values', () => {
    const model = freshModel();
    let builds = 0;
    const build = (id: string) => () => {
      builds++;
      return compile(sql`SELECT 1 FROM "fixture_cases" WHERE "case_id" = ${id}`);
    };
    const first = shapedStatement(model, 'byId', ['1'], build('1'));
    const second = shapedStatement(model, 'byId', ['2'], build('2'));
    expect(first).to.deep.equal({ text: 'SELECT 1 FROM "fixture_cases" WHERE "case_id" = $1', values: ['1'] });
    expect({ text: second.text, values: second.values }).to.deep.equal({ text: first.text, values: ['2'] });
    expect(builds).to.equal(1);
  });

  it('keeps the declaration of what the statement touches on the cached path, the guild read from each call’s values', () => {
    const model = freshModel();
    const build = (id: string) => () => {
      const guild = param(id);
      return compile(sql`SELECT 1 FROM "fixture_cases" WHERE "guild_id" = ${guild}`, { reads: ['fixture_cases'], writes: [], guild });
    };
    const first = shapedStatement(model, 'byGuild', ['1'], build('1'));
    const second = shapedStatement(model, 'byGuild', ['2'], () => {
      throw new Error('compiled twice');
    });
    expect(second.touches).to.deep.equal({ reads: ['fixture_cases'], writes: [], locks: false, guildAt: 0 });
    expect(second.touches).to.equal(first.touches);
    expect([guildIdOf(first), guildIdOf(second)]).to.deep.equal(['1', '2']);
  });

  it('keeps the texts of different shapes and different models apart', () => {
    const model = freshModel();
    shapedStatement(model, 'a', [], () => compile(sql`SELECT 'a'`));
    expect(shapedStatement(model, 'b', [], () => compile(sql`SELECT 'b'`)).text).to.equal("SELECT 'b'");
    expect(shapedStatement(freshModel(), 'a', [], () => compile(sql`SELECT 'other'`)).text).to.equal("SELECT 'other'");
  });

  it('fails the first call of a shape whose listed values are not the ones its builder binds, and remembers nothing', () => {
    const model = freshModel();
    const swapped = () => compile(sql`SELECT ${'b'}, ${'a'}`);
    expect(() => shapedStatement(model, 'pair', ['a', 'b'], swapped)).to.throw(DatabaseError, /binds other values/);
    expect(() => shapedStatement(model, 'pair', ['a'], () => compile(sql`SELECT ${'a'}, ${'b'}`))).to.throw(DatabaseError);
    expect(shapedStatement(model, 'pair', ['a', 'b'], () => compile(sql`SELECT ${'a'}, ${'b'}`)).text).to.equal('SELECT $1, $2');
  });
});
