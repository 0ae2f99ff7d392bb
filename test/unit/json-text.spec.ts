import { expect } from 'chai';
import fc from 'fast-check';
import { parseJsonText } from '../../src/service/json-text';

describe('parseJsonText', () => {
  it('reads an integer past 2^53 as the string of its digits, anywhere outside strings', () => {
    expect(parseJsonText('{"message_id": 1234567890123456789, "n": 3}')).to.deep.equal({ message_id: '1234567890123456789', n: 3 });
    expect(parseJsonText('[9223372036854775807, -12345678901234567890, 9007199254740991]')).to.deep.equal(['9223372036854775807', '-12345678901234567890', 9007199254740991]);
    expect(parseJsonText('12345678901234567890')).to.equal('12345678901234567890');
  });

  it('leaves strings, escapes and numbers with a fraction or exponent as JSON.parse reads them', () => {
    const text = '{"a\\"1234567890123456789": ["x\\\\", "12345678901234567890", 1.2345678901234567e30, 12345678901234567.5]}';
    expect(parseJsonText(text)).to.deep.equal(JSON.parse(text));
  });

  it('equals JSON.parse on any JSON whose integers are safe', () => {
    const safe = fc.jsonValue().filter((v) => !JSON.stringify(v).match(/(?<![\d.eE])-?\d{16,}(?![\d.eE])/));
    fc.assert(
      fc.property(safe, (value) => {
        const text = JSON.stringify(value);
        expect(parseJsonText(text)).to.deep.equal(JSON.parse(text));
      }),
      { numRuns: 2_000 },
    );
  });
});
