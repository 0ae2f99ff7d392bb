import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { Client } from 'pg';
import { createDatabase } from '../../src/container';
import type { DatabaseCoordinator } from '../../src/coordinator';
import type { DatabaseOptions } from '../../src/config';
import { CaseType } from '../../src/entities/enums';
import { compile, sql } from '../../src/query/sql';
import type { QueryEvent } from '../../src/service/query-event';
import { runFixture } from '../support/child-process';
import { replicaBinariesAvailable, startReplicaPair, type ReplicaPair } from '../support/replica-pair';

const MODERATION = { caseType: CaseType.WARN, caseUserId: '7', caseModeratorId: '8', caseReason: 'r' } as const;

// Where each statement of `work` ran: 'replica' or 'primary', by the event's port.
async function placesOf(db: DatabaseCoordinator, replicaPort: number, work: () => Promise<unknown>): Promise<string[]> {
  const places: string[] = [];
  const stop = db.service.onQuery((e: QueryEvent) => places.push(e.server?.port === replicaPort ? 'replica' : 'primary'));
  try {
    await work();
  } finally {
    stop();
  }
  return places;
}

// Runs `work` in an async context of its own (after an await, so the library's context holder is its own).
async function inOwnContext<T>(work: () => Promise<T>): Promise<T> {
  await null;
  return work();
}

// Polls until `done` holds, up to `attempts` × 50 ms; the caller's expectation then fails with its own message.
async function eventually(done: () => Promise<boolean>, attempts = 200): Promise<boolean> {
  for (let i = 0; i < attempts; i++) {
    if (await done()) return true;
    await sleep(50);
  }
  return false;
}

describe('read replicas with read-your-writes (a real primary and streaming standby)', function () {
  this.timeout(240_000);
  let pair: ReplicaPair;
  let replicaPort: number;

  before(async function () {
    // This machine kind (and CI) has the PostgreSQL 15 binaries; elsewhere the spec says why it does not run.
    if (!(await replicaBinariesAvailable())) {
      // Skip reason: a standby needs initdb and pg_basebackup, which CI's machine has.
      console.log('    (skipped: no PostgreSQL binaries for extra clusters at /usr/lib/postgresql/15/bin; set TUX_TEST_PG_BIN)');
      this.skip();
    }
    pair = await startReplicaPair();
    replicaPort = Number(new URL(pair.standbyUrl).port);
    const setup = await createDatabase({ url: pair.primaryUrl });
    await setup.close();
  });
  after(() => pair?.remove());

  const open = (options: DatabaseOptions = {}): Promise<DatabaseCoordinator> =>
    createDatabase({ url: pair.primaryUrl, replicas: [pair.standbyUrl], migrate: false, ...options });

  // A fresh context's read lands on the replica once the replica has replayed everything written so far.
  const readsFromReplicaAgain = (db: DatabaseCoordinator, guildId: string): Promise<boolean> =>
    eventually(async () => (await placesOf(db, replicaPort, () => inOwnContext(() => db.case.getRecentCases(guildId)))).includes('replica'));

  it('sends declared reads to the replica and writes, units, locking reads and raw queries to the primary', async () => {
    const db = await open();
    try {
      const guildId = '1001';
      const write = await placesOf(db, replicaPort, () => db.case.createCase({ ...MODERATION, guildId }));
      expect(write).to.deep.equal(['primary']);
      expect(await readsFromReplicaAgain(db, guildId), 'a plain read outside a unit reached the replica').to.equal(true);

      const inUnit = await placesOf(db, replicaPort, () => inOwnContext(() => db.transaction(() => db.case.getRecentCases(guildId))));
      expect(inUnit).to.deep.equal(['primary']);
      const locking = compile(sql`SELECT "case_id" FROM "cases" WHERE "guild_id" = ${guildId} FOR UPDATE`, { reads: ['cases'], writes: [], locks: true });
      expect(await placesOf(db, replicaPort, () => inOwnContext(() => db.service.run(locking)))).to.deep.equal(['primary']);
      const raw = await placesOf(db, replicaPort, () => inOwnContext(() => db.service.query('SELECT count(*) FROM cases', [])));
      expect(raw, 'an undeclared statement counts as a write').to.deep.equal(['primary']);

      const report = await db.health();
      expect(report.status, report.error).to.equal('healthy');
      expect(report.replicas).to.have.length(1);
      expect(report.replicas[0]).to.include({ status: 'up', role: 'standby', server: `127.0.0.1:${replicaPort}/postgres` });
      expect(report.replicas[0]?.lagMs).to.be.a('number').and.at.least(0);
    } finally {
      await db.close();
    }
  });

  it('never reads stale data over 1,000 write-then-read cycles from four processes, and uses the replica for many reads', async () => {
    const env = { DATABASE_URL: pair.primaryUrl, TUX_DB_REPLICAS: pair.standbyUrl, CYCLES: '125' };
    const outputs = await Promise.all(['2001', '2002', '2003', '2004'].map((guild) => runFixture('replica-worker.ts', env, [guild])));
    const runs = outputs.map((out) => JSON.parse(out.trim()) as { cycles: number; stale: string[]; errors: string[]; onReplica: number; onPrimary: number; directStale: number });
    const total = (key: 'cycles' | 'onReplica' | 'onPrimary' | 'directStale'): number => runs.reduce((n, run) => n + run[key], 0);
    expect(runs.flatMap((r) => r.errors)).to.deep.equal([]);
    expect(runs.flatMap((r) => r.stale), 'reads through the library that missed their own write').to.deep.equal([]);
    expect(total('cycles')).to.equal(1_000);
    console.log(`      ${total('onReplica')} reads on the replica, ${total('onPrimary')} on the primary; straight from the replica right after the write, ${total('directStale')} of 1000 were stale`);
    // The check could fail: read straight from the replica, the same reads are often stale.
    expect(total('directStale'), 'stale reads straight from the replica (the hazard the router avoids)').to.be.above(0);
    expect(total('onReplica'), 'reads the router sent to the replica').to.be.at.least(100);
  });

  it('keeps reads of the writing context on the primary until the replica replayed the write; other contexts are not held back, unless scope is process', async () => {
    const standby = new Client({ connectionString: pair.standbyUrl });
    await standby.connect();
    try {
      for (const scope of ['context', 'process'] as const) {
        const db = await open({ readYourWrites: scope });
        try {
          const guildId = scope === 'context' ? '3001' : '3002';
          await db.guild.getOrCreateGuild(guildId);
          expect(await readsFromReplicaAgain(db, guildId)).to.equal(true);
          // Replay stands still, so the replica cannot have the write below whatever the timing.
          await standby.query('SELECT pg_wal_replay_pause()');
          try {
            // Two bot events, each in a context of its own: one reads right after the other's write.
            let readerReady!: () => void;
            let releaseReader!: () => void;
            const ready = new Promise<void>((resolve) => (readerReady = resolve));
            const gate = new Promise<void>((resolve) => (releaseReader = resolve));
            const reader = db.service.withReadContext(async () => {
              await db.case.getRecentCases(guildId);
              readerReady();
              await gate;
              return placesOf(db, replicaPort, () => db.case.getRecentCases(guildId));
            });
            await ready;
            const { writer, other } = await db.service.withReadContext(async () => {
              await db.case.createCase({ ...MODERATION, guildId });
              releaseReader();
              const otherPlaces = await reader;
              return { other: otherPlaces, writer: await placesOf(db, replicaPort, () => db.case.getRecentCases(guildId)) };
            });
            expect(writer, 'the writer reads after its write').to.deep.equal(['primary']);
            expect(other, `another context reads after that write (${scope})`).to.deep.equal([scope === 'context' ? 'replica' : 'primary']);
          } finally {
            await standby.query('SELECT pg_wal_replay_resume()');
          }
        } finally {
          await db.close();
        }
      }
    } finally {
      await standby.end();
    }
  });

  it('makes a write that a callee made after an await visible to its caller (the context is shared downwards)', async () => {
    const db = await open();
    try {
      const guildId = '3003';
      await db.guild.getOrCreateGuild(guildId);
      await db.service.withReadContext(async () => {
        expect(await readsFromReplicaAgain(db, guildId)).to.equal(true);
        const callee = async (): Promise<void> => {
          await sleep(1);
          await db.case.createCase({ ...MODERATION, guildId });
        };
        await callee();
        const places = await placesOf(db, replicaPort, async () => expect(await db.case.getRecentCases(guildId)).to.have.length(1));
        expect(places).to.deep.equal(['primary']);
      });
    } finally {
      await db.close();
    }
  });

  it('moves reads to the primary while the replica is stopped, reports it down, and back once it is up', async () => {
    const db = await open();
    try {
      const guildId = '4001';
      await db.case.createCase({ ...MODERATION, guildId });
      expect(await readsFromReplicaAgain(db, guildId)).to.equal(true);
      await pair.stopStandby();
      try {
        for (let i = 0; i < 50; i++) {
          const cases = await inOwnContext(() => db.case.getRecentCases(guildId));
          expect(cases).to.have.length(1);
        }
        const report = await db.health();
        expect(report.status).to.equal('degraded');
        expect(report.replicas[0]?.status).to.equal('down');
        expect(report.error).to.match(/^replica 127\.0\.0\.1:\d+\/postgres is down: /);
        const after = await placesOf(db, replicaPort, () => inOwnContext(() => db.case.getRecentCases(guildId)));
        expect(after).to.deep.equal(['primary']);
      } finally {
        await pair.startStandby();
      }
      expect(await readsFromReplicaAgain(db, guildId), 'reads return to the restarted replica').to.equal(true);
      expect((await db.health()).status).to.equal('healthy');
    } finally {
      await db.close();
    }
  });

  it('gives a replica far behind no reads right after connect(), when the positions kept do not reach back to its lag yet', async () => {
    const writer = await open();
    const standby = new Client({ connectionString: pair.standbyUrl });
    await standby.connect();
    try {
      const guildId = '5101';
      await writer.case.createCase({ ...MODERATION, guildId });
      expect(await readsFromReplicaAgain(writer, guildId)).to.equal(true);
      await standby.query('SELECT pg_wal_replay_pause()');
      try {
        // Another shard writes; the replica stays behind for longer than maxReplicaLagMs before this process starts.
        await writer.case.createCase({ ...MODERATION, guildId });
        await sleep(1_500);
        const db = await open({ maxReplicaLagMs: 1_000 });
        try {
          const [replica] = (await db.health()).replicas;
          expect(replica?.status, 'a replica that has not replayed the oldest position kept is not up').to.not.equal('up');
          const places = await placesOf(db, replicaPort, () => inOwnContext(() => db.case.getRecentCases(guildId)));
          expect(places).to.deep.equal(['primary']);
          expect(await inOwnContext(() => db.case.getRecentCases(guildId))).to.have.length(2);
        } finally {
          await db.close();
        }
      } finally {
        await standby.query('SELECT pg_wal_replay_resume()');
      }
    } finally {
      await standby.end();
      await writer.close();
    }
  });

  it('sees its own writes with synchronous_commit off, whose commit returns before its WAL is written', async () => {
    const admin = new Client({ connectionString: pair.primaryUrl });
    await admin.connect();
    try {
      // The WAL writer writes an asynchronous commit only after its delay (10 s, the most): until then only the
      // insert position is past the commit, the write position is not.
      await admin.query(`ALTER SYSTEM SET wal_writer_delay = '10s'`);
      await admin.query('SELECT pg_reload_conf()');
      await admin.query('ALTER DATABASE postgres SET synchronous_commit = off');
      const db = await open();
      try {
        const guildId = '5201';
        await db.guild.getOrCreateGuild(guildId);
        expect(await readsFromReplicaAgain(db, guildId)).to.equal(true);
        await db.service.withReadContext(async () => {
          await db.case.createCase({ ...MODERATION, guildId });
          await sleep(300); // a few checks of the positions
          const places = await placesOf(db, replicaPort, async () => expect(await db.case.getRecentCases(guildId), 'the read after the write sees it').to.have.length(1));
          expect(places).to.deep.equal(['primary']);
        });
      } finally {
        await db.close();
      }
    } finally {
      await admin.query('ALTER DATABASE postgres RESET synchronous_commit');
      await admin.query('ALTER SYSTEM RESET wal_writer_delay');
      await admin.query('SELECT pg_reload_conf()');
      await admin.end();
    }
  });

  it('keeps checking and using the other replicas while one stops answering, and closes without waiting for it', async () => {
    // A host that accepts connections and never answers (frozen, or behind a black hole).
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentUrl = `postgres://postgres@127.0.0.1:${(silent.address() as AddressInfo).port}/postgres`;
    try {
      const db = await createDatabase({ url: pair.primaryUrl, replicas: [silentUrl, pair.standbyUrl], maxReplicaLagMs: 300, acquireTimeoutMs: 60_000, migrate: false });
      try {
        const guildId = '5301';
        await db.guild.getOrCreateGuild(guildId);
        expect(await readsFromReplicaAgain(db, guildId), 'the answering replica takes reads').to.equal(true);
        const [stuck, answering] = (await db.health()).replicas;
        expect(stuck?.status).to.equal('down');
        expect(stuck?.error).to.match(/its check has not come back within 400 ms/);
        expect(answering?.status).to.equal('up');
      } finally {
        await db.close(); // a check still waiting on the silent host does not hold it
      }
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('skips a replica whose replay lags past maxReplicaLagMs, measured by WAL position, and uses it again once it caught up', async () => {
    const db = await open({ maxReplicaLagMs: 300 });
    const standby = new Client({ connectionString: pair.standbyUrl });
    await standby.connect();
    try {
      const guildId = '5001';
      await db.case.createCase({ ...MODERATION, guildId });
      expect(await readsFromReplicaAgain(db, guildId)).to.equal(true);
      await standby.query('SELECT pg_wal_replay_pause()');
      try {
        // Writes keep coming while replay stands still: the replica falls behind.
        const lagging = await eventually(async () => {
          await db.case.createCase({ ...MODERATION, guildId });
          return (await db.health()).replicas[0]?.status === 'lagging';
        });
        expect(lagging, 'health reports the paused replica as lagging').to.equal(true);
        const report = await db.health();
        expect(report.replicas[0]?.lagMs).to.be.above(300);
        expect(report.status).to.equal('degraded');
        await sleep(200);
        const places = await placesOf(db, replicaPort, () => inOwnContext(() => db.case.getRecentCases(guildId)));
        expect(places, 'a fresh context does not read from the lagging replica').to.deep.equal(['primary']);
      } finally {
        await standby.query('SELECT pg_wal_replay_resume()');
      }
      expect(await readsFromReplicaAgain(db, guildId), 'reads return once replay caught up').to.equal(true);
    } finally {
      await standby.end();
      await db.close();
    }
  });
});
