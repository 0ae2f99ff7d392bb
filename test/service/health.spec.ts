import { expect } from 'chai';
import { Client } from 'pg';
import sinon from 'sinon';
import { DatabaseService } from '../../src/service/database-service';
import { applyMigrations, revertLastMigration } from '../../src/service/migrations';
import { ALL_MIGRATIONS } from '../../src/migrations/all-migrations';
import { GuildIdInEveryKey1796001797542 } from '../../src/migrations/1796001797542-guild-id-in-every-key';
import { PermanentAfkWithoutEnd1796204957178 } from '../../src/migrations/1796204957178-permanent-afk-without-end';
import { useTestDatabase } from '../support/test-database';
import { createScratchDatabase, dropScratchDatabase, testDatabaseUrl } from '../support/test-server';

// The last migrations, newest first: the two cache trigger migrations (which TypeORM's drift check does not see), then
// the one that re-keys tables.
// The migration that re-keys tables, then the three after it, which add only triggers.
const REKEYED_AT = ALL_MIGRATIONS.indexOf(GuildIdInEveryKey1796001797542);
const REKEYING = GuildIdInEveryKey1796001797542.name;
// The migrations after the re-keying add triggers or rewrite rows: nothing TypeORM's drift check sees.
const AFTER_REKEYING = ALL_MIGRATIONS.slice(REKEYED_AT + 1).map((m) => m.name);
const NEWEST = PermanentAfkWithoutEnd1796204957178.name;

describe('health', function () {
  this.timeout(60_000);

  describe('on the migrated test database', () => {
    const t = useTestDatabase();

    it('is healthy on a primary, with no replay lag, no pending migrations, no drift and pool counts', async () => {
      const report = await t.db.health();
      expect(report.status, report.error).to.equal('healthy');
      expect(report.server).to.deep.equal({ role: 'primary', replayLagMs: null });
      expect(report.schema).to.deep.equal({ pendingMigrations: [], drift: false, pendingStatements: 0 });
      expect(report.pendingMigrations).to.deep.equal([]);
      expect(report.pool.total).to.be.at.least(1);
      expect(report.pool.max).to.be.at.least(1);
    });

    it('times only the server-state round trip, not the wait for a pooled connection', async () => {
      const service = new DatabaseService({ url: testDatabaseUrl(), migrate: false, poolSize: 1, acquireTimeoutMs: 10_000 });
      await service.connect();
      try {
        await service.health(); // the drift check, once
        // The one connection is busy for 300 ms when health() asks for it.
        const busy = service.query('SELECT pg_sleep(0.3)', []);
        const started = performance.now();
        const report = await service.health();
        const took = performance.now() - started;
        await busy;
        expect(report.status, report.error).to.equal('healthy');
        // Whatever the host's speed: the call took the wait plus the round trip; latencyMs is the round trip alone.
        expect(report.latencyMs).to.be.a('number').below(took - 200);
      } finally {
        await service.disconnect();
      }
    });

    it('runs the drift check once per connection and set of applied migrations, not on every call', async () => {
      // Round trips of a fresh service's first health call (with the schema builder's catalog queries), then its second.
      const service = new DatabaseService({ url: testDatabaseUrl(), migrate: false });
      await service.connect();
      const queries = sinon.spy(Client.prototype, 'query');
      try {
        await service.health();
        const first = queries.callCount;
        queries.resetHistory();
        const report = await service.health();
        expect(report.status).to.equal('healthy');
        expect(queries.callCount, 'the second call only asks for the server and the applied migrations').to.be.at.most(3);
        expect(first, 'the first call ran the drift check').to.be.greaterThan(queries.callCount + 3);
      } finally {
        queries.restore();
        await service.disconnect();
      }
    });
  });

  describe('on a scratch database', () => {
    let service: DatabaseService | undefined;
    afterEach(async () => {
      await service?.disconnect();
      service = undefined;
      await dropScratchDatabase('health');
    });
    const migrated = async (): Promise<DatabaseService> => {
      service = new DatabaseService({ url: await createScratchDatabase('health'), migrate: false });
      await service.connect();
      await applyMigrations(service.dataSource);
      return service;
    };

    it('is degraded and names the pending migrations when the last ones are reverted, drift checked again', async () => {
      const s = await migrated();
      expect((await s.health()).status).to.equal('healthy');
      // The newest migration adds a CHECK the entity declares: reverted, it is pending and the table differs too.
      expect(await revertLastMigration(s.dataSource)).to.equal(NEWEST);
      expect((await s.health()).schema).to.deep.include({ pendingMigrations: [NEWEST], drift: true });
      // With that CHECK put back by hand, the migrations between the re-keying and it change nothing TypeORM's drift
      // check sees; the re-keying changes tables.
      await s.dataSource.query(`ALTER TABLE "afk" ADD CONSTRAINT "afk_permanent_without_until" CHECK (NOT "perm_afk" OR "until" IS NULL)`);
      for (const name of [...AFTER_REKEYING].reverse().slice(1)) expect(await revertLastMigration(s.dataSource)).to.equal(name);
      const afterRekeying = await s.health();
      expect(afterRekeying.status).to.equal('degraded');
      expect(afterRekeying.schema).to.deep.include({ pendingMigrations: AFTER_REKEYING, drift: false });
      expect(afterRekeying.error).to.equal(`${AFTER_REKEYING.length} migration(s) pending (${AFTER_REKEYING.join(', ')}): run tux-db migrate-push`);
      expect(await revertLastMigration(s.dataSource)).to.equal(REKEYING);
      const report = await s.health();
      expect(report.status).to.equal('degraded');
      expect(report.schema?.pendingMigrations).to.deep.equal([REKEYING, ...AFTER_REKEYING]);
      expect(report.pendingMigrations).to.deep.equal([REKEYING, ...AFTER_REKEYING]);
      // The drift result is cached per applied-migrations list, so the revert makes health look again.
      expect(report.schema?.drift).to.equal(true);
    });

    it('is degraded and reports drift when a table differs from its entity', async () => {
      const s = await migrated();
      // Before the first health(): a hand-made change is only seen by a process's first drift check.
      await s.dataSource.query('ALTER TABLE "afk" DROP COLUMN "nickname"');
      const report = await s.health();
      expect(report.status).to.equal('degraded');
      expect(report.schema?.pendingMigrations).to.deep.equal([]);
      expect(report.schema?.drift).to.equal(true);
      expect(report.schema?.pendingStatements).to.be.at.least(1);
      expect(report.error).to.match(/^the schema differs from the entities \(\d+ statement\(s\) would change it; tux-db check prints them\)$/);
    });
  });
});
