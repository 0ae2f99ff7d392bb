import { expect } from 'chai';
import { ValidationError } from '../../../src/errors/validation-error';
import { compileOrderBy, NO_ORDER } from '../../../src/query/compile-order-by';
import { compile as compileSql } from '../../../src/query/sql';
import { fixtureModel } from './fixture-model';

function compile(orderBy: unknown): string {
  const { text, values } = compileSql(compileOrderBy(fixtureModel, orderBy));
  expect(values, 'an ordering binds nothing').to.deep.equal([]);
  return text;
}

function rejects(orderBy: unknown, field: string, message: RegExp = /./): void {
  expect(() => compile(orderBy)).to.throw(ValidationError, message).with.nested.property('errors[0].field', field);
}

describe('compileOrderBy', () => {
  it('returns NO_ORDER, empty text, when there is nothing to order by', () => {
    expect(compile(undefined)).to.equal('');
    expect(compile({})).to.equal('');
    expect(compile([])).to.equal('');
    for (const nothing of [undefined, {}, []]) expect(compileOrderBy(fixtureModel, nothing)).to.equal(NO_ORDER);
  });

  it('orders by the keys of an object in their order', () => {
    expect(compile({ caseCreatedAt: 'DESC', caseId: 'ASC' })).to.equal('ORDER BY "case_created_at" DESC, "case_id" ASC');
  });

  it('accepts lower-case directions', () => {
    expect(compile({ caseNumber: 'desc', caseId: 'asc' })).to.equal('ORDER BY "case_number" DESC, "case_id" ASC');
  });

  it('places NULLs first or last when asked', () => {
    expect(compile({ caseExpiresAt: { direction: 'ASC', nulls: 'LAST' }, caseReason: { direction: 'desc', nulls: 'first' } }))
      .to.equal('ORDER BY "case_expires_at" ASC NULLS LAST, "case_reason" DESC NULLS FIRST');
  });

  it('orders by a list of single-field objects', () => {
    expect(compile([{ caseType: 'ASC' }, { caseCreatedAt: { direction: 'DESC' } }])).to.equal('ORDER BY "case_type" ASC, "case_created_at" DESC');
  });

  it('rejects an unknown field, listing the valid ones', () => {
    rejects({ createdAt: 'DESC' }, 'orderBy.createdAt', /not a field of FixtureCase; valid fields: caseId/);
    rejects([{ caseId: 'ASC' }, { nope: 'ASC' }], 'orderBy[1].nope', /not a field/);
  });

  it('rejects a direction other than ASC or DESC', () => {
    rejects({ caseId: 'Asc' }, 'orderBy.caseId', /"ASC" or "DESC"/);
    rejects({ caseId: 'DESC; DROP TABLE x' }, 'orderBy.caseId', /"ASC" or "DESC"/);
    rejects({ caseId: 1 }, 'orderBy.caseId');
    rejects({ caseId: { nulls: 'LAST' } }, 'orderBy.caseId.direction', /"ASC" or "DESC"/);
  });

  it('rejects a bad NULLS position or an unknown option', () => {
    rejects({ caseId: { direction: 'ASC', nulls: 'MIDDLE' } }, 'orderBy.caseId.nulls', /"FIRST" or "LAST"/);
    rejects({ caseId: { direction: 'ASC', collate: 'C' } }, 'orderBy.caseId.collate', /not an ordering option/);
  });

  it('rejects a list entry that does not name exactly one field', () => {
    rejects([{ caseId: 'ASC', guildId: 'DESC' }], 'orderBy[0]', /exactly one field/);
    rejects([{}], 'orderBy[0]', /exactly one field/);
    rejects(['caseId'], 'orderBy[0]', /exactly one field/);
  });

  it('rejects a field named twice in a list', () => {
    rejects([{ caseId: 'ASC' }, { caseId: 'DESC' }], 'orderBy[1].caseId', /already named/);
  });

  it('rejects an ordering that is neither an object nor a list', () => {
    for (const bad of [null, 'caseId DESC', 1, new Map()]) rejects(bad, 'orderBy', /must be an object/);
  });
});
