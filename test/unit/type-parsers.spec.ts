import { expect } from 'chai';
import fc from 'fast-check';
import { types } from 'pg';
import { parseTimestamptz, TIMESTAMPTZ_OID } from '../../src/service/type-parsers';

/** pg's own timestamptz parser (postgres-date), the reference. */
const parseDate = types.getTypeParser(TIMESTAMPTZ_OID, 'text') as (text: string) => unknown;

const two = (n: number): string => String(n).padStart(2, '0');

/** timestamptz text as PostgreSQL writes it with DateStyle ISO, for any instant and zone it can write. */
const isoTimestamptz = fc
  .record({
    year: fc.integer({ min: 1000, max: 9999 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 28 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    second: fc.integer({ min: 0, max: 59 }),
    // PostgreSQL drops trailing zeros of the fraction and writes none for whole seconds.
    micros: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 999_999 })),
    sign: fc.constantFrom('+', '-'),
    zone: fc.oneof(
      fc.integer({ min: 0, max: 15 }).map(two),
      fc.tuple(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 1, max: 59 })).map(([h, m]) => `${two(h)}:${two(m)}`),
      fc.tuple(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 1, max: 59 })).map(([h, m, s]) => `${two(h)}:${two(m)}:${two(s)}`),
    ),
  })
  .map((t) => {
    const fraction = t.micros === 0 ? '' : `.${String(t.micros).padStart(6, '0').replace(/0+$/, '')}`;
    return `${t.year}-${two(t.month)}-${two(t.day)} ${two(t.hour)}:${two(t.minute)}:${two(t.second)}${fraction}${t.sign}${t.zone}`;
  });

function same(text: string): void {
  const expected = parseDate(text);
  const actual = parseTimestamptz(text);
  if (expected instanceof Date) {
    expect(actual, text).to.be.instanceOf(Date);
    // deep.equal: an invalid Date's time is NaN, which equals itself there.
    expect((actual as Date).getTime(), text).to.deep.equal(expected.getTime());
  } else {
    expect(actual, text).to.deep.equal(expected);
  }
}

describe('parseTimestamptz', () => {
  it('gives the Date pg’s default parser gives for every ISO timestamptz text', () => {
    fc.assert(fc.property(isoTimestamptz, same), { numRuns: 20_000 });
  });

  it('hands what its fast path does not cover to the default parser, with the same result', () => {
    for (const text of [
      '0044-03-15 12:00:00+00 BC', '0099-12-31 23:59:59.5+00', '12345-01-01 00:00:00+00',
      '2026-11-26 12:00:00', '2026-11-26 12:00:00Z', '2026-11-26T12:00:00+00', '2026-11-26 12:00:00.+00', '2026-11-26 12:00:00+0',
      '2026-11-26 12:00:00+00:3', '2026-11-26 12:00:00+00 ', '2026-11-26', '',
    ]) {
      same(text);
    }
  });

  it('reads infinity and -infinity as the latest and earliest Dates, where the default parser gives the numbers ±Infinity', () => {
    expect((parseTimestamptz('infinity') as Date).toISOString()).to.equal('+275760-09-13T00:00:00.000Z');
    expect((parseTimestamptz('-infinity') as Date).toISOString()).to.equal('-271821-04-20T00:00:00.000Z');
  });

  it('reads the zone offset, including seconds of old local mean times', () => {
    expect((parseTimestamptz('2026-11-26 17:30:00+05:30') as Date).toISOString()).to.equal('2026-11-26T12:00:00.000Z');
    expect((parseTimestamptz('1900-01-01 00:00:00-00:19:32') as Date).toISOString()).to.equal('1900-01-01T00:19:32.000Z');
    expect((parseTimestamptz('2026-11-26 12:00:00.123456+00') as Date).toISOString()).to.equal('2026-11-26T12:00:00.123Z');
  });
});
