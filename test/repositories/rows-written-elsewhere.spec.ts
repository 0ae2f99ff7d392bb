import { expect } from 'chai';
import { CaseType } from '../../src/entities/enums';
import { randomSnowflake } from '../support/fixtures';
import { useTestDatabase } from '../support/test-database';

// Values the library never writes but other writers do (the Python bot, psql, an import): they must read back as
// the entity's types say, with every digit, and the methods that act on them must still work.
describe('rows written by other code', () => {
  const t = useTestDatabase({ deleteGuilds: 'afterEach' });

  it('reads ids stored as JSON numbers in case_metadata and case_user_roles as strings, with every digit', async () => {
    const guildId = t.newGuild();
    const created = await t.db.case.createCase({ caseType: CaseType.JAIL, caseUserId: '1', caseModeratorId: '2', guildId });
    await t.db.service.query(`UPDATE cases SET case_metadata = '{"message_id": 1234567890123456789, "count": 3}', case_user_roles = '[9223372036854775807]' WHERE case_id = $1`, [created.caseId]);
    const read = await t.db.case.getById(created.caseId);
    expect(read?.caseMetadata).to.deep.equal({ message_id: '1234567890123456789', count: 3 });
    expect(read?.caseUserRoles).to.deep.equal(['9223372036854775807']);
  });

  it('reads infinity timestamps as the latest and earliest Dates, so a reminder due at -infinity is claimed and delivered', async () => {
    const guildId = t.newGuild();
    const [userId, channelId] = [randomSnowflake(), randomSnowflake()];
    const due = await t.db.reminder.createReminder({ reminderContent: 'due', reminderExpiresAt: new Date(Date.now() - 1000), reminderChannelId: channelId, reminderUserId: userId, guildId });
    const early = await t.db.reminder.createReminder({ reminderContent: 'early', reminderExpiresAt: new Date(), reminderChannelId: channelId, reminderUserId: userId, guildId });
    await t.db.service.query(`UPDATE reminder SET reminder_expires_at = '-infinity' WHERE reminder_id = $1`, [early.reminderId]);
    const claimed = await t.db.reminder.claimDueReminders(new Date());
    expect(claimed.map((r) => [r.reminderContent, r.reminderExpiresAt instanceof Date])).to.deep.equal([
      ['early', true],
      ['due', true],
    ]);
    expect(claimed[0]?.reminderExpiresAt.getTime()).to.equal(-8.64e15);
    expect(claimed[1]?.reminderId).to.equal(due.reminderId);
  });

  it('keeps a member whose last message is at infinity on cooldown, reading it as a Date', async () => {
    const guildId = t.newGuild();
    const userId = randomSnowflake();
    await t.db.levels.addXp(userId, guildId, 10);
    await t.db.service.query(`UPDATE levels SET last_message = 'infinity' WHERE user_id = $1 AND guild_id = $2`, [userId, guildId]);
    const result = await t.db.levels.addXp(userId, guildId, 10, { cooldownSeconds: 60 });
    expect(result.xp).to.equal(10);
    expect((await t.db.levels.getById({ userId, guildId }))?.lastMessage.getTime()).to.equal(8.64e15);
  });
});
