import { expect } from 'chai';
import fc from 'fast-check';
import { arrayLiteral, bindParameters } from '../../src/service/bind-parameters';
import { timestamptzText } from '../../src/service/timestamptz-text';

// pg's own serializer of one parameter: what goes on the wire for a value.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { prepareValue } = require('pg/lib/utils') as { prepareValue: (value: unknown) => unknown };

// What the library sent before it wrote array literals itself: valid Dates as exact text, everything else to pg.
function datesAsText(value: unknown): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? value : timestamptzText(value);
  return Array.isArray(value) ? value.map(datesAsText) : value;
}

const wire = (values: ReadonlyArray<unknown>): unknown[] => values.map((v) => prepareValue(v));

// Text with what pg escapes (quotes, backslashes) and what it does not (braces, commas, NULL, unicode).
const text = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('', 'a"b', 'c\\d', '\\"', '{x,y}', 'NULL', ' ', '\u{1F600}', '"'));
const element = fc.oneof(
  text,
  fc.double(),
  fc.integer(),
  fc.bigInt(),
  fc.boolean(),
  // Invalid Dates are left out: pg prints a deprecation warning for one (the last spec checks they are declined).
  fc.constantFrom(null, undefined, -0),
  fc.date({ noInvalidDate: true }),
);
const value = fc.oneof(
  element,
  fc.array(element, { maxLength: 6 }),
  fc.array(fc.oneof(element, fc.array(element, { maxLength: 3 }), fc.constantFrom(Buffer.from('hi'), { a: 1 })), { maxLength: 4 }),
);

describe('bindParameters', () => {
  it('puts on the wire exactly what pg writes for the same values with their Dates as exact text', () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 5 }), (values) => {
        expect(wire(bindParameters(values))).to.deep.equal(wire(values.map(datesAsText)));
      }),
      { numRuns: 3000 },
    );
  });

  it('writes a flat array of strings, numbers, booleans, nulls and valid Dates as its literal itself', () => {
    const date = new Date('2024-05-01T12:00:00.5Z');
    const [ids, mixed, nested] = bindParameters([['1', '22'], ['a"b', 'c\\d', null, undefined, 7, 5n, false, date], [['x']]]);
    expect(ids).to.equal('{"1","22"}');
    expect(mixed).to.equal('{"a\\"b","c\\\\d",NULL,NULL,"7","5","false","2024-05-01T12:00:00.500+00:00"}');
    expect(nested, 'a nested array is left to pg').to.deep.equal([['x']]);
  });

  it('returns the same array when nothing needs binding', () => {
    const values = ['a', 1, null, Buffer.from('x')];
    expect(bindParameters(values)).to.equal(values);
  });

  it('declines an element pg serializes by other rules: a nested array, a Buffer, an object, an invalid Date, a symbol', () => {
    for (const odd of [['x'], Buffer.from('x'), { a: 1 }, new Date(Number.NaN), Symbol('s')]) {
      expect(arrayLiteral(['a', odd]), String(odd.toString())).to.equal(undefined);
    }
  });
});
