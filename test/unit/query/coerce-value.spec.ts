import { expect } from 'chai';
import { ValidationError } from '../../../src/errors/validation-error';
import { coerceValue, coerceValueAt, textProblem } from '../../../src/query/coerce-value';
import { fixtureColumn, fixtureModel } from './fixture-model';

function coerce(property: string, value: unknown): unknown {
  return coerceValue(fixtureModel, fixtureColumn(property), value, property);
}

function rejects(property: string, value: unknown, field: string = property, message: RegExp = /./): void {
  expect(() => coerce(property, value)).to.throw(ValidationError, message).with.nested.property('errors[0].field', field);
}

describe('coerceValue', () => {
  describe('on snowflake columns', () => {
    it('keeps a canonical id string as it is', () => {
      expect(coerce('guildId', '1234567890123456789')).to.equal('1234567890123456789');
    });

    it('turns a bigint into its decimal string without losing digits', () => {
      expect(coerce('guildId', 9223372036854775807n)).to.equal('9223372036854775807');
    });

    it('turns a safe integer number into a string', () => {
      expect(coerce('guildId', 42)).to.equal('42');
    });

    it('rejects a number that is not a safe integer, since its digits may be lost', () => {
      rejects('guildId', 2 ** 60, 'guildId', /not a safe integer/);
    });

    it('rejects zero, leading zeros, non-digits and values above the bigint range', () => {
      for (const bad of ['0', '012', '12a', '', '-5', '9223372036854775808', 0n, -1, 1.5, true]) rejects('guildId', bad);
    });
  });

  describe('on database-generated bigint key columns', () => {
    it('follows the snowflake rules', () => {
      expect(coerce('caseId', 7n)).to.equal('7');
      expect(coerce('caseId', '7')).to.equal('7');
      rejects('caseId', 'x');
    });

    it('calls the value a row id, not a Discord id, when refusing it', () => {
      rejects('caseId', 'x', 'caseId', /positive integer string without leading zeros \(a row id\)/);
      rejects('caseId', {}, 'caseId', /must be a row id string/);
      rejects('guildId', 'x', 'guildId', /\(a Discord id\)/);
    });
  });

  describe('on int columns', () => {
    it('accepts integers within the int4 range', () => {
      expect(coerce('caseNumber', -2147483648)).to.equal(-2147483648);
      expect(coerce('caseNumber', 2147483647)).to.equal(2147483647);
    });

    it('rejects fractions, out-of-range numbers and numeric strings', () => {
      for (const bad of [1.5, 2147483648, -2147483649, Number.NaN, '5', 5n]) rejects('caseNumber', bad, 'caseNumber', /between -2147483648 and 2147483647/);
    });
  });

  describe('on float columns', () => {
    it('accepts finite numbers', () => {
      expect(coerce('caseScore', 1.25)).to.equal(1.25);
    });

    it('rejects NaN, infinities and strings', () => {
      for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, '1']) rejects('caseScore', bad, 'caseScore', /finite number/);
    });
  });

  describe('on bool columns', () => {
    it('accepts booleans only', () => {
      expect(coerce('caseStatus', false)).to.equal(false);
      for (const bad of ['true', 1, 0]) rejects('caseStatus', bad, 'caseStatus', /boolean/);
    });
  });

  describe('on string columns', () => {
    it('accepts text within the length limit, counting code points rather than UTF-16 units', () => {
      const emoji = '\u{1F600}'.repeat(20);
      expect(emoji.length).to.equal(40);
      expect(coerce('caseReason', emoji)).to.equal(emoji);
    });

    it('rejects text longer than the length limit', () => {
      rejects('caseReason', 'x'.repeat(21), 'caseReason', /at most 20 characters long \(got 21\)/);
    });

    it('rejects the NUL character, which PostgreSQL text cannot store', () => {
      rejects('caseReason', 'a\u0000b', 'caseReason', /NUL/);
    });

    it('rejects unpaired surrogates, which cannot be encoded as UTF-8', () => {
      rejects('caseReason', 'a\uD83Db', 'caseReason', /surrogate/);
      rejects('caseReason', '\uDE00', 'caseReason', /surrogate/);
    });

    it('rejects non-strings', () => {
      rejects('caseReason', 5, 'caseReason', /must be a string/);
    });
  });

  describe('on timestamp columns', () => {
    it('returns a valid Date as it is', () => {
      const date = new Date('2024-05-01T12:00:00Z');
      expect(coerce('caseCreatedAt', date)).to.equal(date);
    });

    it('parses ISO 8601 strings that carry a zone', () => {
      expect(coerce('caseCreatedAt', '2024-05-01T12:00:00Z')).to.deep.equal(new Date(Date.UTC(2024, 4, 1, 12)));
      expect(coerce('caseCreatedAt', '2024-05-01T14:00:00.5+02:00')).to.deep.equal(new Date(Date.UTC(2024, 4, 1, 12, 0, 0, 500)));
    });

    it('rejects invalid Dates, zoneless or impossible strings, and numbers', () => {
      const bad = [new Date('nope'), '2024-05-01T12:00:00', '2024-05-01', '2024-02-30T00:00:00Z', '2023-02-29T00:00:00Z', 'next tuesday', 1714564800000];
      for (const value of bad) rejects('caseCreatedAt', value, 'caseCreatedAt', /valid Date/);
    });

    it('accepts February 29th of a leap year', () => {
      expect(coerce('caseCreatedAt', '2024-02-29T00:00:00Z')).to.deep.equal(new Date(Date.UTC(2024, 1, 29)));
    });
  });

  describe('on enum columns', () => {
    it('accepts one of the enum values', () => {
      expect(coerce('caseType', 'KICK')).to.equal('KICK');
    });

    it('rejects anything else, listing the allowed values', () => {
      rejects('caseType', 'kick', 'caseType', /must be one of BAN, KICK, WARN/);
      rejects('caseType', 1, 'caseType');
    });
  });

  describe('on json columns', () => {
    it('returns JSON text, so pg does not send arrays as PostgreSQL array literals', () => {
      expect(coerce('caseUserRoles', ['1', '2'])).to.equal('["1","2"]');
      expect(coerce('caseMetadata', { a: [1, true, null, 'x'], b: { c: 1.5 } })).to.equal('{"a":[1,true,null,"x"],"b":{"c":1.5}}');
    });

    it('writes a list of Discord ids as decimal strings, whichever form each came in', () => {
      expect(coerce('caseUserRoles', [1001, 1002n, '1003', 9007199254740991])).to.equal('["1001","1002","1003","9007199254740991"]');
      expect(coerce('caseUserRoles', [])).to.equal('[]');
    });

    it('refuses a list of Discord ids that is not an array or holds something else, naming the item', () => {
      rejects('caseUserRoles', '1001', 'caseUserRoles', /must be an array of Discord ids/);
      rejects('caseUserRoles', { 0: '1' }, 'caseUserRoles', /must be an array of Discord ids/);
      rejects('caseUserRoles', ['1', 2 ** 60], 'caseUserRoles[1]', /safe integer/);
      rejects('caseUserRoles', ['1', undefined], 'caseUserRoles[1]', /Discord id/);
      rejects('caseUserRoles', [-5n], 'caseUserRoles[0]', /between 1 and/);
      // A hole in a sparse array is no id either.
      rejects('caseUserRoles', ['1', , '2'], 'caseUserRoles[1]', /Discord id/);
    });

    it('writes a bigint as its decimal string, keeping every digit of a snowflake', () => {
      expect(coerce('caseMetadata', { userId: 1234567890123456789n })).to.equal('{"userId":"1234567890123456789"}');
    });

    it('writes Dates as ISO strings and leaves out undefined properties, as JSON.stringify does', () => {
      expect(coerce('caseMetadata', { at: new Date(Date.UTC(2024, 0, 1)), gone: undefined })).to.equal('{"at":"2024-01-01T00:00:00.000Z"}');
    });

    it('rejects integers beyond 2^53, naming the nested field', () => {
      rejects('caseMetadata', { ids: [1, 2 ** 60] }, 'caseMetadata.ids[1]', /beyond 2\^53/);
    });

    it('rejects NaN, undefined array items, functions, symbols and class instances', () => {
      rejects('caseMetadata', { n: Number.NaN }, 'caseMetadata.n', /finite/);
      rejects('caseMetadata', { roles: ['1', undefined] }, 'caseMetadata.roles[1]', /not a JSON value/);
      rejects('caseMetadata', { f: () => 1 }, 'caseMetadata.f');
      rejects('caseMetadata', { s: Symbol('s') }, 'caseMetadata.s');
      rejects('caseMetadata', { m: new Map() }, 'caseMetadata.m', /class instance/);
    });

    it('rejects a Date as the whole value: the column holds an object, and the Date would be stored as a bare string', () => {
      rejects('caseMetadata', new Date(0), 'caseMetadata', /must be a JSON object, not a Date/);
    });

    it('rejects strings and keys that jsonb cannot store', () => {
      rejects('caseMetadata', { text: 'a\u0000' }, 'caseMetadata.text', /NUL/);
      rejects('caseMetadata', { ['\uD800']: 1 }, 'caseMetadata.\uD800', /surrogate/);
    });

    it('rejects a cyclic value with a ValidationError instead of overflowing the stack', () => {
      const cyclic: Record<string, unknown> = {};
      cyclic['self'] = cyclic;
      expect(() => coerce('caseMetadata', cyclic)).to.throw(ValidationError, /nested more than 64 levels/);
    });
  });

  describe('on null and undefined', () => {
    it('returns null for a nullable column', () => {
      expect(coerce('caseReason', null)).to.equal(null);
      expect(coerce('caseMetadata', null)).to.equal(null);
    });

    it('rejects null for a column that is not nullable', () => {
      rejects('guildId', null, 'guildId', /not nullable/);
    });

    it('rejects undefined even for a nullable column', () => {
      rejects('caseReason', undefined, 'caseReason', /undefined/);
    });
  });

  it('names the path it is given in the error, with the element index from coerceValueAt', () => {
    expect(() => coerceValueAt(fixtureModel, fixtureColumn('caseId'), 'x', 'caseId.in', 3))
      .to.throw(ValidationError, 'Invalid FixtureCase: caseId.in[3]')
      .with.nested.property('errors[0].field', 'caseId.in[3]');
  });
});

describe('textProblem', () => {
  it('is undefined for storable text', () => {
    expect(textProblem('héllo \u{1F600}', 7)).to.equal(undefined);
  });

  it('explains what is wrong with text PostgreSQL cannot store', () => {
    expect(textProblem('\u0000')).to.match(/NUL/);
    expect(textProblem('abc', 2)).to.match(/at most 2/);
  });
});
