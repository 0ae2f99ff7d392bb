import { expect } from 'chai';
import { container as rootContainer } from 'tsyringe';
import { registerDatabase } from '../src/container';
import { DatabaseCoordinator } from '../src/coordinator';
import { DatabaseService } from '../src/service/database-service';
import { UnitOfWork } from '../src/service/unit-of-work';
import { ALL_REPOSITORIES } from '../src/repositories/all-repositories';
import { CaseRepository } from '../src/repositories/case-repository';
import { GuildConfigRepository } from '../src/repositories/guild-config-repository';
import { CaseType } from '../src/entities/enums';
import { randomSnowflake } from './support/fixtures';
import { testDatabaseUrl, useTestServer } from './support/test-server';

describe('registerDatabase', () => {
  useTestServer();

  it('registers the service, the unit of work, every repository and the coordinator as singletons', async () => {
    const container = rootContainer.createChildContainer();
    const service = registerDatabase(container, { url: testDatabaseUrl(), migrate: false });
    await service.connect();
    try {
      expect(container.resolve(DatabaseService)).to.equal(service);
      expect(container.resolve(UnitOfWork)).to.be.instanceOf(UnitOfWork);
      for (const repository of ALL_REPOSITORIES) expect(container.resolve<object>(repository)).to.equal(container.resolve<object>(repository));
      const db = container.resolve(DatabaseCoordinator);
      expect(db.case).to.equal(container.resolve(CaseRepository));
      expect(db.guildConfig).to.equal(container.resolve(GuildConfigRepository));
      const guildId = randomSnowflake();
      // Repositories resolved separately share the coordinator's ambient transaction.
      await db.transaction(async () => {
        await container.resolve(CaseRepository).createCase({ caseType: CaseType.WARN, caseUserId: '1', caseModeratorId: '2', guildId });
        await container.resolve(GuildConfigRepository).updateConfig(guildId, { prefix: '$' });
      });
      expect(await db.case.countCasesByGuild(guildId)).to.equal(1);
      await db.guild.deleteById(guildId);
    } finally {
      await service.disconnect();
    }
  });

  it('keeps two containers’ databases apart', () => {
    const a = rootContainer.createChildContainer();
    const b = rootContainer.createChildContainer();
    registerDatabase(a, { url: testDatabaseUrl() });
    registerDatabase(b, { url: testDatabaseUrl() });
    expect(a.resolve(CaseRepository)).to.not.equal(b.resolve(CaseRepository));
  });
});

describe('a repository built by hand', () => {
  useTestServer();

  it('works from a DatabaseService, as the seed’s CaseController(db_service) tests do', async () => {
    const service = new DatabaseService({ url: testDatabaseUrl(), migrate: false });
    await service.connect();
    try {
      const cases = new CaseRepository(service);
      const guildId = randomSnowflake();
      const created = await cases.createCase({ caseType: CaseType.KICK, caseUserId: '3', caseModeratorId: '4', guildId });
      expect(created.caseNumber).to.equal(1);
      expect(await service.isConnected()).to.equal(true);
      await service.query('DELETE FROM guild WHERE guild_id = $1', [guildId]);
    } finally {
      await service.disconnect();
    }
    expect(service.isConnected()).to.equal(false);
    expect((await service.health()).status).to.equal('disconnected');
  });
});
