import { expect } from 'chai';
import { NAMES } from '../../bench/names';
import { seededRandom, shuffled } from '../../bench/order';
import { batchingRatio, checkTargets, type RatedWorkload } from '../../bench/targets';
import { standingOf, verdictOf, type Goal } from '../../bench/verdict';

const AT_LEAST_095: Goal = { direction: 'at least', value: 0.95 };
const ABOVE_1: Goal = { direction: 'more than', value: 1 };
const AT_MOST_1: Goal = { direction: 'at most', value: 1 };

describe('bench verdicts', () => {
  it('says "met" only when the whole interval clears the goal', () => {
    expect(verdictOf({ low: 0.96, high: 1.02 }, AT_LEAST_095)).to.equal('met');
    expect(verdictOf({ low: 0.95, high: 1.02 }, AT_LEAST_095)).to.equal('met');
    expect(verdictOf({ low: 1.01, high: 1.3 }, ABOVE_1)).to.equal('met');
    expect(verdictOf({ low: -0.4, high: 0.8 }, AT_MOST_1)).to.equal('met');
  });

  it('says "within noise" when the interval contains the goal, even when the estimate is past it', () => {
    // The review's example: count at 0.94 with an interval of 0.89–1.00 against the old 0.90 target printed "yes".
    expect(verdictOf({ low: 0.89, high: 1.0 }, { direction: 'at least', value: 0.9 })).to.equal('within noise');
    expect(verdictOf({ low: 0.93, high: 1.01 }, AT_LEAST_095)).to.equal('within noise');
    expect(verdictOf({ low: 1.0, high: 1.2 }, ABOVE_1)).to.equal('within noise');
    expect(verdictOf({ low: 0.5, high: 1.5 }, AT_MOST_1)).to.equal('within noise');
  });

  it('says "missed" when the whole interval is on the wrong side', () => {
    expect(verdictOf({ low: 0.8, high: 0.94 }, AT_LEAST_095)).to.equal('missed');
    expect(verdictOf({ low: 0.9, high: 1.0 }, ABOVE_1)).to.equal('missed');
    expect(verdictOf({ low: 1.1, high: 2 }, AT_MOST_1)).to.equal('missed');
  });

  it('gives no verdict without a finite interval', () => {
    expect(verdictOf(undefined, AT_LEAST_095)).to.equal('no interval');
    expect(verdictOf({ low: Number.NaN, high: 1 }, AT_LEAST_095)).to.equal('no interval');
  });

  it('places the library ahead of, level with or behind a peer by where the interval lies against 1', () => {
    expect(standingOf({ low: 1.02, high: 1.1 })).to.equal('ahead');
    expect(standingOf({ low: 0.97, high: 1.04 })).to.equal('level');
    expect(standingOf({ low: 0.8, high: 0.99 })).to.equal('behind');
    expect(standingOf(undefined)).to.equal('no interval');
  });
});

describe('bench targets', () => {
  const rounds = (base: number, n = 6): number[] => Array.from({ length: n }, (_, i) => base * (1 + 0.01 * ((i % 3) - 1)));
  const workload = (id: string, rates: Record<string, number[]>): RatedWorkload => ({ id, results: Object.entries(rates).map(([impl, roundOpsPerSec]) => ({ impl, roundOpsPerSec })) });

  it('judges the library against the ceiling with the paired estimator and its interval', () => {
    const checks = checkTargets([workload('getById', { [NAMES.library]: rounds(970), [NAMES.ceiling]: rounds(1000) })], undefined);
    const t = checks.find((c) => c.group === 'ceiling');
    expect(t?.workload).to.equal('getById');
    expect(t?.estimate).to.be.closeTo(0.97, 1e-9);
    expect(t?.verdict).to.equal('met');
  });

  it('judges a ceiling target on its head-to-head rounds when it has them, and on the main rounds otherwise', () => {
    const main = [
      workload('getById', { [NAMES.library]: rounds(800), [NAMES.ceiling]: rounds(1000) }),
      workload('count', { [NAMES.library]: rounds(990), [NAMES.ceiling]: rounds(1000) }),
    ];
    const headToHead = [workload('getById', { [NAMES.library]: rounds(980, 30), [NAMES.ceiling]: rounds(1000, 30) })];
    const ceiling = checkTargets(main, undefined, headToHead).filter((c) => c.group === 'ceiling');
    expect(ceiling.map((c) => [c.workload, Number(c.estimate.toFixed(3)), c.rounds])).to.deep.equal([
      ['getById', 0.98, 30],
      ['count', 0.99, 6],
    ]);
  });

  it('gives the batching target an interval too (unpaired: the two workloads ran apart)', () => {
    const checks = checkTargets(
      [
        { ...workload('createCases(500)', { [NAMES.library]: [80, 90, 85, 88] }), rowsPerOp: 500, batching: 'batch' },
        // 100 single calls an op: compared per case, not per op.
        { ...workload('100 × createCase', { [NAMES.library]: [20, 21, 19.5, 20.5] }), rowsPerOp: 100, batching: 'singles' },
      ],
      undefined,
    );
    const t = checks.find((c) => c.group === 'batching');
    expect(t?.estimate).to.be.within(20, 23);
    expect(t?.interval).to.not.equal(undefined);
    expect(t?.goal).to.deep.equal({ direction: 'at least', value: 20 });
    expect(t?.label).to.equal('createCases(500) ÷ 100 × createCase (library, cases/s)');
  });

  it('computes the same batching ratio for the ceiling, the reference printed beside the verdict', () => {
    const workloads: RatedWorkload[] = [
      { ...workload('createCases(500)', { [NAMES.library]: [80, 90], [NAMES.ceiling]: [40, 44] }), rowsPerOp: 500, batching: 'batch' },
      { ...workload('100 × createCase', { [NAMES.library]: [20, 21], [NAMES.ceiling]: [20, 22] }), rowsPerOp: 100, batching: 'singles' },
    ];
    const ceiling = batchingRatio(workloads, NAMES.ceiling);
    expect(ceiling?.ratio.estimate).to.be.within(9.9, 10.1);
    expect(ceiling?.label).to.equal(`createCases(500) ÷ 100 × createCase (${NAMES.ceiling}, cases/s)`);
    expect(batchingRatio(workloads.slice(0, 1), NAMES.ceiling), 'no singles workload, no ratio').to.equal(undefined);
  });

  it('requires the library to be faster than each ORM as taught, and leaves out an implementation that gave a wrong answer', () => {
    const w: RatedWorkload = {
      id: 'count',
      results: [
        { impl: NAMES.library, roundOpsPerSec: rounds(2000) },
        { impl: NAMES.typeorm, roundOpsPerSec: rounds(1000) },
        { impl: NAMES.drizzle, roundOpsPerSec: rounds(2000) },
        { impl: NAMES.kysely, roundOpsPerSec: rounds(9000), error: 'WrongAnswer: count returned 3' },
      ],
    };
    const taught = checkTargets([w], undefined).filter((c) => c.group === 'as taught');
    expect(taught.map((c) => [c.label, c.verdict])).to.deep.equal([
      [`count: library ÷ ${NAMES.typeorm}`, 'met'],
      [`count: library ÷ ${NAMES.drizzle}`, 'missed'],
    ]);
  });
});

describe('bench order', () => {
  it('replays the same order from the same seed, and every implementation leads and follows every other', () => {
    const impls = ['a', 'b', 'c', 'd'];
    const first = Array.from({ length: 50 }, ((random) => () => shuffled(impls, random))(seededRandom(7)));
    const again = Array.from({ length: 50 }, ((random) => () => shuffled(impls, random))(seededRandom(7)));
    expect(again).to.deep.equal(first);
    const follows = new Set(first.flatMap((round) => round.slice(1).map((x, i) => `${round[i]}>${x}`)));
    expect(follows.size).to.equal(impls.length * (impls.length - 1));
  });
});
