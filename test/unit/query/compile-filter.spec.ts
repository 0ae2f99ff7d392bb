import { expect } from 'chai';
import { ValidationError } from '../../../src/errors/validation-error';
import { compileFilter, MAX_FILTER_DEPTH } from '../../../src/query/compile-filter';
import { escapeLike } from '../../../src/query/escape-like';
import { compile as compileSql, sql } from '../../../src/query/sql';
import { fixtureModel } from './fixture-model';

interface Compiled {
  readonly sql: string;
  readonly params: unknown[];
}

function compile(filter: unknown): Compiled {
  const { text, values } = compileSql(compileFilter(fixtureModel, filter));
  return { sql: text, params: values };
}

function rejects(filter: unknown, field: string, message: RegExp = /./): void {
  expect(() => compile(filter)).to.throw(ValidationError, message).with.nested.property('errors[0].field', field);
}

function nested(levels: number): Record<string, unknown> {
  let filter: Record<string, unknown> = { caseStatus: true };
  for (let i = 0; i < levels; i++) filter = { not: filter };
  return filter;
}

describe('compileFilter', () => {
  describe('equality', () => {
    it('compiles an undefined or empty filter to TRUE without binding anything', () => {
      expect(compile(undefined)).to.deep.equal({ sql: 'TRUE', params: [] });
      expect(compile({})).to.deep.equal({ sql: 'TRUE', params: [] });
    });

    it('compiles one field to a comparison with a bound parameter', () => {
      expect(compile({ guildId: '42' })).to.deep.equal({ sql: '"guild_id" = $1', params: ['42'] });
    });

    it('ANDs several fields in parentheses', () => {
      expect(compile({ guildId: 42n, caseStatus: true })).to.deep.equal({
        sql: '("guild_id" = $1 AND "case_status" = $2)',
        params: ['42', true],
      });
    });

    it('numbers placeholders after the parameters the statement already bound', () => {
      const statement = compileSql(sql`SELECT ${'x'}, ${'y'} WHERE ${compileFilter(fixtureModel, { caseNumber: 3 })}`);
      expect(statement).to.deep.equal({ text: 'SELECT $1, $2 WHERE "case_number" = $3', values: ['x', 'y', 3] });
    });

    it('binds its values once when a statement names the filter twice', () => {
      const where = compileFilter(fixtureModel, { guildId: '42', caseNumber: { between: [1, 9] } });
      const statement = compileSql(sql`SELECT (SELECT count(*) WHERE ${where}) WHERE ${where} LIMIT ${5}`);
      expect(statement).to.deep.equal({
        text: 'SELECT (SELECT count(*) WHERE ("guild_id" = $1 AND "case_number" BETWEEN $2 AND $3)) WHERE ("guild_id" = $1 AND "case_number" BETWEEN $2 AND $3) LIMIT $4',
        values: ['42', 1, 9, 5],
      });
    });

    it('reads null on a nullable field as IS NULL', () => {
      expect(compile({ caseReason: null })).to.deep.equal({ sql: '"case_reason" IS NULL', params: [] });
    });

    it('rejects null on a field that is not nullable', () => {
      rejects({ caseNumber: null }, 'caseNumber', /not nullable/);
    });

    it('rejects undefined, which would otherwise widen the filter silently', () => {
      rejects({ guildId: undefined }, 'guildId', /undefined/);
    });

    it('compares a JSON field with a whole array, bound as JSON text', () => {
      expect(compile({ caseUserRoles: ['1', 2n] })).to.deep.equal({ sql: '"case_user_roles" = $1', params: ['["1","2"]'] });
    });

    it('rejects an array on any other field, pointing to in', () => {
      rejects({ caseId: ['1', '2'] }, 'caseId', /use \{ in: \[\.\.\.\] \}/);
    });

    it('passes every value through coerceValue and names the failing field', () => {
      rejects({ guildId: 'abc' }, 'guildId', /Discord id/);
      rejects({ caseType: 'NUKE' }, 'caseType', /one of BAN, KICK, WARN/);
    });
  });

  describe('operators', () => {
    it('compiles eq, ne and the comparisons', () => {
      const filter = { caseNumber: { eq: 1, ne: 2, gt: 3, gte: 4, lt: 5, lte: 6 } };
      expect(compile(filter)).to.deep.equal({
        sql: '("case_number" = $1 AND "case_number" <> $2 AND "case_number" > $3 AND "case_number" >= $4 AND "case_number" < $5 AND "case_number" <= $6)',
        params: [1, 2, 3, 4, 5, 6],
      });
    });

    it('reads eq: null as IS NULL and ne: null as IS NOT NULL', () => {
      expect(compile({ caseExpiresAt: { eq: null } }).sql).to.equal('"case_expires_at" IS NULL');
      expect(compile({ caseExpiresAt: { ne: null } }).sql).to.equal('"case_expires_at" IS NOT NULL');
    });

    it('rejects null in comparisons', () => {
      rejects({ caseExpiresAt: { gt: null } }, 'caseExpiresAt.gt', /isNull/);
    });

    it('compiles isNull true and false on nullable fields', () => {
      expect(compile({ caseReason: { isNull: true } }).sql).to.equal('"case_reason" IS NULL');
      expect(compile({ caseReason: { isNull: false } }).sql).to.equal('"case_reason" IS NOT NULL');
    });

    it('rejects isNull on a field that is not nullable, or with a non-boolean', () => {
      rejects({ caseNumber: { isNull: true } }, 'caseNumber.isNull', /not nullable/);
      rejects({ caseReason: { isNull: 'yes' } }, 'caseReason.isNull', /true or false/);
    });

    it('compiles between with two bound values', () => {
      const low = new Date(Date.UTC(2024, 0, 1));
      const high = new Date(Date.UTC(2024, 1, 1));
      expect(compile({ caseCreatedAt: { between: [low, high] } })).to.deep.equal({
        sql: '"case_created_at" BETWEEN $1 AND $2',
        params: [low, high],
      });
    });

    it('rejects between without exactly two values, or with a null bound', () => {
      rejects({ caseNumber: { between: [1] } }, 'caseNumber.between', /exactly two/);
      rejects({ caseNumber: { between: [1, 2, 3] } }, 'caseNumber.between', /exactly two/);
      rejects({ caseNumber: { between: 1 } }, 'caseNumber.between', /exactly two/);
      rejects({ caseNumber: { between: [1, null] } }, 'caseNumber.between[1]', /null/);
      rejects({ caseNumber: { between: [1, 'x'] } }, 'caseNumber.between[1]', /integer/);
    });

    it('rejects ordering comparisons on JSON fields', () => {
      rejects({ caseMetadata: { gt: {} } }, 'caseMetadata.gt', /JSON/);
      rejects({ caseUserRoles: { between: [[], []] } }, 'caseUserRoles.between', /JSON/);
    });

    it('compiles like and ilike with the pattern bound exactly as given', () => {
      expect(compile({ caseReason: { like: '%a_b%' } })).to.deep.equal({ sql: '"case_reason" LIKE $1', params: ['%a_b%'] });
      expect(compile({ caseReason: { ilike: 'spam%' } })).to.deep.equal({ sql: '"case_reason" ILIKE $1', params: ['spam%'] });
    });

    it('rejects like on fields that are not text, and patterns that are not strings', () => {
      rejects({ caseNumber: { like: '1%' } }, 'caseNumber.like', /only allowed on text fields/);
      rejects({ caseType: { ilike: 'B%' } }, 'caseType.ilike', /only allowed on text fields/);
      rejects({ caseReason: { like: 5 } }, 'caseReason.like', /string pattern/);
      rejects({ caseReason: { like: '%\u0000%' } }, 'caseReason.like', /NUL/);
    });

    it('rejects a pattern ending in a lone escape character, which the server would refuse (22025), before any SQL', () => {
      for (const pattern of ['\\', 'abc\\', '%\\\\\\', '\\a\\']) {
        rejects({ caseReason: { like: pattern } }, 'caseReason.like', /lone escape character/);
        rejects({ caseReason: { ilike: pattern } }, 'caseReason.ilike', /lone escape character/);
      }
      // An escaped backslash, and escapes before other characters, are literal text the server takes.
      for (const pattern of ['\\\\', 'a\\\\', '\\%', '%\\_\\\\', escapeLike('trailing\\')]) {
        expect(compile({ caseReason: { like: pattern } }).params).to.deep.equal([pattern]);
      }
    });

    it('compares a JSON field with an object only through eq, since a plain object is an operator object', () => {
      expect(compile({ caseMetadata: { eq: { a: 1 } } })).to.deep.equal({ sql: '"case_metadata" = $1', params: ['{"a":1}'] });
      rejects({ caseMetadata: { a: 1 } }, 'caseMetadata.a', /not a filter operator/);
    });

    it('rejects an unknown operator, listing the valid ones', () => {
      rejects({ caseNumber: { greaterThan: 1 } }, 'caseNumber.greaterThan', /valid operators: eq, ne, in, notIn/);
    });

    it('rejects an empty operator object instead of matching everything', () => {
      rejects({ caseNumber: {} }, 'caseNumber', /empty operator object/);
    });

    it('rejects an operator whose value is undefined', () => {
      rejects({ caseNumber: { gt: undefined } }, 'caseNumber.gt', /undefined/);
    });
  });

  describe('in and notIn', () => {
    it('binds the whole list as one array parameter cast to the column type', () => {
      expect(compile({ caseId: { in: ['1', 2n, 3] } })).to.deep.equal({
        sql: '"case_id" = ANY($1::bigint[])',
        params: [['1', '2', '3']],
      });
    });

    it('casts each column kind to its PostgreSQL array type, an enum to its own type', () => {
      const date = new Date(Date.UTC(2024, 0, 1));
      const cases: ReadonlyArray<readonly [string, unknown, string]> = [
        ['guildId', '1', '"guild_id" = ANY($1::bigint[])'],
        ['caseNumber', 1, '"case_number" = ANY($1::int4[])'],
        ['caseScore', 1.5, '"case_score" = ANY($1::float8[])'],
        ['caseStatus', true, '"case_status" = ANY($1::bool[])'],
        ['caseReason', 'x', '"case_reason" = ANY($1::text[])'],
        ['caseCreatedAt', date, '"case_created_at" = ANY($1::timestamptz[])'],
        ['caseUserRoles', ['1'], '"case_user_roles" = ANY($1::jsonb[])'],
        ['caseType', 'BAN', '"case_type" = ANY($1::"fixture_case_type"[])'],
      ];
      for (const [field, value, sql] of cases) expect(compile({ [field]: { in: [value] } }).sql).to.equal(sql);
    });

    it('compiles notIn to <> ALL', () => {
      expect(compile({ caseType: { notIn: ['BAN', 'KICK'] } })).to.deep.equal({
        sql: '"case_type" <> ALL($1::"fixture_case_type"[])',
        params: [['BAN', 'KICK']],
      });
    });

    it('makes an empty in match nothing and an empty notIn match everything', () => {
      expect(compile({ caseId: { in: [] } })).to.deep.equal({ sql: 'FALSE', params: [] });
      expect(compile({ caseId: { notIn: [] } })).to.deep.equal({ sql: 'TRUE', params: [] });
    });

    it('binds 100,000 ids as a single parameter', () => {
      const ids = Array.from({ length: 100_000 }, (_, i) => String(i + 1));
      const { sql, params } = compile({ guildId: { in: ids } });
      expect(sql).to.equal('"guild_id" = ANY($1::bigint[])');
      expect(params).to.have.length(1);
      expect(params[0]).to.deep.equal(ids);
    });

    it('rejects a list that is not an array', () => {
      rejects({ caseId: { in: '1,2' } }, 'caseId.in', /array/);
      rejects({ caseId: { notIn: new Set(['1']) } }, 'caseId.notIn', /array/);
    });

    it('names the index of a bad element', () => {
      rejects({ caseId: { in: ['1', '2', '3', 'x'] } }, 'caseId.in[3]', /positive integer/);
    });

    it('rejects null elements, which would never match', () => {
      rejects({ caseReason: { in: ['a', null] } }, 'caseReason.in[1]', /isNull/);
    });
  });

  describe('combinators', () => {
    it('ANDs the filters of and, ORs those of or, and negates not', () => {
      const filter = { and: [{ caseNumber: 1 }, { caseStatus: true }], or: [{ caseType: 'BAN' }, { caseReason: null }], not: { caseScore: 2 } };
      expect(compile(filter)).to.deep.equal({
        sql: '(("case_number" = $1 AND "case_status" = $2) AND ("case_type" = $3 OR "case_reason" IS NULL) AND NOT ("case_score" = $4))',
        params: [1, true, 'BAN', 2],
      });
    });

    it('does not wrap a compound expression in a second pair of parentheses under not', () => {
      expect(compile({ not: { caseNumber: 1, caseStatus: true } }).sql).to.equal('NOT ("case_number" = $1 AND "case_status" = $2)');
    });

    it('makes an empty and match everything and an empty or match nothing', () => {
      expect(compile({ and: [] }).sql).to.equal('TRUE');
      expect(compile({ or: [] }).sql).to.equal('FALSE');
    });

    it('leaves a single-element list unwrapped', () => {
      expect(compile({ or: [{ caseNumber: 1 }] }).sql).to.equal('"case_number" = $1');
    });

    it('lists every failing field at once, at every level, in the filter\'s order', () => {
      const fields = (filter: unknown): string[] => {
        try {
          compile(filter);
        } catch (e) {
          if (e instanceof ValidationError) return e.errors.map((f) => f.field);
          throw e;
        }
        return [];
      };
      expect(fields({ caseNumber: 'a', caseStatus: 'b', caseType: 'nope', guildId: '1' })).to.deep.equal(['caseNumber', 'caseStatus', 'caseType']);
      expect(fields({ or: [{ caseNumber: 'x' }, { nope: 1 }, { caseId: { in: ['1', 'y', 'z'] } }], caseStatus: 2 })).to.deep.equal(['or[0].caseNumber', 'or[1].nope', 'or[2].caseId.in[1]', 'caseStatus']);
    });

    it('names the nested path of a bad value', () => {
      rejects({ or: [{ caseNumber: 1 }, { and: [{ caseId: { in: ['1', 'x'] } }] }] }, 'or[1].and[0].caseId.in[1]');
      rejects({ not: { caseNumber: 'x' } }, 'not.caseNumber');
    });

    it('rejects and / or that are not arrays, and not that is not an object', () => {
      rejects({ and: { caseNumber: 1 } }, 'and', /array of filters/);
      rejects({ or: 'x' }, 'or', /array of filters/);
      rejects({ not: [] }, 'not', /plain object/);
      rejects({ or: [null] }, 'or[0]', /plain object/);
    });

    it(`accepts ${MAX_FILTER_DEPTH} levels of nesting`, () => {
      expect(compile(nested(MAX_FILTER_DEPTH)).params).to.deep.equal([true]);
    });

    it('rejects deeper nesting with a ValidationError', () => {
      expect(() => compile(nested(MAX_FILTER_DEPTH + 1))).to.throw(ValidationError, /filter nested too deeply/);
    });

    it('rejects a hostile, deeply nested filter without overflowing the stack', () => {
      expect(() => compile(nested(200_000))).to.throw(ValidationError, /filter nested too deeply/);
    });
  });

  describe('run-time shape checks', () => {
    it('rejects a filter that is not a plain object', () => {
      for (const bad of [null, 'guildId = 1', [], 42, new Date(), new Map()]) rejects(bad, 'filter', /plain object/);
    });

    it('rejects an unknown field, listing the valid ones', () => {
      rejects({ caseIdd: '1' }, 'caseIdd', /not a field of FixtureCase; valid fields: caseId, guildId, caseNumber/);
    });

    it('never puts a caller-supplied string into the SQL text', () => {
      const hostile = `'; DROP TABLE x--`;
      const { sql, params } = compile({ caseReason: hostile, or: [{ caseReason: { like: hostile } }] });
      expect(sql).to.equal('("case_reason" = $1 AND "case_reason" LIKE $2)');
      expect(params).to.deep.equal([hostile, hostile]);
      rejects({ [hostile]: 1 }, hostile, /not a field/);
    });

    it('ignores enumerable properties inherited through a polluted prototype', () => {
      const proto = Object.prototype as Record<string, unknown>;
      proto['polluted'] = 1;
      try {
        expect(compile({ caseNumber: 1 }).sql).to.equal('"case_number" = $1');
      } finally {
        delete proto['polluted'];
      }
    });
  });
});

describe('escapeLike', () => {
  it('escapes backslash, percent and underscore for the default ESCAPE character', () => {
    expect(escapeLike('50%_off\\now')).to.equal('50\\%\\_off\\\\now');
  });

  it('returns other text unchanged', () => {
    expect(escapeLike('plain text')).to.equal('plain text');
  });

  it('builds a substring search that matches the term literally', () => {
    const { sql, params } = compile({ caseReason: { ilike: `%${escapeLike('a_b')}%` } });
    expect(sql).to.equal('"case_reason" ILIKE $1');
    expect(params).to.deep.equal(['%a\\_b%']);
  });
});
