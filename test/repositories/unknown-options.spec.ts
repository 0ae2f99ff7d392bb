import { expect } from 'chai';
import { CaseType } from '../../src/entities/enums';
import { ValidationError } from '../../src/errors/validation-error';
import { randomSnowflake } from '../support/fixtures';
import { useTestDatabase } from '../support/test-database';

// An options key no method knows used to be ignored: `findAll({ filter })` read the whole table, and an ignored
// key in a write could widen it to every row. Every options object of the repositories now refuses one.
describe('repository options objects', () => {
  const t = useTestDatabase({ deleteGuilds: 'afterEach' });

  /** `call` must fail with a ValidationError naming `field` (and `hint` as the likely key), having sent no SQL. */
  const refuses = async (call: () => Promise<unknown>, field: string, hint?: string): Promise<void> => {
    const { result, statements } = await t.countStatements(() => call().then(() => 'resolved', (e: unknown) => e));
    expect(result, field).to.be.instanceOf(ValidationError);
    const error = result as ValidationError;
    expect(error.errors.map((f) => f.field), error.message).to.include(field);
    if (hint !== undefined) expect(error.message).to.include(`did you mean "${hint}"?`);
    expect(statements, field).to.deep.equal([]);
  };

  it('refuses findAll({ filter }) and count({ where }) with a did-you-mean ValidationError, before any SQL, instead of reading the whole table', async () => {
    const guildId = t.newGuild();
    await t.db.case.createCase({ caseType: CaseType.WARN, caseUserId: '1', caseModeratorId: '2', guildId });
    await refuses(() => t.db.case.findAll({ filter: { guildId } } as never), 'options.filter', 'filters');
    await refuses(() => t.db.case.count({ where: { guildId } } as never), 'options.where');
    await refuses(() => t.db.guild.findAll({ filters: {}, limt: 5 } as never), 'options.limt', 'limit');
  });

  it('refuses unknown keys in every BaseRepository options object: findOne, exists, paginate, updateWhere, deleteWhere, upsert', async () => {
    const guildId = t.newGuild();
    await refuses(() => t.db.case.findOne({ filters: { guildId }, order: { caseNumber: 'DESC' } } as never), 'options.order', 'orderBy');
    await refuses(() => t.db.case.exists({ filter: { guildId } } as never), 'options.filter', 'filters');
    await refuses(() => t.db.case.paginate({ filters: { guildId }, pageSize: 5 } as never), 'options.pageSize');
    await refuses(() => t.db.case.paginate({ filters: { guildId }, perpage: 5 } as never), 'options.perpage', 'perPage');
    // A write whose misspelt filter would have been ignored is refused rather than run on every row.
    await refuses(() => t.db.case.updateWhere({ filters: { guildId }, value: { caseStatus: false } } as never), 'options.value', 'values');
    await refuses(() => t.db.case.deleteWhere({ filters: { guildId }, where: { guildId } } as never), 'options.where');
    await refuses(() => t.db.guild.upsert({ filters: { guildId }, default: { guildName: 'x' } } as never), 'options.default', 'defaults');
  });

  it('refuses unknown keys in the domain repositories’ options objects, before any SQL', async () => {
    const guildId = t.newGuild();
    const userId = randomSnowflake();
    await refuses(() => t.db.levels.addXp(userId, guildId, 5, { cooldown: 60 } as never), 'options.cooldown', 'cooldownSeconds');
    await refuses(() => t.db.afk.setMemberAfk({ userId, guildId, afkMessage: 'brb', reason: 'lunch' } as never), 'options.reason');
    await refuses(() => t.db.snippet.createSnippet({ snippetName: 'x', snippetUserId: '1', guildId, snippetContnet: 'typo' } as never), 'options.snippetContnet', 'snippetContent');
    await refuses(() => t.db.snippet.createSnippet({ snippetName: 'x', snippetUserId: '1', guildId, uses: 99 } as never), 'options.uses');
    await refuses(
      () => t.db.reminder.createReminder({ reminderContent: 'x', reminderExpiresAt: new Date(), reminderChannelId: '1', reminderUserId: '2', guildId, channelId: '1' } as never),
      'options.channelId',
    );
    await refuses(() => t.db.starboard.createOrUpdateStarboard(guildId, { starboardChannelId: '1', starboardEmoji: '⭐', threshold: 3 } as never), 'options.threshold');
    await refuses(() => t.db.starboard.updateStarboard(guildId, { starboardTreshold: 3 } as never), 'options.starboardTreshold', 'starboardThreshold');
    await refuses(
      () => t.db.starboardMessage.createOrUpdateStarboardMessage({
        messageId: randomSnowflake(), guildId, messageChannelId: '1', messageUserId: '2', messageContent: 'x', messageExpiresAt: new Date(),
        starboardMessageId: randomSnowflake(), stars: 3,
      } as never),
      'options.stars',
    );
    await refuses(() => t.db.permissionRanks.updateRank(guildId, 1, { nme: 'Helper' } as never), 'options.nme', 'name');
  });

  it('still takes every declared key', async () => {
    const guildId = t.newGuild();
    await t.db.case.createCase({ caseType: CaseType.WARN, caseUserId: '1', caseModeratorId: '2', guildId });
    expect(await t.db.case.findAll({ filters: { guildId }, orderBy: { caseNumber: 'DESC' }, limit: 5, offset: 0 })).to.have.length(1);
    expect((await t.db.case.paginate({ filters: { guildId }, orderBy: { caseNumber: 'ASC' }, page: 1, perPage: 5 })).total).to.equal(1);
    expect(await t.db.case.updateWhere({ filters: { guildId }, values: { caseStatus: false } })).to.equal(1);
    expect((await t.db.levels.addXp(randomSnowflake(), guildId, 5, { cooldownSeconds: 60, now: new Date() })).awarded).to.equal(true);
  });
});
