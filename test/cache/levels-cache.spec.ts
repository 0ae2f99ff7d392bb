import { expect } from 'chai';
import { Client } from 'pg';
import { testDatabaseUrl } from '../support/test-server';
import { TEST_REDIS_URL, cacheOptions, readUntil, sent, settle, useTwoCaches } from '../support/cache';

const COOLDOWN = { cooldownSeconds: 60 };

for (const backend of ['memory', { redis: TEST_REDIS_URL }] as const) {
  const name = backend === 'memory' ? 'memory' : 'redis';

  describe(`cache (${name} backend): addXp on cooldown answered from a member's cached row`, function () {
    this.timeout(60_000);
    const t = useTwoCaches(backend);
    const { newGuild } = t;
    // A client outside the library, as psql is.
    const psql = async <T>(work: (client: Client) => Promise<T>): Promise<T> => {
      const client = new Client({ connectionString: cacheOptions(backend)?.cacheListenUrl ?? testDatabaseUrl() });
      await client.connect();
      try {
        return await work(client);
      } finally {
        await client.end();
      }
    };


    it('sends no statement for a message on cooldown once the member is cached, and reports what the database holds', async () => {
      const guildId = newGuild();
      const first = await t.a.levels.addXp('11', guildId, 20, COOLDOWN);
      expect(first).to.include({ xp: 20, awarded: true });
      await settle(t.a, () => t.a.levels.addXp('11', guildId, 20, COOLDOWN));
      let result;
      const events = await sent(t.a, async () => {
        result = await t.a.levels.addXp('11', guildId, 25, COOLDOWN);
      });
      expect(events, 'answered from the cache').to.have.length(0);
      const stored = await t.b.levels.getById({ userId: '11', guildId });
      expect(result).to.deep.equal({ xp: stored!.xp, level: stored!.level, previousLevel: stored!.level, levelUp: false, awarded: false });
      expect(stored!.xp, 'nothing was added on cooldown').to.equal(20);
    });

    it('keeps the row an award left, through the award’s own notification: the next message on cooldown sends nothing', async () => {
      const guildId = newGuild();
      await t.a.guildConfig.setPrefix(guildId, 'old');
      expect(await t.a.guildConfig.getPrefix(guildId)).to.equal('old');
      const first = await sent(t.a, () => t.a.levels.addXp('15', guildId, 20, COOLDOWN));
      expect(first.map((e) => e.sql.startsWith('SELECT')), 'a member not cached: the cached read, then the statement').to.deep.equal([true, false]);
      // Notifications come in commit order: once A has B's later prefix change, it has handled the award's own.
      await t.b.guildConfig.setPrefix(guildId, 'new');
      expect((await readUntil(() => t.a.guildConfig.getPrefix(guildId), 'new')).at(-1)).to.equal('new');
      let result;
      expect(await sent(t.a, async () => (result = await t.a.levels.addXp('15', guildId, 20, COOLDOWN))), 'still cached').to.have.length(0);
      expect(result).to.deep.equal({ xp: 20, level: t.a.levels.levelFor(20), previousLevel: t.a.levels.levelFor(20), levelUp: false, awarded: false });
      // A quiet member (the cooldown over) sends the statement alone: the cached row says they earn XP.
      const later = { cooldownSeconds: 60, now: new Date(Date.now() + 61_000) };
      const next = await sent(t.a, () => t.a.levels.addXp('15', guildId, 20, later));
      expect(next, 'only the statement').to.have.length(1);
      expect((await t.b.levels.getById({ userId: '15', guildId }))!.xp).to.equal(40);
    });

    it('sends the statement without a cooldown, and inside a unit of work', async () => {
      const guildId = newGuild();
      await t.a.levels.addXp('12', guildId, 20, COOLDOWN);
      await settle(t.a, () => t.a.levels.addXp('12', guildId, 20, COOLDOWN));
      expect(await sent(t.a, () => t.a.levels.addXp('12', guildId, 1)), 'no cooldown: every call gives XP').to.have.length(1);
      const inUnit = await sent(t.a, () => t.a.transaction(() => t.a.levels.addXp('12', guildId, 1, COOLDOWN)));
      expect(inUnit.filter((e) => /"levels"/.test(e.sql)), 'a unit reads the member itself').to.have.length(1);
    });

    it('gives XP again as soon as another process (or psql) ends the cooldown, and shows another process’s setXp', async () => {
      const guildId = newGuild();
      await t.a.levels.addXp('13', guildId, 20, COOLDOWN);
      await settle(t.a, () => t.a.levels.addXp('13', guildId, 20, COOLDOWN));
      await t.b.levels.setXp('13', guildId, 1_000);
      const xps = await readUntil(async () => (await t.a.levels.addXp('13', guildId, 20, COOLDOWN)).xp, 1_000);
      expect(xps.at(-1), 'B’s setXp reached A’s cache').to.equal(1_000);
      await settle(t.a, () => t.a.levels.addXp('13', guildId, 20, COOLDOWN));
      await psql((c) => c.query(`UPDATE levels SET last_message = now() - interval '1 hour' WHERE user_id = $1 AND guild_id = $2`, ['13', guildId]));
      const awarded = await readUntil(async () => (await t.a.levels.addXp('13', guildId, 20, COOLDOWN)).awarded, true);
      expect(awarded.at(-1), 'the raw UPDATE ended the cooldown in A’s cache').to.equal(true);
      expect((await t.b.levels.getById({ userId: '13', guildId }))!.xp).to.equal(1_020);
    });

    it('drops only the member written: another member of the guild stays cached', async () => {
      const guildId = newGuild();
      for (const user of ['21', '22']) {
        await t.a.levels.addXp(user, guildId, 20, COOLDOWN);
        await settle(t.a, () => t.a.levels.addXp(user, guildId, 20, COOLDOWN));
      }
      await t.b.levels.setXp('21', guildId, 500);
      expect((await readUntil(async () => (await t.a.levels.addXp('21', guildId, 20, COOLDOWN)).xp, 500)).at(-1)).to.equal(500);
      expect(await sent(t.a, () => t.a.levels.addXp('22', guildId, 20, COOLDOWN)), 'member 22 is still a hit').to.have.length(0);
    });

    it('drops the whole guild’s members when one statement writes many of them (a notification per guild)', async () => {
      const guildId = newGuild();
      const users = Array.from({ length: 70 }, (_, i) => String(100 + i));
      await psql((c) => c.query(`INSERT INTO guild (guild_id) VALUES ($1)`, [guildId]));
      await psql((c) =>
        c.query(`INSERT INTO levels (user_id, guild_id, xp, level, last_message) SELECT u::bigint, $1, 10, 0, now() FROM unnest($2::text[]) AS u`, [guildId, users]),
      );
      await settle(t.a, () => t.a.levels.addXp('100', guildId, 20, COOLDOWN));
      expect((await t.a.levels.addXp('100', guildId, 20, COOLDOWN)).xp).to.equal(10);
      await psql((c) => c.query(`UPDATE levels SET xp = xp + 5 WHERE guild_id = $1`, [guildId]));
      expect((await readUntil(async () => (await t.a.levels.addXp('100', guildId, 20, COOLDOWN)).xp, 15)).at(-1)).to.equal(15);
    });
  });
}
