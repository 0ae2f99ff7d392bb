import { expect } from 'chai';
import { CaseType } from '../../src/entities/enums';
import { ValidationError } from '../../src/errors/validation-error';
import { randomSnowflake } from '../support/fixtures';
import { useTestDatabase } from '../support/test-database';

// Values the server would refuse (SQLSTATE class 22) once the statement runs: refused before SQL instead, or
// written so the statement cannot fail, because a server error aborts the whole unit of work it happens in.
describe('checks before SQL', () => {
  const t = useTestDatabase({ deleteGuilds: 'afterEach' });
  const INT4_MAX = 2147483647;

  /**
   * Runs `refused` (each must be a ValidationError, sent as no statement) and then a write in ONE unit of work,
   * and checks the unit committed the write.
   */
  const refusedInsideAUnit = async (guildId: string, refused: ReadonlyArray<() => Promise<unknown>>): Promise<void> => {
    const created = await t.db.transaction(async () => {
      for (const call of refused) {
        const { result, statements } = await t.countStatements(() => call().then(() => 'resolved', (e: unknown) => e));
        expect(result).to.be.instanceOf(ValidationError);
        expect(statements, String(result)).to.deep.equal([]);
      }
      return t.db.case.createCase({ caseType: CaseType.WARN, caseUserId: '1', caseModeratorId: '2', guildId, caseReason: 'still usable' });
    });
    expect((await t.db.case.getById(created.caseId))?.caseReason).to.equal('still usable');
  };

  it('refuses a LIKE / ILIKE pattern ending in a lone escape character before SQL (the server would fail 22025)', async () => {
    const guildId = t.newGuild();
    await t.db.snippet.createSnippet({ snippetName: 'abcd', snippetUserId: '1', guildId });
    await refusedInsideAUnit(guildId, [
      () => t.db.snippet.findAll({ filters: { guildId, snippetName: { like: 'abc\\' } } }),
      () => t.db.snippet.count({ filters: { guildId, snippetName: { ilike: '%\\\\\\' } } }),
      () => t.db.case.findOne({ filters: { guildId, or: [{ caseReason: { like: '\\' } }] } }),
    ]);
    // An escaped backslash is a literal one, and escapeLike's output always works.
    expect(await t.db.snippet.count({ filters: { guildId, snippetName: { like: 'abc\\\\' } } })).to.equal(0);
    expect((await t.db.snippet.searchSnippets(guildId, 'c\\')).length).to.equal(0);
  });

  it('refuses addXp and isOnCooldown cooldowns reaching back before 4714 BC (1e12 s, 1e20 s) before SQL (22008)', async () => {
    const guildId = t.newGuild();
    const userId = randomSnowflake();
    await t.db.levels.addXp(userId, guildId, 10);
    await refusedInsideAUnit(guildId, [
      () => t.db.levels.addXp(userId, guildId, 5, { cooldownSeconds: 1e12 }),
      () => t.db.levels.addXp(userId, guildId, 5, { cooldownSeconds: 1e20 }),
      () => t.db.levels.isOnCooldown(userId, guildId, 1e20),
      () => t.db.levels.isOnCooldown(userId, guildId, 1e12),
      // The limit follows `now`: a day's cooldown cannot reach back from the first day PostgreSQL stores.
      () => t.db.levels.isOnCooldown(userId, guildId, 86_400, new Date(-210866803200000 + 3_600_000)),
    ]);
    // Long but possible cooldowns work: a thousand years back from now is a timestamp.
    expect(await t.db.levels.isOnCooldown(userId, guildId, 1000 * 365 * 86_400)).to.equal(true);
    expect((await t.db.levels.addXp(userId, guildId, 5, { cooldownSeconds: 1000 * 365 * 86_400 })).awarded).to.equal(false);
    expect(await t.db.levels.getXp(userId, guildId)).to.equal(10);
  });

  it('saturates a star count at 2147483647 instead of overflowing int4 (22003), inside a unit that then commits', async () => {
    const guildId = t.newGuild();
    const messageId = randomSnowflake();
    await t.db.starboardMessage.createOrUpdateStarboardMessage({
      messageId, guildId, messageChannelId: '1', messageUserId: '2', messageContent: 'starred', messageExpiresAt: new Date('2030-01-01T00:00:00Z'),
      starboardMessageId: randomSnowflake(), starCount: INT4_MAX,
    });
    const counts = await t.db.transaction(async () => {
      const seen = [await t.db.starboardMessage.incrementStarCount(messageId), await t.db.starboardMessage.incrementStarCount(messageId, INT4_MAX)];
      await t.db.case.createCase({ caseType: CaseType.WARN, caseUserId: '1', caseModeratorId: '2', guildId });
      return seen;
    });
    expect(counts).to.deep.equal([INT4_MAX, INT4_MAX]);
    expect(await t.db.case.countCasesByGuild(guildId)).to.equal(1);
    // The other end still clamps at 0, even from the maximum with the least int4 delta.
    expect(await t.db.starboardMessage.incrementStarCount(messageId, -2147483648)).to.equal(0);
    expect(await t.db.starboardMessage.incrementStarCount(messageId, 5)).to.equal(5);
  });

  it('saturates snippet uses at 2147483647 instead of overflowing int4 (22003)', async () => {
    const guildId = t.newGuild();
    const snippet = await t.db.snippet.createSnippet({ snippetName: 'popular', snippetUserId: '1', guildId });
    await t.db.service.query('UPDATE "snippet" SET "uses" = $1 WHERE "snippet_id" = $2', [INT4_MAX, snippet.snippetId]);
    const uses = await t.db.transaction(async () => {
      const seen = await t.db.snippet.incrementUses(snippet.snippetId);
      await t.db.case.createCase({ caseType: CaseType.WARN, caseUserId: '1', caseModeratorId: '2', guildId });
      return seen;
    });
    expect(uses).to.equal(INT4_MAX);
    expect(await t.db.case.countCasesByGuild(guildId)).to.equal(1);
  });

  it('refuses a star delta outside int4 and a page whose offset is not an exact integer before SQL', async () => {
    const guildId = t.newGuild();
    await refusedInsideAUnit(guildId, [
      () => t.db.starboardMessage.incrementStarCount(randomSnowflake(), INT4_MAX + 1),
      () => t.db.case.paginate({ filters: { guildId }, page: Number.MAX_SAFE_INTEGER, perPage: 1000 }),
      () => t.db.levels.leaderboard(guildId, 2 ** 50, 1000),
    ]);
  });
});
