import { expect } from 'chai';
import { ratioInterval, tQuantile975 } from '../../bench/interval';

describe('bench ratio interval', () => {
  it('uses the t table for few rounds and the expansion past it, within 0.001 of the exact quantiles', () => {
    expect(tQuantile975(1)).to.equal(12.706);
    expect(tQuantile975(30)).to.equal(2.042);
    // Exact values of Student's t (0.975) for 31, 40, 60 and 120 degrees of freedom.
    for (const [df, exact] of [[31, 2.0395], [40, 2.0211], [60, 2.0003], [120, 1.9799]] as const) {
      expect(tQuantile975(df)).to.be.closeTo(exact, 0.001);
    }
  });

  it('is the t interval of the log ratios, turned back into ratios', () => {
    // Ratios 1.0, 1.1, 0.9: the log mean, the sample standard deviation and t(2) = 4.303 give 0.7767 … 1.2789.
    const interval = ratioInterval([10, 11, 9], [10, 10, 10]);
    expect(interval?.low).to.be.closeTo(0.7767, 0.0001);
    expect(interval?.high).to.be.closeTo(1.2789, 0.0001);
  });

  it('pairs rounds by index: a constant ratio has no spread, whatever the machine drift', () => {
    const interval = ratioInterval([900, 450, 1800], [1000, 500, 2000]);
    expect(interval?.low).to.be.closeTo(0.9, 1e-12);
    expect(interval?.high).to.be.closeTo(0.9, 1e-12);
  });

  it('has no interval from fewer than two usable rounds', () => {
    expect(ratioInterval([1], [1])).to.equal(undefined);
    expect(ratioInterval([1, 2], [1, 0])).to.equal(undefined);
    expect(ratioInterval([], [])).to.equal(undefined);
  });
});
