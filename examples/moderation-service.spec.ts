import { expect } from 'chai';
import sinon from 'sinon';
import { createStubDatabase } from '../src/testing';
import { DatabaseCoordinator } from '../src/coordinator';
import { CaseRepository } from '../src/repositories/case-repository';
import { GuildConfigRepository } from '../src/repositories/guild-config-repository';
import { Case } from '../src/entities/case';
import { CaseType } from '../src/entities/enums';
import { ModerationService } from './moderation-service';

// A bot author's unit tests: no database, only the stubbed repositories of tux-database/testing.
describe('ModerationService (stubbed database)', () => {
  const sandbox = sinon.createSandbox();
  afterEach(() => sandbox.restore());

  const storedCase = (caseNumber: number): Case => Object.assign(new Case(), { caseId: '1', caseNumber, caseType: CaseType.BAN, caseUserId: '10', guildId: '1' });

  it('records the ban as a case and returns the mod-log channel', async () => {
    const stub = createStubDatabase(sandbox);
    stub.case.createCase.resolves(storedCase(7));
    stub.guildConfig.getModLogId.resolves('555');
    const outcome = await new ModerationService(stub.db).ban('1', '10', '20', 'raid');
    expect(outcome.message).to.equal('Case #7: banned <@10> (raid)');
    expect(outcome.modLogChannelId).to.equal('555');
    sinon.assert.calledOnceWithExactly(stub.case.createCase, { caseType: CaseType.BAN, caseUserId: '10', caseModeratorId: '20', guildId: '1', caseReason: 'raid' });
  });

  it('refuses a self-ban without touching the database', async () => {
    const stub = createStubDatabase(sandbox);
    await expect(new ModerationService(stub.db).ban('1', '20', '20', 'oops')).to.be.rejectedWith('cannot ban themselves');
    sinon.assert.notCalled(stub.case.createCase);
  });

  it('resolves the stubbed coordinator from the stub container under its real class token', async () => {
    const stub = createStubDatabase(sandbox);
    stub.guildConfig.getModLogId.resolves(null);
    stub.case.createCase.resolves(storedCase(1));
    expect(stub.container.resolve(CaseRepository)).to.equal(stub.case);
    expect(stub.container.resolve(GuildConfigRepository)).to.equal(stub.guildConfig);
    const service = new ModerationService(stub.container.resolve(DatabaseCoordinator));
    expect((await service.ban('1', '10', '20', 'spam')).modLogChannelId).to.equal(null);
  });
});
