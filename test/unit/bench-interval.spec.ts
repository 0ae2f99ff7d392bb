import { expect } from 'chai';
import { pairedRatio, slopeOf, tQuantile975, unpairedRatio } from '../../bench/interval';

describe('bench ratio estimator', () => {
  it('uses the t table for few rounds and the expansion past it, within 0.001 of the exact quantiles', () => {
    expect(tQuantile975(1)).to.equal(12.706);
    expect(tQuantile975(30)).to.equal(2.042);
    // Exact values of Student's t (0.975) for 31, 40, 60 and 120 degrees of freedom.
    for (const [df, exact] of [[31, 2.0395], [40, 2.0211], [60, 2.0003], [120, 1.9799]] as const) {
      expect(tQuantile975(df)).to.be.closeTo(exact, 0.001);
    }
  });

  it('rounds fractional (Welch) degrees of freedom down, the wider side', () => {
    expect(tQuantile975(4.9)).to.equal(tQuantile975(4));
    expect(tQuantile975(0.5)).to.be.NaN;
  });

  it('estimates a paired ratio as the geometric mean of the per-round ratios, with the t interval of their logarithms', () => {
    // Ratios 1.0, 1.1, 0.9: the log mean, the sample standard deviation and t(2) = 4.303 give 0.7767 … 1.2789.
    const r = pairedRatio([10, 11, 9], [10, 10, 10]);
    expect(r?.estimate).to.be.closeTo(Math.cbrt(1.0 * 1.1 * 0.9), 1e-12);
    expect(r?.interval?.low).to.be.closeTo(0.7767, 0.0001);
    expect(r?.interval?.high).to.be.closeTo(1.2789, 0.0001);
    expect(r?.paired).to.equal(true);
    expect(r?.rounds).to.equal(3);
  });

  it('pairs rounds by index: a constant ratio has no spread, whatever the machine drift', () => {
    const r = pairedRatio([900, 450, 1800], [1000, 500, 2000]);
    expect(r?.estimate).to.be.closeTo(0.9, 1e-12);
    expect(r?.interval?.low).to.be.closeTo(0.9, 1e-12);
    expect(r?.interval?.high).to.be.closeTo(0.9, 1e-12);
  });

  it('gives an estimate without an interval from one usable round, and nothing from none', () => {
    expect(pairedRatio([2], [1])).to.deep.equal({ estimate: 2, rounds: 1, paired: true });
    expect(pairedRatio([1, 2], [1, 0])?.interval).to.equal(undefined);
    expect(pairedRatio([], [])).to.equal(undefined);
  });

  it('estimates an unpaired ratio as the ratio of geometric means, the same number a paired run would give', () => {
    const a = [20, 22, 18, 21];
    const b = [1, 1.1, 0.95, 1.05];
    const unpaired = unpairedRatio(a, b);
    expect(unpaired?.estimate).to.be.closeTo(pairedRatio(a, b)?.estimate ?? 0, 1e-12);
    expect(unpaired?.paired).to.equal(false);
  });

  it("takes Welch's interval for unpaired rates: wider than either side's own spread alone", () => {
    // log a: sd sa over 4 rounds; log b: no spread. Then the interval is a's t interval (df = 3) alone.
    const a = [10, 12, 9, 11];
    const b = [1, 1, 1, 1];
    const logs = a.map(Math.log);
    const mean = logs.reduce((s, x) => s + x, 0) / 4;
    const sd = Math.sqrt(logs.reduce((s, x) => s + (x - mean) ** 2, 0) / 3);
    const r = unpairedRatio(a, b);
    expect(r?.interval?.low).to.be.closeTo(Math.exp(mean - (3.182 * sd) / 2), 1e-9);
    expect(r?.interval?.high).to.be.closeTo(Math.exp(mean + (3.182 * sd) / 2), 1e-9);
  });

  it('fits a least-squares slope with its t interval, and a flat series has a slope interval around 0', () => {
    const exact = slopeOf([0, 1, 2, 3], [5, 7, 9, 11]);
    expect(exact.slope).to.be.closeTo(2, 1e-12);
    expect(exact.interval?.low).to.be.closeTo(2, 1e-9);
    const flat = slopeOf([0, 1, 2, 3, 4], [10, 10.2, 9.9, 10.1, 10]);
    expect(flat.interval?.low).to.be.below(0);
    expect(flat.interval?.high).to.be.above(0);
  });
});
