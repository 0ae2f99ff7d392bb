import { expect } from 'chai';
import fc from 'fast-check';
import { timestamptzText } from '../../src/service/timestamptz-text';

/** The text field by field from the Date's UTC getters: what timestamptzText must write, however it gets there. */
function reference(date: Date): string {
  const pad = (n: number, width: number): string => String(n).padStart(width, '0');
  const year = date.getUTCFullYear();
  const bc = year < 1;
  return (
    `${pad(bc ? 1 - year : year, 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}` +
    `T${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}.${pad(date.getUTCMilliseconds(), 3)}+00:00` +
    (bc ? ' BC' : '')
  );
}

describe('timestamptzText', () => {
  const text = (iso: string): string => timestamptzText(new Date(iso));

  it('writes the instant in UTC with milliseconds, whatever the process zone', () => {
    expect(text('2024-05-01T12:00:00.123Z')).to.equal('2024-05-01T12:00:00.123+00:00');
    expect(text('1850-06-15T12:34:56.789Z')).to.equal('1850-06-15T12:34:56.789+00:00');
    expect(text('0001-01-01T00:00:00.000Z')).to.equal('0001-01-01T00:00:00.000+00:00');
  });

  it('writes years before 1 as BC and years past 9999 in full, never as extended ISO years', () => {
    expect(text('0000-12-31T23:59:59.999Z')).to.equal('0001-12-31T23:59:59.999+00:00 BC');
    expect(text('-000043-03-15T12:00:00.500Z')).to.equal('0044-03-15T12:00:00.500+00:00 BC');
    expect(text('-004713-11-24T00:00:00.000Z')).to.equal('4714-11-24T00:00:00.000+00:00 BC');
    expect(text('+012345-06-07T08:09:10.011Z')).to.equal('12345-06-07T08:09:10.011+00:00');
  });

  it('agrees with the UTC getters on any valid Date, in any order, on days it wrote last and on new ones', () => {
    // Runs of nearby instants (the same day, its edges, midnight) among instants anywhere a Date can hold.
    const anywhere = fc.integer({ min: -8.64e15, max: 8.64e15 });
    const nearby = fc.tuple(anywhere, fc.array(fc.integer({ min: -86_400_001, max: 86_400_001 }), { maxLength: 8 })).map(([base, steps]) => [base, ...steps.map((s) => base + s)]);
    fc.assert(
      fc.property(fc.array(fc.oneof(nearby, anywhere.map((ms) => [ms])), { minLength: 1, maxLength: 6 }), (runs) => {
        for (const ms of runs.flat().filter((t) => Math.abs(t) <= 8.64e15)) {
          const date = new Date(ms);
          expect(timestamptzText(date), String(ms)).to.equal(reference(date));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('writes the instants around the first day AD and midnight exactly', () => {
    for (const ms of [-62_135_596_800_001, -62_135_596_800_000, -62_135_596_799_999, -1, 0, 1, 86_399_999, 86_400_000, 8.64e15, -8.64e15]) {
      expect(timestamptzText(new Date(ms)), String(ms)).to.equal(reference(new Date(ms)));
    }
  });
});
