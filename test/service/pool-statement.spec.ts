import { expect } from 'chai';
import { Pool, type PoolClient } from 'pg';
import { runOnPool } from '../../src/service/pool-statement';
import { directUrl } from '../support/behind-pooler';
import { useTestDatabase } from '../support/test-database';
import { testDatabaseUrl } from '../support/test-server';

// runOnPool on a pool of its own, against the real server: how it hears a connection's error events.
describe('runOnPool and a connection’s error events', () => {
  useTestDatabase({ cache: false });
  let pool: Pool;

  beforeEach(() => {
    pool = new Pool({ connectionString: directUrl(testDatabaseUrl()), max: 1 });
  });
  afterEach(() => pool.end());

  it('hands an error event to the statement running on the connection, which fails with it once; the next statement gets a new connection', async () => {
    const acquired = new Promise<PoolClient>((resolve) => pool.once('acquire', resolve));
    const running = runOnPool(pool, { text: 'SELECT pg_sleep(0.2)', values: [] });
    const client = await acquired;
    // What pg emits when the socket of a checked-out connection dies.
    const gone = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    client.emit('error', gone);
    const outcome = await running.then(
      () => 'resolved',
      (e: unknown) => e,
    );
    // A raw statement declares nothing, so it counts as a write and is not run again on a lost connection.
    expect(outcome).to.equal(gone);
    const next = await runOnPool<{ n: number }>(pool, { text: 'SELECT 2 AS n', values: [] });
    expect(next.rows).to.deep.equal([{ n: 2 }]);
    // The failed connection was destroyed, not pooled again.
    const fresh = await pool.connect();
    fresh.release();
    expect(fresh).to.not.equal(client);
  });

  it('leaves no listener of its own on a connection once a statement settled, whether it succeeded or failed', async () => {
    const first = await pool.connect();
    const idleListeners = first.listenerCount('error');
    first.release();
    for (let i = 0; i < 20; i++) await runOnPool(pool, { text: 'SELECT $1::int AS n', values: [i] });
    await runOnPool(pool, { text: 'SELECT 1/0', values: [] }).catch(() => undefined);
    const client = await pool.connect();
    // Still the one pooled connection (a statement error keeps it), with only pg-pool's own listeners.
    expect(client).to.equal(first);
    expect(client.listenerCount('error')).to.equal(idleListeners);
    client.release();
  });
});
