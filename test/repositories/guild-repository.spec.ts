import { expect } from 'chai';
import { CaseType } from '../../src/entities/enums';
import { ValidationError } from '../../src/errors/validation-error';
import { randomSnowflake } from '../support/fixtures';
import { useTestDatabase } from '../support/test-database';

describe('GuildRepository', () => {
  const t = useTestDatabase({ poolSize: 20 });
  const { newGuild, countStatements } = t;

  describe('getOrCreateGuild', () => {
    it('creates a missing guild with its name and returns it', async () => {
      const guildId = newGuild();
      const guild = await t.db.guild.getOrCreateGuild(guildId, 'Tux HQ');
      expect(guild).to.include({ guildId, guildName: 'Tux HQ', caseCount: 0 });
      expect(guild.guildJoinedAt).to.be.instanceOf(Date);
    });

    it('returns the existing row and keeps its counter and name when no name is given', async () => {
      const guildId = newGuild();
      await t.db.guild.getOrCreateGuild(guildId, 'Original');
      await t.db.case.createCase({ caseType: CaseType.WARN, caseUserId: randomSnowflake(), caseModeratorId: randomSnowflake(), guildId });
      const again = await t.db.guild.getOrCreateGuild(guildId);
      expect(again).to.include({ guildId, guildName: 'Original', caseCount: 1 });
    });

    it('stores a new name given for an existing guild', async () => {
      const guildId = newGuild();
      const first = await t.db.guild.getOrCreateGuild(guildId, 'Old name');
      const renamed = await t.db.guild.getOrCreateGuild(guildId, 'New name');
      expect(renamed.guildName).to.equal('New name');
      expect(renamed.updatedAt.getTime()).to.be.at.least(first.updatedAt.getTime());
    });

    it('accepts a bigint id and returns it as a string with every digit', async () => {
      const guildId = newGuild();
      const guild = await t.db.guild.getOrCreateGuild(BigInt(guildId));
      expect(guild.guildId).to.equal(guildId);
    });

    it('sends exactly one statement', async () => {
      const guildId = newGuild();
      expect((await countStatements(() => t.db.guild.getOrCreateGuild(guildId, 'One'))).statements).to.have.length(1);
      expect((await countStatements(() => t.db.guild.getOrCreateGuild(guildId))).statements).to.have.length(1);
    });

    it('creates exactly one row when 50 callers race for a new guild', async () => {
      const guildId = newGuild();
      const results = await Promise.all(Array.from({ length: 50 }, () => t.db.guild.getOrCreateGuild(guildId)));
      expect(new Set(results.map((g) => g.guildId))).to.deep.equal(new Set([guildId]));
      expect(await t.db.guild.count({ filters: { guildId } })).to.equal(1);
    });

    it('rejects a bad id or a name over 100 characters with a ValidationError before any SQL', async () => {
      const { statements: sent } = await countStatements(async () => {
        await expect(t.db.guild.getOrCreateGuild('0')).to.be.rejectedWith(ValidationError, /guildId/);
        await expect(t.db.guild.getOrCreateGuild(randomSnowflake(), 'x'.repeat(101))).to.be.rejectedWith(ValidationError, /guildName/);
        await expect(t.db.guild.getOrCreateGuild(12.5 as never)).to.be.rejectedWith(ValidationError, /guildId/);
      });
      expect(sent).to.have.length(0);
    });
  });

  describe('caseCount: bumped only by the case counter, given only when the guild row is created', () => {
    const warn = (guildId: string) => ({ caseType: CaseType.WARN, caseUserId: '1', caseModeratorId: '2', guildId });
    const nextCaseNumber = async (guildId: string) => (await t.db.case.createCase(warn(guildId))).caseNumber;

    // Each of these succeeded before the write rules, and every later createCase in the guild then failed.
    const bypasses: ReadonlyArray<[string, (guildId: string) => Promise<unknown>]> = [
      // The seed's "update_by_id(guild_id, case_count=+1)" after a create: the counter has already moved.
      ['updateById(g, { caseCount: count + 1 }) after a createCase', (guildId) => t.db.guild.updateById(guildId, { caseCount: 3 })],
      ['updateById(g, { caseCount: 0 })', (guildId) => t.db.guild.updateById(guildId, { caseCount: 0 })],
      ['updateWhere with a caseCount', (guildId) => t.db.guild.updateWhere({ filters: { guildId }, values: { caseCount: 0 } })],
      ['upsert with a caseCount in its values', (guildId) => t.db.guild.upsert({ filters: { guildId }, defaults: { guildName: 'x' }, values: { caseCount: 0, guildName: 'y' } })],
    ];
    for (const [how, write] of bypasses) {
      it(`refuses ${how} (ValidationError, no SQL sent); the next case is still case_count + 1`, async () => {
        const guildId = newGuild();
        await t.db.case.createCase(warn(guildId));
        await t.db.case.createCase(warn(guildId));
        const { result: error, statements } = await countStatements(() => write(guildId).then(() => 'written', (e: unknown) => e));
        expect(error).to.be.instanceOf(ValidationError);
        expect((error as ValidationError).errors.map((e) => e.field)).to.deep.equal(['caseCount']);
        expect((error as ValidationError).message).to.match(/only when the guild row is created/);
        expect(statements).to.deep.equal([]);
        expect((await t.db.guild.getById(guildId))?.caseCount).to.equal(2);
        expect(await nextCaseNumber(guildId)).to.equal(3);
      });
    }

    it('refuses changing a guild’s own id on every update path, before any SQL', async () => {
      const guildId = newGuild();
      const other = newGuild();
      await t.db.case.createCase(warn(guildId));
      for (const write of [
        () => t.db.guild.updateById(guildId, { guildId: other }),
        () => t.db.guild.updateWhere({ filters: { guildId }, values: { guildId: other } }),
        () => t.db.guild.upsert({ filters: { guildId }, values: { guildId: other } }),
      ]) {
        const { result: error, statements } = await countStatements(() => write().then(() => 'written', (e: unknown) => e));
        expect(error).to.be.instanceOf(ValidationError);
        expect((error as ValidationError).message).to.match(/never changes/);
        expect(statements).to.deep.equal([]);
      }
      expect(await nextCaseNumber(guildId)).to.equal(2);
    });

    it('takes caseCount from create, createMany and the defaults of getOrCreate and upsert, so an imported guild numbers on', async () => {
      const [a, b, c, d] = [newGuild(), newGuild(), newGuild(), newGuild()];
      expect((await t.db.guild.create({ guildId: a, caseCount: 41 })).caseCount).to.equal(41);
      await t.db.guild.createMany([{ guildId: b, caseCount: 7 }]);
      const [created, isNew] = await t.db.guild.getOrCreate({ guildId: c }, { caseCount: 12 });
      expect([created.caseCount, isNew]).to.deep.equal([12, true]);
      await t.db.guild.upsert({ filters: { guildId: d }, defaults: { caseCount: 99 }, values: { guildName: 'Imported' } });
      expect([await nextCaseNumber(a), await nextCaseNumber(b), await nextCaseNumber(c), await nextCaseNumber(d)]).to.deep.equal([42, 8, 13, 100]);
    });

    it('leaves an existing guild’s counter alone when getOrCreate or upsert defaults name caseCount', async () => {
      const guildId = newGuild();
      await t.db.case.createCase(warn(guildId));
      await t.db.case.createCase(warn(guildId));
      const [found, isNew] = await t.db.guild.getOrCreate({ guildId }, { caseCount: 0 });
      expect([found.caseCount, isNew]).to.deep.equal([2, false]);
      const [renamed] = await t.db.guild.upsert({ filters: { guildId }, defaults: { caseCount: 0 }, values: { guildName: 'Renamed' } });
      expect([renamed.caseCount, renamed.guildName]).to.deep.equal([2, 'Renamed']);
      expect(await nextCaseNumber(guildId)).to.equal(3);
    });
  });

  describe('reads', () => {
    it('gets a guild by id, or null when it has no row', async () => {
      const guildId = newGuild();
      expect(await t.db.guild.getGuildById(guildId)).to.equal(null);
      await t.db.guild.getOrCreateGuild(guildId, 'Found');
      expect(await t.db.guild.getGuildById(guildId)).to.include({ guildId, guildName: 'Found' });
    });

    it('lists every guild, including new ones', async () => {
      const a = newGuild();
      const b = newGuild();
      await t.db.guild.getOrCreateGuild(a);
      await t.db.guild.getOrCreateGuild(b);
      const ids = (await t.db.guild.getAllGuilds()).map((g) => g.guildId);
      expect(ids).to.include.members([a, b]);
    });

    it('counts guilds', async () => {
      const before = await t.db.guild.countGuilds();
      await t.db.guild.getOrCreateGuild(newGuild());
      await t.db.guild.getOrCreateGuild(newGuild());
      // Suites run one at a time, each process in its own database, so nothing else adds guilds meanwhile.
      expect(await t.db.guild.countGuilds()).to.equal(before + 2);
    });

    it('rejects a bad id on reads with a ValidationError', async () => {
      await expect(t.db.guild.getGuildById('abc')).to.be.rejectedWith(ValidationError, /guildId/);
    });
  });

  describe('updateGuildName', () => {
    it('renames a guild and returns it, or null when it has no row', async () => {
      const guildId = newGuild();
      expect(await t.db.guild.updateGuildName(guildId, 'Nobody')).to.equal(null);
      await t.db.guild.getOrCreateGuild(guildId, 'Before');
      expect(await t.db.guild.updateGuildName(guildId, 'After')).to.include({ guildName: 'After' });
      expect(await t.db.guild.updateGuildName(guildId, null)).to.include({ guildName: null });
    });

    it('rejects a name over 100 characters', async () => {
      await expect(t.db.guild.updateGuildName(newGuild(), 'y'.repeat(101))).to.be.rejectedWith(ValidationError, /guildName/);
    });
  });

  describe('deleteGuild', () => {
    it('removes the guild and cascades to its case, config, AFK and levels rows', async () => {
      const guildId = newGuild();
      const userId = randomSnowflake();
      const created = await t.db.case.createCase({ caseType: CaseType.BAN, caseUserId: userId, caseModeratorId: randomSnowflake(), guildId });
      await t.db.guildConfig.updateConfig(guildId, { prefix: '?' });
      await t.db.afk.setMemberAfk({ userId, guildId, nickname: 'tux', afkMessage: 'brb' });
      await t.db.levels.addXp(userId, guildId, 50);

      expect(await t.db.guild.deleteGuild(guildId)).to.equal(true);

      expect(await t.db.guild.getGuildById(guildId)).to.equal(null);
      expect(await t.db.case.getById(created.caseId)).to.equal(null);
      expect(await t.db.guildConfig.getConfigByGuildId(guildId)).to.equal(null);
      expect(await t.db.afk.getAfkByMember(userId, guildId)).to.equal(null);
      expect(await t.db.levels.getById({ userId, guildId })).to.equal(null);
    });

    it('returns false for a guild that has no row', async () => {
      expect(await t.db.guild.deleteGuild(newGuild())).to.equal(false);
    });

    it('rejects a bad id with a ValidationError', async () => {
      await expect(t.db.guild.deleteGuild('-1')).to.be.rejectedWith(ValidationError, /guildId/);
    });
  });
});
