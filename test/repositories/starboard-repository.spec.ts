import { expect } from 'chai';
import { ValidationError } from '../../src/errors/validation-error';
import { useTestDatabase } from '../support/test-database';

describe('StarboardRepository', () => {
  const t = useTestDatabase({ deleteGuilds: 'afterEach' });
  const { newGuild, countStatements } = t;
  const CHANNEL = '1234567890123456789';

  describe('createOrUpdateStarboard', () => {
    it('creates the settings and the missing guild row in one statement, threshold defaulting to 1', async () => {
      const guildId = newGuild();
      const { result, statements } = await countStatements(() =>
        t.db.starboard.createOrUpdateStarboard(guildId, { starboardChannelId: CHANNEL, starboardEmoji: '⭐' }),
      );
      expect(statements).to.have.length(1);
      expect(result).to.deep.include({ guildId, starboardChannelId: CHANNEL, starboardEmoji: '⭐', starboardThreshold: 1 });
      expect(await t.db.guild.exists({ filters: { guildId } })).to.equal(true);
    });

    it('updates the existing row in one statement and keeps the threshold when it is not given', async () => {
      const guildId = newGuild();
      await t.db.starboard.createOrUpdateStarboard(guildId, { starboardChannelId: CHANNEL, starboardEmoji: '⭐', starboardThreshold: 5 });
      const { result, statements } = await countStatements(() =>
        t.db.starboard.createOrUpdateStarboard(BigInt(guildId), { starboardChannelId: 42n, starboardEmoji: '🔥' }),
      );
      expect(statements).to.have.length(1);
      expect(result).to.deep.include({ guildId, starboardChannelId: '42', starboardEmoji: '🔥', starboardThreshold: 5 });
      expect(await t.db.starboard.count({ filters: { guildId } })).to.equal(1);
    });

    it('gives every concurrent caller one row', async () => {
      const guildId = newGuild();
      await Promise.all(
        Array.from({ length: 10 }, (_, i) => t.db.starboard.createOrUpdateStarboard(guildId, { starboardChannelId: CHANNEL, starboardEmoji: '⭐', starboardThreshold: i + 1 })),
      );
      expect(await t.db.starboard.count({ filters: { guildId } })).to.equal(1);
    });

    it('rejects bad or unknown settings with ValidationError', async () => {
      const guildId = newGuild();
      const base = { starboardChannelId: CHANNEL, starboardEmoji: '⭐' };
      await expect(t.db.starboard.createOrUpdateStarboard(guildId, { ...base, starboardThreshold: 0 })).to.be.rejectedWith(ValidationError, /starboardThreshold/);
      await expect(t.db.starboard.createOrUpdateStarboard(guildId, { ...base, starboardEmoji: '' })).to.be.rejectedWith(ValidationError, /starboardEmoji/);
      await expect(t.db.starboard.createOrUpdateStarboard(guildId, { starboardEmoji: '⭐' } as never)).to.be.rejectedWith(ValidationError, /starboardChannelId/);
      await expect(t.db.starboard.createOrUpdateStarboard(guildId, { ...base, guildId: '5' } as never)).to.be.rejectedWith(ValidationError, /guildId/);
      await expect(t.db.starboard.createOrUpdateStarboard('-1', base)).to.be.rejectedWith(ValidationError, /guildId/);
      expect(await t.db.guild.exists({ filters: { guildId } })).to.equal(false);
    });
  });

  describe('reading, updating and deleting', () => {
    it('getStarboardByGuildId returns the settings or null', async () => {
      const guildId = newGuild();
      expect(await t.db.starboard.getStarboardByGuildId(guildId)).to.equal(null);
      await t.db.starboard.createOrUpdateStarboard(guildId, { starboardChannelId: CHANNEL, starboardEmoji: '⭐' });
      expect((await t.db.starboard.getStarboardByGuildId(guildId))?.starboardChannelId).to.equal(CHANNEL);
    });

    it('updateStarboard changes the given settings, or returns null when the guild has none', async () => {
      const guildId = newGuild();
      expect(await t.db.starboard.updateStarboard(guildId, { starboardThreshold: 3 })).to.equal(null);
      await t.db.starboard.createOrUpdateStarboard(guildId, { starboardChannelId: CHANNEL, starboardEmoji: '⭐' });
      expect(await t.db.starboard.updateStarboard(guildId, { starboardThreshold: 3 })).to.deep.include({ starboardThreshold: 3, starboardEmoji: '⭐' });
      await expect(t.db.starboard.updateStarboard(guildId, { guildId: '7' } as never)).to.be.rejectedWith(ValidationError, /guildId/);
      await expect(t.db.starboard.updateStarboard(guildId, {})).to.be.rejectedWith(ValidationError);
    });

    it('deleteStarboard reports whether there was one', async () => {
      const guildId = newGuild();
      await t.db.starboard.createOrUpdateStarboard(guildId, { starboardChannelId: CHANNEL, starboardEmoji: '⭐' });
      expect(await t.db.starboard.deleteStarboard(guildId)).to.equal(true);
      expect(await t.db.starboard.deleteStarboard(guildId)).to.equal(false);
      expect(await t.db.starboard.getStarboardByGuildId(guildId)).to.equal(null);
    });
  });
});
