import { expect } from 'chai';
import { DatabaseService } from '../../src/service/database-service';
import { replicaBinariesAvailable, startReplicaPair, type ReplicaPair } from '../support/replica-pair';

describe('health on a real streaming standby', function () {
  this.timeout(120_000);
  let pair: ReplicaPair | undefined;

  before(async function () {
    // This machine kind (and CI) has them; elsewhere the spec says why it does not run.
    if (!(await replicaBinariesAvailable())) this.skip();
    pair = await startReplicaPair();
  });
  after(() => pair?.remove());

  it('reports the primary as primary and the standby as standby with its replay lag, both migrated and healthy', async () => {
    const primary = new DatabaseService({ url: pair!.primaryUrl });
    await primary.connect(); // migrates the primary; the standby replays it
    const standby = new DatabaseService({ url: pair!.standbyUrl, migrate: false });
    try {
      await primary.query('CREATE TABLE replay_marker (n int)', []);
      await primary.query('INSERT INTO replay_marker VALUES (1)', []);
      await standby.connect();
      // The standby has replayed the migrations and the marker once it can read the marker.
      for (;;) {
        const seen = await standby.query('SELECT to_regclass($1) AS t', ['replay_marker']);
        if (seen.rows[0]?.['t'] !== null) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      const onPrimary = await primary.health();
      expect(onPrimary.status, onPrimary.error).to.equal('healthy');
      expect(onPrimary.server).to.deep.equal({ role: 'primary', replayLagMs: null });

      const onStandby = await standby.health();
      expect(onStandby.status, onStandby.error).to.equal('healthy');
      expect(onStandby.server?.role).to.equal('standby');
      expect(onStandby.server?.replayLagMs, 'ms since the last replayed commit').to.be.a('number').and.at.least(0);
      expect(onStandby.schema?.pendingMigrations).to.deep.equal([]);
    } finally {
      await standby.disconnect();
      await primary.disconnect();
    }
  });
});
