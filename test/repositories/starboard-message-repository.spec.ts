import { expect } from 'chai';
import { ValidationError } from '../../src/errors/validation-error';
import type { NewStarboardMessage } from '../../src/repositories/starboard-message-repository';
import { randomSnowflake } from '../support/fixtures';
import { useTestDatabase } from '../support/test-database';

describe('StarboardMessageRepository', () => {
  const t = useTestDatabase({ poolSize: 20, deleteGuilds: 'afterEach' });
  const { newGuild, countStatements } = t;
  const EXPIRES = new Date('2030-01-01T00:00:00Z');
  const message = (guildId: string, overrides: Partial<NewStarboardMessage> = {}): NewStarboardMessage => ({
    messageId: randomSnowflake(),
    guildId,
    messageChannelId: '111',
    messageUserId: '222',
    messageContent: 'a good post',
    messageExpiresAt: EXPIRES,
    starboardMessageId: randomSnowflake(),
    ...overrides,
  });

  describe('createOrUpdateStarboardMessage', () => {
    it('stores a message and the missing guild row in one statement', async () => {
      const guildId = newGuild();
      const values = message(guildId, { messageId: '9223372036854775807' });
      const { result, statements } = await countStatements(() => t.db.starboardMessage.createOrUpdateStarboardMessage(values));
      expect(statements).to.have.length(1);
      expect(result).to.deep.include({ messageId: '9223372036854775807', guildId, starCount: 0, messageContent: 'a good post' });
      expect(result.messageExpiresAt.getTime()).to.equal(EXPIRES.getTime());
      expect(await t.db.guild.exists({ filters: { guildId } })).to.equal(true);
    });

    it('updates the row with the same message id, keeping the star count when it is not given', async () => {
      const guildId = newGuild();
      const values = message(guildId, { starCount: 4 });
      await t.db.starboardMessage.createOrUpdateStarboardMessage(values);
      const { messageId, starCount, ...rest } = values;
      expect(starCount).to.equal(4);
      const { result, statements } = await countStatements(() =>
        t.db.starboardMessage.createOrUpdateStarboardMessage({ ...rest, messageId, messageContent: 'edited', starboardMessageId: '333' }),
      );
      expect(statements).to.have.length(1);
      expect(result).to.deep.include({ messageId, messageContent: 'edited', starboardMessageId: '333', starCount: 4 });
      expect(await t.db.starboardMessage.count({ filters: { guildId } })).to.equal(1);
      expect((await t.db.starboardMessage.createOrUpdateStarboardMessage({ ...values, starCount: 9 })).starCount).to.equal(9);
    });

    it('rejects bad input with ValidationError', async () => {
      const guildId = newGuild();
      await expect(t.db.starboardMessage.createOrUpdateStarboardMessage(message(guildId, { starCount: -1 }))).to.be.rejectedWith(ValidationError, /starCount/);
      await expect(t.db.starboardMessage.createOrUpdateStarboardMessage(message(guildId, { messageExpiresAt: 'tomorrow' as never }))).to.be.rejectedWith(ValidationError, /messageExpiresAt/);
      await expect(t.db.starboardMessage.createOrUpdateStarboardMessage(message(guildId, { messageId: '0' }))).to.be.rejectedWith(ValidationError, /messageId/);
      await expect(t.db.starboardMessage.createOrUpdateStarboardMessage({ guildId } as never)).to.be.rejectedWith(ValidationError, /messageChannelId/);
    });
  });

  describe('lookups', () => {
    it('finds by original message id and by starboard copy id', async () => {
      const guildId = newGuild();
      const stored = await t.db.starboardMessage.createOrUpdateStarboardMessage(message(guildId));
      expect((await t.db.starboardMessage.getStarboardMessageById(stored.messageId))?.starboardMessageId).to.equal(stored.starboardMessageId);
      expect((await t.db.starboardMessage.getStarboardMessageByStarboardMessageId(stored.starboardMessageId))?.messageId).to.equal(stored.messageId);
      expect((await t.db.starboardMessage.getStarboardMessageByStarboardMessageId(stored.starboardMessageId, guildId))?.messageId).to.equal(stored.messageId);
      expect(await t.db.starboardMessage.getStarboardMessageByStarboardMessageId(stored.starboardMessageId, newGuild())).to.equal(null);
      expect(await t.db.starboardMessage.getStarboardMessageById(randomSnowflake())).to.equal(null);
    });
  });

  describe('star counts', () => {
    it('setStarCount sets the count, or returns null when the message has no entry', async () => {
      const stored = await t.db.starboardMessage.createOrUpdateStarboardMessage(message(newGuild()));
      expect((await t.db.starboardMessage.setStarCount(stored.messageId, 12))?.starCount).to.equal(12);
      expect(await t.db.starboardMessage.setStarCount(randomSnowflake(), 1)).to.equal(null);
      await expect(t.db.starboardMessage.setStarCount(stored.messageId, -3)).to.be.rejectedWith(ValidationError, /starCount/);
    });

    it('incrementStarCount returns the new count in one statement and never goes below 0', async () => {
      const stored = await t.db.starboardMessage.createOrUpdateStarboardMessage(message(newGuild()));
      const { result, statements } = await countStatements(() => t.db.starboardMessage.incrementStarCount(stored.messageId));
      expect(result).to.equal(1);
      expect(statements).to.have.length(1);
      expect(await t.db.starboardMessage.incrementStarCount(stored.messageId, 4)).to.equal(5);
      expect(await t.db.starboardMessage.incrementStarCount(stored.messageId, -2)).to.equal(3);
      expect(await t.db.starboardMessage.incrementStarCount(stored.messageId, -10)).to.equal(0);
      expect(await t.db.starboardMessage.incrementStarCount(randomSnowflake())).to.equal(null);
      await expect(t.db.starboardMessage.incrementStarCount(stored.messageId, 1.5)).to.be.rejectedWith(ValidationError, /delta/);
    });

    it('loses no star under 50 concurrent increments', async () => {
      const stored = await t.db.starboardMessage.createOrUpdateStarboardMessage(message(newGuild()));
      await Promise.all(Array.from({ length: 50 }, () => t.db.starboardMessage.incrementStarCount(stored.messageId)));
      expect((await t.db.starboardMessage.getStarboardMessageById(stored.messageId))?.starCount).to.equal(50);
    });

    it('getTopStarredMessages orders by star count, most first, within one guild and up to the limit', async () => {
      const [guildId, other] = [newGuild(), newGuild()];
      for (const starCount of [3, 10, 1, 7]) await t.db.starboardMessage.createOrUpdateStarboardMessage(message(guildId, { starCount }));
      await t.db.starboardMessage.createOrUpdateStarboardMessage(message(other, { starCount: 100 }));
      expect((await t.db.starboardMessage.getTopStarredMessages(guildId)).map((m) => m.starCount)).to.deep.equal([10, 7, 3, 1]);
      expect((await t.db.starboardMessage.getTopStarredMessages(guildId, 2)).map((m) => m.starCount)).to.deep.equal([10, 7]);
    });
  });

  describe('deleteStarboardMessage', () => {
    it('reports whether an entry was deleted', async () => {
      const stored = await t.db.starboardMessage.createOrUpdateStarboardMessage(message(newGuild()));
      expect(await t.db.starboardMessage.deleteStarboardMessage(stored.messageId)).to.equal(true);
      expect(await t.db.starboardMessage.deleteStarboardMessage(stored.messageId)).to.equal(false);
    });
  });
});
