import { expect } from 'chai';
import type { DatabaseCoordinator } from '../src/coordinator';
import { deleteGuilds, openTestDatabase, randomSnowflake } from '../test/support/fixtures';
import { ModerationService } from './moderation-service';

// The same service on the real database: what the stubs promise, PostgreSQL delivers.
describe('ModerationService (real database)', () => {
  let db: DatabaseCoordinator;
  const guildId = randomSnowflake();

  before(async () => {
    db = await openTestDatabase();
  });
  after(async () => {
    await deleteGuilds(db, [guildId]);
    await db.close();
  });

  it('numbers bans per guild and reads the configured mod log', async () => {
    const service = new ModerationService(db);
    const first = await service.ban(guildId, '10', '20', 'spam');
    expect(first.modLogChannelId).to.equal(null);
    await db.guildConfig.setLogChannel(guildId, 'mod', '1300000000000000555');
    const second = await service.ban(guildId, '11', '20', 'raid');
    expect([first.case.caseNumber, second.case.caseNumber]).to.deep.equal([1, 2]);
    expect(second.modLogChannelId).to.equal('1300000000000000555');
    expect(second.message).to.equal('Case #2: banned <@11> (raid)');
  });
});
