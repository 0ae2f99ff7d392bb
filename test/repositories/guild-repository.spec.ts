import { expect } from 'chai';
import type { DatabaseCoordinator } from '../../src/coordinator';
import { CaseType } from '../../src/entities/enums';
import { ValidationError } from '../../src/errors/validation-error';
import { deleteGuilds, openTestDatabase, randomSnowflake } from '../support/fixtures';

describe('GuildRepository', () => {
  let db: DatabaseCoordinator;
  const guilds: string[] = [];
  const newGuild = (): string => {
    const id = randomSnowflake();
    guilds.push(id);
    return id;
  };
  const statementsOf = async (fn: () => Promise<unknown>): Promise<string[]> => {
    const seen: string[] = [];
    const stop = db.service.addQueryListener((sql) => seen.push(sql));
    try {
      await fn();
    } finally {
      stop();
    }
    return seen;
  };

  before(async () => {
    db = await openTestDatabase({ poolSize: 20 });
  });
  after(async () => {
    await deleteGuilds(db, guilds);
    await db.close();
  });

  describe('getOrCreateGuild', () => {
    it('creates a missing guild with its name and returns it', async () => {
      const guildId = newGuild();
      const guild = await db.guild.getOrCreateGuild(guildId, 'Tux HQ');
      expect(guild).to.include({ guildId, guildName: 'Tux HQ', caseCount: 0 });
      expect(guild.guildJoinedAt).to.be.instanceOf(Date);
    });

    it('returns the existing row and keeps its counter and name when no name is given', async () => {
      const guildId = newGuild();
      await db.guild.getOrCreateGuild(guildId, 'Original');
      await db.case.createCase({ caseType: CaseType.WARN, caseUserId: randomSnowflake(), caseModeratorId: randomSnowflake(), guildId });
      const again = await db.guild.getOrCreateGuild(guildId);
      expect(again).to.include({ guildId, guildName: 'Original', caseCount: 1 });
    });

    it('stores a new name given for an existing guild', async () => {
      const guildId = newGuild();
      const first = await db.guild.getOrCreateGuild(guildId, 'Old name');
      const renamed = await db.guild.getOrCreateGuild(guildId, 'New name');
      expect(renamed.guildName).to.equal('New name');
      expect(renamed.updatedAt.getTime()).to.be.at.least(first.updatedAt.getTime());
    });

    it('accepts a bigint id and returns it as a string with every digit', async () => {
      const guildId = newGuild();
      const guild = await db.guild.getOrCreateGuild(BigInt(guildId));
      expect(guild.guildId).to.equal(guildId);
    });

    it('sends exactly one statement', async () => {
      const guildId = newGuild();
      expect(await statementsOf(() => db.guild.getOrCreateGuild(guildId, 'One'))).to.have.length(1);
      expect(await statementsOf(() => db.guild.getOrCreateGuild(guildId))).to.have.length(1);
    });

    it('creates exactly one row when 50 callers race for a new guild', async () => {
      const guildId = newGuild();
      const results = await Promise.all(Array.from({ length: 50 }, () => db.guild.getOrCreateGuild(guildId)));
      expect(new Set(results.map((g) => g.guildId))).to.deep.equal(new Set([guildId]));
      expect(await db.guild.count({ filters: { guildId } })).to.equal(1);
    });

    it('rejects a bad id or a name over 100 characters with a ValidationError before any SQL', async () => {
      const sent = await statementsOf(async () => {
        await expect(db.guild.getOrCreateGuild('0')).to.be.rejectedWith(ValidationError, /guildId/);
        await expect(db.guild.getOrCreateGuild(randomSnowflake(), 'x'.repeat(101))).to.be.rejectedWith(ValidationError, /guildName/);
        await expect(db.guild.getOrCreateGuild(12.5 as never)).to.be.rejectedWith(ValidationError, /guildId/);
      });
      expect(sent).to.have.length(0);
    });
  });

  describe('reads', () => {
    it('gets a guild by id, or null when it has no row', async () => {
      const guildId = newGuild();
      expect(await db.guild.getGuildById(guildId)).to.equal(null);
      await db.guild.getOrCreateGuild(guildId, 'Found');
      expect(await db.guild.getGuildById(guildId)).to.include({ guildId, guildName: 'Found' });
    });

    it('lists every guild, including new ones', async () => {
      const a = newGuild();
      const b = newGuild();
      await db.guild.getOrCreateGuild(a);
      await db.guild.getOrCreateGuild(b);
      const ids = (await db.guild.getAllGuilds()).map((g) => g.guildId);
      expect(ids).to.include.members([a, b]);
    });

    it('counts guilds', async () => {
      const before = await db.guild.countGuilds();
      await db.guild.getOrCreateGuild(newGuild());
      await db.guild.getOrCreateGuild(newGuild());
      // Suites run one at a time, each process in its own database, so nothing else adds guilds meanwhile.
      expect(await db.guild.countGuilds()).to.equal(before + 2);
    });

    it('rejects a bad id on reads with a ValidationError', async () => {
      await expect(db.guild.getGuildById('abc')).to.be.rejectedWith(ValidationError, /guildId/);
    });
  });

  describe('updateGuildName', () => {
    it('renames a guild and returns it, or null when it has no row', async () => {
      const guildId = newGuild();
      expect(await db.guild.updateGuildName(guildId, 'Nobody')).to.equal(null);
      await db.guild.getOrCreateGuild(guildId, 'Before');
      expect(await db.guild.updateGuildName(guildId, 'After')).to.include({ guildName: 'After' });
      expect(await db.guild.updateGuildName(guildId, null)).to.include({ guildName: null });
    });

    it('rejects a name over 100 characters', async () => {
      await expect(db.guild.updateGuildName(newGuild(), 'y'.repeat(101))).to.be.rejectedWith(ValidationError, /guildName/);
    });
  });

  describe('deleteGuild', () => {
    it('removes the guild and cascades to its case, config, AFK and levels rows', async () => {
      const guildId = newGuild();
      const userId = randomSnowflake();
      const created = await db.case.createCase({ caseType: CaseType.BAN, caseUserId: userId, caseModeratorId: randomSnowflake(), guildId });
      await db.guildConfig.updateConfig(guildId, { prefix: '?' });
      await db.afk.setMemberAfk({ userId, guildId, nickname: 'tux', afkMessage: 'brb' });
      await db.levels.addXp(userId, guildId, 50);

      expect(await db.guild.deleteGuild(guildId)).to.equal(true);

      expect(await db.guild.getGuildById(guildId)).to.equal(null);
      expect(await db.case.getById(created.caseId)).to.equal(null);
      expect(await db.guildConfig.getConfigByGuildId(guildId)).to.equal(null);
      expect(await db.afk.getAfkByMember(userId, guildId)).to.equal(null);
      expect(await db.levels.getById({ userId, guildId })).to.equal(null);
    });

    it('returns false for a guild that has no row', async () => {
      expect(await db.guild.deleteGuild(newGuild())).to.equal(false);
    });

    it('rejects a bad id with a ValidationError', async () => {
      await expect(db.guild.deleteGuild('-1')).to.be.rejectedWith(ValidationError, /guildId/);
    });
  });
});
