import { expect } from 'chai';
import { DatabaseError } from '../../../src/errors/database-error';
import { NO_PARTS, shapedStatement } from '../../../src/query/shaped-statement';
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
    const first = shapedStatement(model, 'byId', NO_PARTS, ['1'], build('1'));
    const second = shapedStatement(model, 'byId', NO_PARTS, ['2'], build('2'));
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
    const first = shapedStatement(model, 'byGuild', NO_PARTS, ['1'], build('1'));
    const second = shapedStatement(model, 'byGuild', NO_PARTS, ['2'], () => {
      throw new Error('compiled twice');
    });
    expect(second.touches).to.deep.equal({ reads: ['fixture_cases'], writes: [], locks: false, guildAt: 0 });
    expect(second.touches).to.equal(first.touches);
    expect([guildIdOf(first), guildIdOf(second)]).to.deep.equal(['1', '2']);
  });

  it('keeps the texts of different shapes and different models apart', () => {
    const model = freshModel();
    shapedStatement(model, 'a', NO_PARTS, [], () => compile(sql`SELECT 'a'`));
    expect(shapedStatement(model, 'b', NO_PARTS, [], () => compile(sql`SELECT 'b'`)).text).to.equal("SELECT 'b'");
    expect(shapedStatement(freshModel(), 'a', NO_PARTS, [], () => compile(sql`SELECT 'other'`)).text).to.equal("SELECT 'other'");
  });

  it('fails the first call of a shape whose listed values are not the ones its builder binds, and remembers nothing', () => {
    const model = freshModel();
    const swapped = () => compile(sql`SELECT ${'b'}, ${'a'}`);
    expect(() => shapedStatement(model, 'pair', NO_PARTS, ['a', 'b'], swapped)).to.throw(DatabaseError, /binds other values/);
    expect(() => shapedStatement(model, 'pair', NO_PARTS, ['a'], () => compile(sql`SELECT ${'a'}, ${'b'}`))).to.throw(DatabaseError);
    expect(shapedStatement(model, 'pair', NO_PARTS, ['a', 'b'], () => compile(sql`SELECT ${'a'}, ${'b'}`)).text).to.equal('SELECT $1, $2');
  });

  it('tells shapes apart by their parts, in order and by identity, within a kind', () => {
    const model = freshModel();
    const [first, second] = [...model.columns.values()];
    if (first === undefined || second === undefined) throw new Error('the fixture model needs two columns');
    const built: string[] = [];
    const shape = (parts: ReadonlyArray<unknown>, label: string) =>
      shapedStatement(model, 'byColumns', parts, [], () => {
        built.push(label);
        return compile(sql`SELECT 1`);
      });
    shape([first, second], 'ab');
    shape([second, first], 'ba');
    shape([first], 'a');
    shape(NO_PARTS, 'none');
    // A part equal in name but not the same object (another model's column) is another shape.
    shape([{ ...first }, second], 'copy');
    shape([first, second], 'ab again');
    shape([second, first], 'ba again');
    expect(built).to.deep.equal(['ab', 'ba', 'a', 'none', 'copy']);
  });
});
