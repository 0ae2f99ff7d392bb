import { expect } from 'chai';
import { ValidationError } from '../../../src/errors/validation-error';
import { compileFilter } from '../../../src/query/compile-filter';
import { compileOrderBy } from '../../../src/query/compile-order-by';
import { compile } from '../../../src/query/sql';
import type { FieldKeys, Filter, OrderBy } from '../../../src/query/filter-types';
import { FixtureCase, FixtureCaseType, fixtureModel } from './fixture-model';

// Compile-time checks: `tsc --noEmit` (part of `npm test`) fails if a line marked @ts-expect-error compiles.
type Expect<T extends true> = T;
type Equal<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;

export type FieldKeysLeaveOutMethodsAndRelations = Expect<
  Equal<
    FieldKeys<FixtureCase>,
    | 'caseId' | 'guildId' | 'caseNumber' | 'caseScore' | 'caseStatus' | 'caseReason' | 'caseType'
    | 'caseCreatedAt' | 'caseExpiresAt' | 'caseUserRoles' | 'caseMetadata' | 'modLogMessageId'
  >
>;

const since = new Date(Date.UTC(2024, 0, 1));
const until = new Date(Date.UTC(2024, 1, 1));

const validFilters: ReadonlyArray<Filter<FixtureCase>> = [
  { guildId: '1', caseStatus: true },
  { guildId: 1n, caseId: { in: [1n, '2'] } },
  { caseReason: null, modLogMessageId: { eq: null } },
  { caseReason: { isNull: false, like: '%spam%', ilike: '%SPAM%', ne: null } },
  { caseType: FixtureCaseType.BAN },
  { caseType: { in: [FixtureCaseType.BAN, FixtureCaseType.KICK] } },
  { caseCreatedAt: { between: [since, until] }, caseExpiresAt: { gte: since } },
  { caseNumber: { gt: 1, lte: 10, notIn: [5] } },
  { caseUserRoles: ['1', '2'], caseMetadata: { eq: { reason: 'x' } } },
  { or: [{ caseNumber: 1 }, { and: [{ caseStatus: false }] }], not: { caseScore: { lt: 0.5 } } },
];

const invalidFilters: ReadonlyArray<Filter<FixtureCase>> = [
  // @ts-expect-error a field the entity does not have
  { caseIdd: '1' },
  // @ts-expect-error a method is not a field
  { describe: 'x' },
  // @ts-expect-error a relation is not a field
  { guild: { guildId: '1' } },
  // @ts-expect-error a string for a number field
  { caseNumber: '1' },
  // @ts-expect-error a bigint for a number field
  { caseNumber: 1n },
  // @ts-expect-error null on a field that is not nullable
  { guildId: null },
  // @ts-expect-error eq: null on a field that is not nullable
  { caseNumber: { eq: null } },
  // @ts-expect-error isNull on a field that is not nullable
  { caseNumber: { isNull: true } },
  // @ts-expect-error like on a number field
  { caseNumber: { like: '1%' } },
  // @ts-expect-error like on an enum field
  { caseType: { like: 'B%' } },
  // @ts-expect-error a value outside the enum
  { caseType: 'NUKE' },
  // @ts-expect-error an unknown operator
  { caseNumber: { greaterThan: 1 } },
  // @ts-expect-error null inside an in list
  { caseReason: { in: ['a', null] } },
  // @ts-expect-error null in a comparison
  { caseExpiresAt: { gt: null } },
  // @ts-expect-error between with one value
  { caseNumber: { between: [1] } },
  // @ts-expect-error a bare object on a JSON field (use eq)
  { caseMetadata: { reason: 'x' } },
  // @ts-expect-error a wrong value inside or
  { or: [{ caseStatus: 'yes' }] },
  // @ts-expect-error not takes one filter, not a list
  { not: [{ caseStatus: true }] },
];

// Untyped callers may pass ISO 8601 strings for timestamps (coerceValue parses them); typed code passes Dates.
// @ts-expect-error a string for a Date field
export const isoStringForDate: Filter<FixtureCase> = { caseCreatedAt: '2024-01-01T00:00:00Z' };

const validOrders: ReadonlyArray<OrderBy<FixtureCase>> = [
  { caseCreatedAt: 'DESC', caseId: 'asc' },
  { caseExpiresAt: { direction: 'ASC', nulls: 'LAST' } },
  [{ caseType: 'ASC' }, { caseCreatedAt: { direction: 'desc', nulls: 'first' } }],
];

const invalidOrders: ReadonlyArray<OrderBy<FixtureCase>> = [
  // @ts-expect-error a field the entity does not have
  { createdAt: 'DESC' },
  // @ts-expect-error a direction that is not ASC or DESC
  { caseId: 'UP' },
  // @ts-expect-error a NULLS position that is not FIRST or LAST
  { caseId: { direction: 'ASC', nulls: 'MIDDLE' } },
  // @ts-expect-error two fields in one list entry
  [{ caseId: 'ASC', guildId: 'DESC' }],
];

describe('Filter and OrderBy types', () => {
  it('describe filters that compileFilter accepts', () => {
    for (const filter of validFilters) expect(compile(compileFilter(fixtureModel, filter)).text).to.be.a('string').and.not.equal('');
  });

  it('describe orderings that compileOrderBy accepts', () => {
    for (const orderBy of validOrders) expect(compile(compileOrderBy(fixtureModel, orderBy)).text).to.match(/^ORDER BY "/);
  });

  it('reject at compile time what compileFilter and compileOrderBy reject at run time', () => {
    for (const filter of invalidFilters) expect(() => compileFilter(fixtureModel, filter)).to.throw(ValidationError);
    for (const orderBy of invalidOrders) expect(() => compileOrderBy(fixtureModel, orderBy)).to.throw(ValidationError);
  });
});
