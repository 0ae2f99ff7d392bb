import { expect } from 'chai';
import fc from 'fast-check';
import { ValidationError } from '../../../src/errors/validation-error';
import { compileFilter } from '../../../src/query/compile-filter';
import { filterShape, orderShape } from '../../../src/query/filter-shape';
import { countStatement, existsStatement, findAllStatement } from '../../../src/query/select-statements';
import { MAX_SHAPES_PER_MODEL } from '../../../src/query/shaped-statement';
import type { Statement } from '../../../src/query/sql';
import type { TableModel } from '../../../src/query/table-model';
import { fixtureModel } from './fixture-model';

// Fields of the fixture with scalar values of their kind, valid and invalid (a shape binds both; coercion decides).
const SCALARS: Record<string, fc.Arbitrary<unknown>> = {
  caseId: fc.oneof(fc.bigInt({ min: 1n, max: 2n ** 63n - 1n }).map(String), fc.integer({ min: 1 }), fc.constant('0')),
  guildId: fc.oneof(fc.bigInt({ min: 1n, max: 2n ** 63n - 1n }), fc.constant('1e3')),
  caseNumber: fc.oneof(fc.integer(), fc.double()),
  caseStatus: fc.oneof(fc.boolean(), fc.constant('true')),
  caseReason: fc.oneof(fc.string(), fc.constant('a\u0000b')),
  caseType: fc.constantFrom('BAN', 'KICK', 'WARN', 'ban'),
  caseCreatedAt: fc.constantFrom('2024-05-01T12:00:00Z', '2024-05-01'),
};
const flatFilter = fc.dictionary(fc.constantFrom(...Object.keys(SCALARS)), fc.constant(null)).chain((keys) =>
  fc.record(Object.fromEntries(Object.keys(keys).map((k) => [k, SCALARS[k] as fc.Arbitrary<unknown>]))),
);
const plainOrder = fc.option(fc.dictionary(fc.constantFrom('caseId', 'caseNumber', 'caseCreatedAt'), fc.constantFrom('ASC', 'asc', 'DESC', 'desc')), { nil: undefined });

// What a builder gives, or the error it throws, as comparable data; the reference's errors name their field under
// `and[0].`, which is dropped.
function outcome(build: () => Statement): unknown {
  try {
    const { text, values, touches } = build();
    return { text, values, touches };
  } catch (e) {
    return e instanceof ValidationError ? { error: e.message.replaceAll('and[0].', '') } : e;
  }
}

describe('filterShape and orderShape', () => {
  it('give plain equalities and plain orderings their columns (the model’s own objects) in order, and the values coerced', () => {
    const column = (property: string) => fixtureModel.columns.get(property);
    const shape = filterShape(fixtureModel, { guildId: 42n, caseNumber: 3 });
    expect(shape?.values).to.deep.equal(['42', 3]);
    expect(shape?.columns).to.have.ordered.members([column('guildId'), column('caseNumber')]);
    expect(filterShape(fixtureModel, undefined)).to.deep.equal({ columns: [], values: [] });
    expect(orderShape(fixtureModel, { caseNumber: 'desc', caseId: 'ASC' })).to.have.ordered.members([column('caseNumber'), 'DESC', column('caseId'), 'ASC']);
    expect(orderShape(fixtureModel, undefined)).to.deep.equal([]);
  });

  it('leave everything else to the compilers: combinators, operators, null, Dates, unknown fields, arrays, NULLS', () => {
    for (const filters of [{ or: [] }, { caseNumber: { gt: 1 } }, { caseReason: null }, { caseCreatedAt: new Date(0) }, { caseCreatedAt: '2024-05-01T12:00:00Z' }, { nope: 1 }, [], 'x']) {
      expect(filterShape(fixtureModel, filters), JSON.stringify(filters)).to.equal(undefined);
    }
    for (const orderBy of [[{ caseId: 'ASC' }], { caseId: { direction: 'ASC', nulls: 'LAST' } }, { nope: 'ASC' }, { caseId: 'UP' }, 'caseId']) {
      expect(orderShape(fixtureModel, orderBy), JSON.stringify(orderBy)).to.equal(undefined);
    }
  });

  it('leave a filter with a refused value to compileFilter, which names every failing field', () => {
    expect(filterShape(fixtureModel, { caseNumber: 1.5 })).to.equal(undefined);
    expect(() => compileFilter(fixtureModel, { caseNumber: 1.5 })).to.throw(ValidationError, /caseNumber/);
  });

  // `{ and: [f] }` compiles to the very condition `f` does, but never takes the shaped path: the reference.
  it('make count, exists and findAll give what compiling from scratch gives, first call and later ones alike', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(flatFilter, plainOrder, fc.option(fc.nat(100), { nil: undefined }), fc.option(fc.nat(100), { nil: undefined })), { minLength: 1, maxLength: 4 }), (calls) => {
        // A fresh model per run, so the first call of each shape compiles it and the later ones reuse it.
        const model: TableModel = { ...fixtureModel };
        for (const [filters, orderBy, limit, offset] of calls) {
          const reference = { and: [filters] };
          expect(outcome(() => countStatement(model, filters))).to.deep.equal(outcome(() => countStatement(model, reference)));
          expect(outcome(() => existsStatement(model, filters))).to.deep.equal(outcome(() => existsStatement(model, reference)));
          expect(outcome(() => findAllStatement(model, { filters, orderBy, limit, offset }))).to.deep.equal(
            outcome(() => findAllStatement(model, { filters: reference, orderBy, limit, offset })),
          );
        }
      }),
      { numRuns: 300 },
    );
  });

  it('stop remembering new shapes past MAX_SHAPES_PER_MODEL, and still build each one right', () => {
    const model: TableModel = { ...fixtureModel };
    // Orderings of three of four fields, both directions, with and without limit and offset, under two filters.
    const fields = ['caseId', 'caseNumber', 'caseStatus', 'caseReason'];
    const orders = fields.flatMap((a) => fields.filter((b) => b !== a).flatMap((b) => fields.filter((c) => c !== a && c !== b).map((c) => [a, b, c])));
    let built = 0;
    for (const order of orders) {
      for (const limit of [undefined, 1]) {
        for (const offset of [undefined, 2]) {
          for (const direction of ['ASC', 'DESC']) {
            for (const filters of [{ guildId: '9' }, { caseNumber: 4 }]) {
              const orderBy = Object.fromEntries(order.map((f) => [f, direction]));
              const statement = findAllStatement(model, { filters, orderBy, limit, offset });
              expect(statement.text).to.include(`ORDER BY ${order.map((f) => `"${fixtureModel.columns.get(f)?.column}" ${direction}`).join(', ')}`);
              expect(statement.values).to.deep.equal([Object.values(filters)[0], ...(limit === undefined ? [] : [limit]), ...(offset === undefined ? [] : [offset])]);
              built++;
            }
          }
        }
      }
    }
    expect(built).to.be.greaterThan(MAX_SHAPES_PER_MODEL);
  });
});
