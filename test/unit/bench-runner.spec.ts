import { expect } from 'chai';
import type { Implementation } from '../../bench/implementation';
import { interleavedOrder, seededRandom } from '../../bench/order';
import { runWorkload, type Plan, type Workload } from '../../bench/runner';

// Two stand-in implementations whose ops log who ran and take `opMs` of a virtual clock, which only ops move: the
// runner's schedule is what is tested, the same on an idle host and on one busy with other suites.
function timeline(opMs: number): { workload: Workload<null>; impls: Implementation[]; log: string[]; now: () => number } {
  const log: string[] = [];
  let clock = 0;
  const impls = ['a', 'b'].map((name) => ({ name }) as unknown as Implementation);
  const workload: Workload<null> = {
    id: 'stand-in',
    title: 'stand-in',
    clients: 2,
    start: async (impl) => ({
      op: async () => {
        log.push(impl.name);
        clock += opMs;
        await new Promise((resolve) => setImmediate(resolve));
      },
    }),
  };
  return { workload, impls, log, now: () => clock };
}

// How many runs of one implementation's ops follow each other in the log.
function runsIn(log: ReadonlyArray<string>): number {
  return log.filter((name, i) => i === 0 || log[i - 1] !== name).length;
}

const WHOLE: Plan = { rounds: 3, curveRounds: 3, warmupSeconds: 0.005, sliceSeconds: 0.06, resetBeforeSlices: false };
const PLAN: Plan = { ...WHOLE, interleaveSeconds: 0.015 };

describe('bench runner', () => {
  it('interleaves chunks forwards then backwards, so each implementation follows the other as often as it leads', () => {
    expect(interleavedOrder(['a', 'b'], 4)).to.deep.equal(['a', 'b', 'b', 'a', 'a', 'b', 'b', 'a']);
    expect(interleavedOrder(['a', 'b', 'c'], 2)).to.deep.equal(['a', 'b', 'c', 'c', 'b', 'a']);
    expect(interleavedOrder(['a', 'b'], 1)).to.deep.equal(['a', 'b']);
  });

  it('cuts a fast workload’s slices into alternating chunks and adds each round’s chunks into one slice', async () => {
    // Two clients each wait on the other's 0.1 ms: a median op of 0.2 ms, 40 of which fit in a chunk of 0.015 s.
    const { workload, impls, log, now } = timeline(0.1);
    const measured = await runWorkload(workload, impls, null, PLAN, seededRandom(1), () => undefined, now);
    for (const m of measured) {
      expect(m.error).to.equal(undefined);
      expect(m.roundOpsPerSec).to.have.length(PLAN.rounds);
      expect(m.ops).to.be.greaterThan(0);
    }
    // Slices of 0.06 s in chunks of 0.015 s: 4 chunks a round (ABBAABBA, 5 runs), where whole slices make 2 runs.
    expect(runsIn(log)).to.be.greaterThan(2 + 2 * PLAN.rounds);
  });

  it('keeps a slow workload’s slices whole: a chunk lasts at least 40 median ops', async () => {
    // 40 ops of about 8 ms (4 ms each of two clients) exceed the 0.06 s slice: one chunk per slice, so at most one run
    // per implementation a round.
    const { workload, impls, log, now } = timeline(4);
    const measured = await runWorkload(workload, impls, null, PLAN, seededRandom(1), () => undefined, now);
    for (const m of measured) expect(m.roundOpsPerSec).to.have.length(PLAN.rounds);
    expect(runsIn(log)).to.be.at.most(2 + 2 * PLAN.rounds);
  });

  it('runs whole slices without interleaveSeconds', async () => {
    const { workload, impls, log, now } = timeline(0.1);
    await runWorkload(workload, impls, null, WHOLE, seededRandom(1), () => undefined, now);
    expect(runsIn(log)).to.be.at.most(2 + 2 * PLAN.rounds);
  });
});
