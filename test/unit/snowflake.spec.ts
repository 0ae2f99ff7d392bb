import { expect } from 'chai';
import fc from 'fast-check';
import { snowflakeProblem } from '../../src/entities/snowflake';

/** The rule as first written: a regex, then the bigint range. snowflakeProblem must judge every string alike. */
function referenceValid(value: string): boolean {
  return /^[1-9][0-9]{0,18}$/.test(value) && BigInt(value) <= 9223372036854775807n;
}

describe('snowflakeProblem on strings', () => {
  it('accepts exactly the strings the regex-and-range rule accepts', () => {
    const digits = fc.stringMatching(/^[0-9]{0,21}$/);
    const nearDigits = fc.array(fc.constantFrom('0', '1', '5', '9', '/', ':', '-', '+', ' ', '٣', '１', '\u0000'), { maxLength: 21 }).map((a) => a.join(''));
    const nearMax = fc.bigInt({ min: 9223372036854775000n, max: 9223372036854776000n }).map(String);
    fc.assert(
      fc.property(fc.oneof(digits, nearDigits, nearMax, fc.string()), (value) => {
        expect(snowflakeProblem(value) === undefined, JSON.stringify(value)).to.equal(referenceValid(value));
      }),
      { numRuns: 5000 },
    );
  });

  it('draws the line at the bigint maximum and at 19 digits', () => {
    for (const ok of ['1', '9223372036854775807', '1000000000000000000', '999999999999999999']) expect(snowflakeProblem(ok), ok).to.equal(undefined);
    for (const bad of ['9223372036854775808', '9999999999999999999', '10000000000000000000', '0', '01', '']) expect(snowflakeProblem(bad), bad).to.be.a('string');
  });
});
