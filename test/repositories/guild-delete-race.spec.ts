import { expect } from 'chai';
import { useTestDatabase } from '../support/test-database';

// Guild-owned writes create their guild row in the same statement. When deleteGuild runs at the same moment,
// each write must land either before the delete (and go with the guild) or after it, on a recreated guild:
// never a ForeignKeyViolationError. Outside a unit the statement runs again; inside one the unit does.
describe('guild-owned writes racing deleteGuild', () => {
  const t = useTestDatabase({ poolSize: 8 });
  const { newGuild } = t;
  const ROUNDS = 10;

  async function race(write: (guildId: string, userId: string) => Promise<unknown>): Promise<{ failures: unknown[]; recreated: number }> {
    const failures: unknown[] = [];
    let recreated = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const guildId = newGuild();
      await t.db.guildConfig.updateConfig(guildId, { prefix: '!' });
      await t.db.levels.addXp('10', guildId, 5);
      // Four members at once; the same member twice would also wait on its own row's unique key.
      const writes = ['11', '12', '13', '14'].map((userId) => write(guildId, userId).catch((e: unknown) => failures.push(e)));
      await Promise.all([t.db.guild.deleteGuild(guildId), ...writes]);
      if (await t.db.guild.getById(guildId)) recreated++;
    }
    return { failures, recreated };
  }

  for (const [name, write] of [
    ['setMemberAfk', (guildId: string, userId: string) => t.db.afk.setMemberAfk({ userId, guildId, afkMessage: 'away' })],
    ['addXp', (guildId: string, userId: string) => t.db.levels.addXp(userId, guildId, 10)],
    ['updateConfig', (guildId: string, userId: string) => t.db.guildConfig.updateConfig(guildId, { prefix: userId.slice(0, 1) })],
    [
      'a unit of work writing through three repositories',
      (guildId: string, userId: string) =>
        t.db.transaction(async () => {
          await t.db.afk.setMemberAfk({ userId, guildId, afkMessage: 'away' });
          await t.db.levels.addXp(userId, guildId, 1);
          await t.db.guildConfig.updateConfig(guildId, { prefix: '$' });
        }),
    ],
  ] as const) {
    it(`${name}: lands before the delete or on a recreated guild, never a foreign-key failure`, async function () {
      this.timeout(60_000);
      const { failures } = await race(write);
      expect(failures.map((e) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e)))).to.deep.equal([]);
    });
  }

  it('leaves a recreated guild whole: its row and the rows written after the delete', async () => {
    const guildId = newGuild();
    await t.db.guildConfig.updateConfig(guildId, { prefix: '!' });
    await t.db.guild.deleteGuild(guildId);
    await t.db.afk.setMemberAfk({ userId: '11', guildId, afkMessage: 'back soon' });
    expect(await t.db.guild.getById(guildId)).to.not.equal(null);
    expect(await t.db.afk.isMemberAfk('11', guildId)).to.equal(true);
    expect(await t.db.guildConfig.getById(guildId), 'the config went with the deleted guild').to.equal(null);
  });
});
