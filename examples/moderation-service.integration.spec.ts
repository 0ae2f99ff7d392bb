import { expect } from 'chai';
import { useTestDatabase } from '../test/support/test-database';
import { ModerationService } from './moderation-service';

// The same service on the real database: what the stubs promise, PostgreSQL delivers.
describe('ModerationService (real database)', () => {
  const t = useTestDatabase();
  const guildId = t.newGuild();

  it('numbers bans per guild and reads the configured mod log', async () => {
    const service = new ModerationService(t.db);
    const first = await service.ban(guildId, '10', '20', 'spam');
    expect(first.modLogChannelId).to.equal(null);
    await t.db.guildConfig.setLogChannel(guildId, 'mod', '1300000000000000555');
    const second = await service.ban(guildId, '11', '20', 'raid');
    expect([first.case.caseNumber, second.case.caseNumber]).to.deep.equal([1, 2]);
    expect(second.modLogChannelId).to.equal('1300000000000000555');
    expect(second.message).to.equal('Case #2: banned <@11> (raid)');
  });
});
