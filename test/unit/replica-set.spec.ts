import { expect } from 'chai';
import type { Pool } from 'pg';
import { resolveOptions } from '../../src/config';
import { Replica, ReplicaSet } from '../../src/service/replica-set';
import { WriteTracker } from '../../src/service/write-tracker';

// A pool on which every read fails with `error`, at checkout (a refused connection) or from the statement: what a
// replica's pool hands back in each case below.
function failingPool(error: object, at: 'checkout' | 'statement' = 'statement'): Pool {
  const client = { once: () => undefined, removeListener: () => undefined, query: (statement: { callback: (e: unknown) => void }) => statement.callback(error) };
  const connect = (callback: (e: unknown, c?: unknown, done?: () => void) => void): void => (at === 'checkout' ? callback(error) : callback(undefined, client, () => undefined));
  return { options: { connectionString: 'postgres://tux@replica:5432/tux' }, connect } as unknown as Pool;
}

function withError(message: string, fields: object): Error {
  return Object.assign(new Error(message), fields);
}

describe('ReplicaSet.read (what a failed read on a replica leads to)', () => {
  // No replicas of its own, so nothing connects: read() is given a replica built over a failing pool.
  const set = new ReplicaSet(resolveOptions({ url: 'postgres://tux@primary/tux' }, {}), failingPool({}), new WriteTracker('context'));
  after(() => set.close());

  for (const [what, code] of [
    ['a query cancelled for a recovery conflict', '40001'],
    ['a database dropped by replay', '57P04'],
  ] as const) {
    it(`sends ${what} (${code}) to the primary, and keeps the replica`, async () => {
      const replica = new Replica(failingPool(withError('canceling statement due to conflict with recovery', { code })));
      replica.reachable = true;
      expect(await set.read(replica, { text: 'SELECT 1' })).to.equal(undefined);
      expect(replica.reachable).to.equal(true);
    });
  }

  it('sends a read whose connection was refused to the primary, and marks the replica down until its next check', async () => {
    const replica = new Replica(failingPool(withError('connect ECONNREFUSED 127.0.0.1:5433', { code: 'ECONNREFUSED' }), 'checkout'));
    replica.reachable = true;
    expect(await set.read(replica, { text: 'SELECT 1' })).to.equal(undefined);
    expect(replica.reachable).to.equal(false);
    expect(replica.error).to.match(/ECONNREFUSED|connect/);
  });

  it('passes any other error on: the primary would answer the same', async () => {
    const replica = new Replica(failingPool(withError('division by zero', { code: '22012' })));
    replica.reachable = true;
    let thrown: unknown;
    await set.read(replica, { text: 'SELECT 1/0' }).catch((e: unknown) => (thrown = e));
    expect(thrown).to.have.property('code', '22012');
    expect(replica.reachable).to.equal(true);
  });
});
