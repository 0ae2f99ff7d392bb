import { expect } from 'chai';
import { Client } from 'pg';
import { Case } from '../../src/entities/case';
import { CaseType } from '../../src/entities/enums';
import { DEFAULT_PREFIX } from '../../src/repositories/guild-config-repository';
import { runFixture } from '../support/child-process';
import { testDatabaseUrl } from '../support/test-server';
import { TEST_REDIS_URL, cacheOptions, readUntil, sent, settle, useTwoCaches } from '../support/cache';

for (const backend of ['memory', { redis: TEST_REDIS_URL }] as const) {
  const name = backend === 'memory' ? 'memory' : 'redis';

  describe(`cache (${name} backend): hits, invalidation, coherence across processes`, function () {
    this.timeout(60_000);
    const t = useTwoCaches(backend);
    const { newGuild } = t;

    it('answers a repeated read from the cache: one statement, then hits, counted in health()', async () => {
      const guildId = newGuild();
      await t.a.guildConfig.setPrefix(guildId, '?');
      const before = (await t.a.health()).cache;
      const events = await sent(t.a, async () => {
        for (let i = 0; i < 5; i++) expect(await t.a.guildConfig.getPrefix(guildId)).to.equal('?');
      });
      expect(events.map((e) => e.sql)).to.have.length(1);
      const after = (await t.a.health()).cache;
      expect(after).to.include({ backend: name, active: true });
      expect(after!.hits - before!.hits).to.equal(4);
      expect(after!.misses - before!.misses).to.equal(1);
    });

    it('drops what a write changed before the write returns, in the writing process', async () => {
      const guildId = newGuild();
      await t.a.guildConfig.setPrefix(guildId, '!');
      expect(await t.a.guildConfig.getPrefix(guildId)).to.equal('!');
      await t.a.guildConfig.setPrefix(guildId, '$');
      expect(await t.a.guildConfig.getPrefix(guildId)).to.equal('$');
      await t.a.permissionRanks.createRank(guildId, 3, 'Mods');
      await t.a.permissionAssignments.assignRole(guildId, '555', 3);
      expect(await t.a.permissionAssignments.getUserPermissionRank(guildId, '1', ['555'])).to.equal(3);
      await t.a.permissionAssignments.unassignRole(guildId, '555');
      expect(await t.a.permissionAssignments.getUserPermissionRank(guildId, '1', ['555'])).to.equal(null);
    });

    it('sees another process’s prefix, rank and assignment changes once their notification arrives, and never goes back', async () => {
      const guildId = newGuild();
      await t.b.guildConfig.setPrefix(guildId, 'old');
      await t.b.permissionRanks.createRank(guildId, 2, 'Helpers');
      await t.b.permissionAssignments.assignRole(guildId, '777', 2);
      // B caches all three.
      expect(await t.b.guildConfig.getPrefix(guildId)).to.equal('old');
      expect(await t.b.permissionRanks.getRank(guildId, 2)).to.include({ name: 'Helpers' });
      expect(await t.b.permissionAssignments.getUserPermissionRank(guildId, '1', ['777'])).to.equal(2);

      await t.a.guildConfig.setPrefix(guildId, 'new');
      await t.a.permissionRanks.updateRank(guildId, 2, { name: 'Trial mods' });
      await t.a.permissionRanks.createRank(guildId, 5, 'Admins');
      await t.a.permissionAssignments.assignRole(guildId, '777', 5);

      const prefixes = await readUntil(() => t.b.guildConfig.getPrefix(guildId), 'new');
      expect(prefixes.at(-1)).to.equal('new');
      expect(prefixes.filter((p) => p !== 'old' && p !== 'new')).to.deep.equal([]);
      expect((await readUntil(async () => (await t.b.permissionRanks.getRank(guildId, 2))?.name, 'Trial mods')).at(-1)).to.equal('Trial mods');
      expect((await readUntil(() => t.b.permissionAssignments.getUserPermissionRank(guildId, '1', ['777']), 5)).at(-1)).to.equal(5);
      // Once B has seen the new values it never reads the old ones again.
      for (let i = 0; i < 20; i++) {
        expect(await t.b.guildConfig.getPrefix(guildId)).to.equal('new');
        expect(await t.b.permissionAssignments.getUserPermissionRank(guildId, '1', ['777'])).to.equal(5);
      }
    });

    it('is invalidated by a raw UPDATE from another client (psql), and by the cascade from deleting the guild', async () => {
      const guildId = newGuild();
      await t.b.guildConfig.setPrefix(guildId, 'before');
      expect(await t.b.guildConfig.getPrefix(guildId)).to.equal('before');
      const psql = new Client({ connectionString: process.env['TUX_TEST_DIRECT_URL'] ? cacheOptions(backend)?.cacheListenUrl : testDatabaseUrl() });
      await psql.connect();
      try {
        await psql.query('UPDATE guild_config SET prefix = $1 WHERE guild_id = $2', ['after', guildId]);
        expect((await readUntil(() => t.b.guildConfig.getPrefix(guildId), 'after')).at(-1)).to.equal('after');
        await psql.query('DELETE FROM guild WHERE guild_id = $1', [guildId]);
        expect((await readUntil(() => t.b.guildConfig.getPrefix(guildId), DEFAULT_PREFIX)).at(-1), 'the default prefix once the config is gone').to.equal(DEFAULT_PREFIX);
      } finally {
        await psql.end();
      }
    });

    it('follows a change made by another OS process (a child bot process)', async () => {
      const guildId = newGuild();
      await t.b.guildConfig.setPrefix(guildId, 'parent');
      expect(await t.b.guildConfig.getPrefix(guildId)).to.equal('parent');
      const env: Record<string, string> = { DATABASE_URL: testDatabaseUrl(), GUILD_ID: guildId, PREFIX: 'child' };
      await runFixture('set-prefix.ts', env);
      expect((await readUntil(() => t.b.guildConfig.getPrefix(guildId), 'child')).at(-1)).to.equal('child');
    });

    it('keeps a unit’s writes to the unit until it commits, and a rolled-back unit invalidates nothing', async () => {
      const guildId = newGuild();
      await t.a.guildConfig.setPrefix(guildId, 'kept');
      await settle(t.a, () => t.a.guildConfig.getPrefix(guildId));
      let seenInside: string | undefined;
      await t.a
        .transaction(async () => {
          await t.a.guildConfig.setPrefix(guildId, 'undone');
          seenInside = await t.a.guildConfig.getPrefix(guildId);
          throw new Error('roll back');
        })
        .catch(() => undefined);
      expect(seenInside, 'a read inside the unit sees its own write').to.equal('undone');
      const hitsBefore = (await t.a.health()).cache!.hits;
      expect(await t.a.guildConfig.getPrefix(guildId)).to.equal('kept');
      expect((await t.a.health()).cache!.hits - hitsBefore, 'the entry survived the rollback').to.equal(1);

      await t.a.transaction(async () => {
        await t.a.guildConfig.setPrefix(guildId, 'committed');
        // Another process still reads the committed value until COMMIT.
        expect(await t.b.guildConfig.getPrefix(guildId)).to.equal('kept');
      });
      expect(await t.a.guildConfig.getPrefix(guildId), 'dropped at commit, before the unit returned').to.equal('committed');
    });

    it('keeps the prefix cached across the per-message writes (addXp, createCase), and drops it at once when the guild is deleted', async () => {
      const guildId = newGuild();
      await t.a.guildConfig.setPrefix(guildId, 'p');
      await settle(t.a, () => t.a.guildConfig.getPrefix(guildId));
      await t.a.levels.addXp('5', guildId, 10);
      await t.a.case.createCase({ guildId, caseType: CaseType.WARN, caseUserId: '5', caseModeratorId: '6', caseReason: 'r' });
      expect(await sent(t.a, async () => expect(await t.a.guildConfig.getPrefix(guildId)).to.equal('p')), 'still a hit').to.have.length(0);
      await t.a.guild.deleteGuild(guildId);
      expect(await t.a.guildConfig.getPrefix(guildId), 'the cascade emptied the config before deleteGuild returned').to.equal(DEFAULT_PREFIX);
    });

    it('runs one statement for concurrent misses of one key (single flight)', async () => {
      const guildId = newGuild();
      await t.a.guildConfig.setPrefix(guildId, 'sf');
      await t.a.guildConfig.setPrefix(guildId, 'sf2'); // the write dropped the entry: the next read misses
      const events = await sent(t.a, async () => {
        const prefixes = await Promise.all(Array.from({ length: 20 }, () => t.a.guildConfig.getPrefix(guildId)));
        expect(new Set(prefixes)).to.deep.equal(new Set(['sf2']));
      });
      expect(events).to.have.length(1);
    });

    it('caches case by number, the permission level, command permissions with the parent fallback, and "not AFK"', async () => {
      const guildId = newGuild();
      const created = await t.a.case.createCase({ guildId, caseType: CaseType.WARN, caseUserId: '5', caseModeratorId: '6', caseReason: 'r' });
      await t.a.permissionCommands.setCommandRank(guildId, 'config', 4);
      const reads = async (): Promise<unknown[]> => [
        (await t.a.case.getCaseByNumber(created.caseNumber, guildId))?.caseId,
        await t.a.guildPermissions.getPermissionLevel(guildId, '5'),
        await t.a.permissionCommands.getCommandRank(guildId, 'config ranks init'),
        await t.a.afk.isMemberAfk('5', guildId),
        await t.a.afk.getAfkByMember('5', guildId),
      ];
      await settle(t.a, reads);
      expect(await reads()).to.deep.equal([created.caseId, 'MEMBER', 4, false, null]);
      expect((await sent(t.a, reads)).map((e) => e.sql), 'all five answered from the cache').to.deep.equal([]);
      await t.a.afk.setMemberAfk({ userId: '5', guildId, afkMessage: 'brb', nickname: 'five' });
      expect(await t.a.afk.isMemberAfk('5', guildId), 'the negative entry dropped by the write').to.equal(true);
    });

    it('returns copies: a caller changing a returned row does not change what the next caller gets', async () => {
      const guildId = newGuild();
      const created = await t.a.case.createCase({ guildId, caseType: CaseType.BAN, caseUserId: '5', caseModeratorId: '6', caseReason: 'r', caseUserRoles: ['1'] });
      const first = await t.a.case.getCaseByNumber(created.caseNumber, guildId);
      first!.caseUserRoles.push('mutated');
      first!.caseCreatedAt.setFullYear(1999);
      const second = await t.a.case.getCaseByNumber(created.caseNumber, guildId);
      expect(second!.caseUserRoles).to.deep.equal(['1']);
      expect(second!.caseCreatedAt.getTime()).to.equal(created.caseCreatedAt.getTime());
      // The read's rows are stored as pg read them, arrays (StatementOptions.rowsAsArrays): a hit hydrates the same case.
      let third: Case | null = null;
      expect((await sent(t.a, async () => (third = await t.a.case.getCaseByNumber(created.caseNumber, guildId)))).map((e) => e.sql), 'a hit').to.deep.equal([]);
      expect(third).to.be.instanceOf(Case).and.to.deep.equal(created);
    });

    it('flushes the cache when its LISTEN connection is killed, and fills again once LISTEN is back', async () => {
      const guildId = newGuild();
      await t.b.guildConfig.setPrefix(guildId, 'one');
      await settle(t.b, () => t.b.guildConfig.getPrefix(guildId));
      const admin = new Client({ connectionString: cacheOptions(backend)?.cacheListenUrl ?? testDatabaseUrl() });
      await admin.connect();
      try {
        // A write that fires no trigger (replication role), so no notification: only the flush can drop the entry.
        await admin.query('SET session_replication_role = replica');
        await admin.query('UPDATE guild_config SET prefix = $1 WHERE guild_id = $2', ['two', guildId]);
        await admin.query('SET session_replication_role = DEFAULT');
        expect(await t.b.guildConfig.getPrefix(guildId), 'without a notification the entry stands').to.equal('one');
        const listeners = `SELECT pid FROM pg_stat_activity WHERE application_name = 'tux-database cache listener' AND datname = current_database()`;
        const killed = await admin.query(`SELECT pg_terminate_backend(pid) FROM (${listeners}) AS l`);
        expect(killed.rowCount, 'the listeners of a and b').to.be.at.least(2);
        const reads = await readUntil(() => t.b.guildConfig.getPrefix(guildId), 'two');
        expect(reads.at(-1), 'the lost connection flushed the cache').to.equal('two');
        const active = await readUntil(async () => (await t.b.health()).cache!.active, true);
        expect(active.at(-1), 'LISTEN comes back').to.equal(true);
        for (let i = 0; i < 10; i++) expect(await t.b.guildConfig.getPrefix(guildId)).to.equal('two');
        // And notifications work again on the new connection.
        await admin.query('UPDATE guild_config SET prefix = $1 WHERE guild_id = $2', ['three', guildId]);
        expect((await readUntil(() => t.b.guildConfig.getPrefix(guildId), 'three')).at(-1)).to.equal('three');
      } finally {
        await admin.end();
      }
    });
  });
}
