import { expect } from 'chai';
import { runSoak } from '../../bench/soak';
import { pgbouncerAvailable } from '../support/pgbouncer';
import { replicaBinariesAvailable } from '../support/replica-pair';

describe('scale-out soak: processes behind PgBouncer with a streaming replica (short run; bench:soak runs the long one)', function () {
  this.timeout(300_000);

  before(async function () {
    // It builds its own primary, standby and PgBouncer, whatever DATABASE_URL says: one run per suite is enough.
    if (process.env['DATABASE_URL']) {
      // Skip reason: the soak starts its own servers, so one run (the embedded one) covers it.
      console.log('    (skipped: the soak builds its own servers; it runs in the embedded-server run of the suite)');
      this.skip();
    }
    if (!(await replicaBinariesAvailable()) || !(await pgbouncerAvailable())) {
      // Skip reason: no binaries to build a standby or a bouncer with (CI's machine has both).
      console.log('    (skipped: needs the PostgreSQL 15 binaries and PgBouncer; .ci/run installs PgBouncer)');
      this.skip();
    }
  });

  it('keeps every promise: no error, no stale read, gapless numbers, all XP, each reminder claimed exactly once', async () => {
    const result = await runSoak({ processes: 4, seconds: 8, poolSize: 4, serverPoolSize: 4, guilds: 3 });
    expect(result.errors).to.deep.equal([]);
    expect(result.stale).to.deep.equal([]);
    expect(result.numbering).to.deep.equal([]);
    expect(result.xpProblems).to.deep.equal([]);
    expect(result.reminderProblems).to.deep.equal([]);
    // The run did real work of each kind, and the replica served reads.
    expect(result.cases).to.be.above(0);
    expect(result.xp).to.be.above(0);
    expect(result.reminders).to.be.above(0);
    expect(result.onReplica).to.be.above(0);
  });
});
