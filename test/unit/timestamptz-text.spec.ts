import { expect } from 'chai';
import { timestamptzText } from '../../src/service/timestamptz-text';

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
});
