import { expect } from 'chai';
import { Client, type Pool } from 'pg';
import sinon from 'sinon';
import { resolveOptions } from '../../src/config';
import { Replica, ReplicaSet } from '../../src/service/replica-set';
import { WriteTracker } from '../../src/service/write-tracker';

// A pool on which every read fails with `error`, at checkout (a refused connection) or from the statement: what a
// replica's pool hands back in each case below. The statement is sent through pg's own Client#query (as the library
// sends it), stubbed to fail it.
function failingPool(error: object, at: 'checkout' | 'statement' = 'statement'): Pool {
  const client = Object.assign(Object.create(Client.prototype) as object, { failWith: error, once: () => undefined, removeListener: () => undefined });
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
  let sandbox: sinon.SinonSandbox;
  beforeEach(() => {
    sandbox = sinon.createSandbox();
    sandbox.stub(Client.prototype, 'query').callsFake(function (this: { failWith: unknown }, statement: { callback: (e: unknown) => void }) {
      statement.callback(this.failWith);
    } as never);
  });
  afterEach(() => sandbox.restore());

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

  it('sends a read whose prepared statement a migration changed (0A000 from RevalidateCachedQuery) to the primary, and keeps the replica', async () => {
    const replica = new Replica(failingPool(withError('cached plan must not change result type', { code: '0A000', routine: 'RevalidateCachedQuery' })));
    replica.reachable = true;
    expect(await set.read(replica, { text: 'SELECT 1' })).to.equal(undefined);
    expect(replica.reachable).to.equal(true);
  });

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
