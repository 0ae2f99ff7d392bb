import { expect } from 'chai';
import { NAMES } from '../../bench/names';
import { sqlDrift, type ImplResult, type WorkloadResult } from '../../bench/report';

/** One implementation's result in a workload, with what the census saw it send. */
function result(impl: string, sameSqlAsLibrary: boolean, error?: string): ImplResult {
  return {
    impl,
    ops: 100,
    opsPerSec: 1000,
    roundOpsPerSec: [1000],
    p50Ms: 1,
    p99Ms: 2,
    cpuMicrosPerOp: 30,
    statementsPerOp: 1,
    sameSqlAsLibrary,
    ...(sameSqlAsLibrary ? {} : { sqlDifference: { only: ['SELECT 2'], missing: ['SELECT 1'] } }),
    ...(error === undefined ? {} : { error }),
  };
}

function workload(id: string, results: ImplResult[]): WorkloadResult {
  return { id, title: id, clients: 8, rowsPerOp: 1, curveOnly: false, wallSeconds: 1, results };
}

describe('bench SQL drift', () => {
  it('names every result that should send the library’s SQL and sent other SQL', () => {
    const workloads = [
      workload('addXp', [result('library', true), result(NAMES.ceiling, false), result(NAMES.postgresJs, false), result(NAMES.drizzleBest, true)]),
      workload('count', [result(NAMES.kyselyBest, false), result(NAMES.typeormBest, true)]),
    ];
    expect(sqlDrift({ workloads })).to.deep.equal([
      `addXp, ${NAMES.ceiling} (only it: ["SELECT 2"]; only the library: ["SELECT 1"])`,
      `addXp, ${NAMES.postgresJs} (only it: ["SELECT 2"]; only the library: ["SELECT 1"])`,
      `count, ${NAMES.kyselyBest} (only it: ["SELECT 2"]; only the library: ["SELECT 1"])`,
    ]);
  });

  it('leaves out the ORMs as taught, which send their own SQL, and results that failed', () => {
    const workloads = [workload('create', [result(NAMES.typeorm, false), result(NAMES.drizzle, false), result(NAMES.ceiling, false, 'wrong row count')])];
    expect(sqlDrift({ workloads })).to.deep.equal([]);
  });
});
