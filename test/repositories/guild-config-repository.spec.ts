import { expect } from 'chai';
import { OnboardingStage } from '../../src/entities/enums';
import { ValidationError } from '../../src/errors/validation-error';
import { LOG_KINDS, type LogKind } from '../../src/repositories/guild-config-repository';
import { randomSnowflake } from '../support/fixtures';
import { useTestDatabase } from '../support/test-database';

describe('GuildConfigRepository', () => {
  const t = useTestDatabase({ poolSize: 20 });
  const { newGuild, countStatements } = t;

  describe('getConfigByGuildId', () => {
    it('returns null for a guild without a config row', async () => {
      expect(await t.db.guildConfig.getConfigByGuildId(newGuild())).to.equal(null);
    });

    it('returns the stored config', async () => {
      const guildId = newGuild();
      await t.db.guildConfig.updateConfig(guildId, { prefix: '$' });
      expect(await t.db.guildConfig.getConfigByGuildId(guildId)).to.include({ guildId, prefix: '$' });
    });
  });

  describe('updateConfig', () => {
    it('creates both the guild row and the config row for a guild that has neither', async () => {
      const guildId = newGuild();
      const config = await t.db.guildConfig.updateConfig(guildId, { modLogId: '123456789012345678' });
      expect(config).to.include({ guildId, modLogId: '123456789012345678', prefix: '!', onboardingCompleted: false });
      expect(await t.db.guild.getGuildById(guildId)).to.include({ guildId, caseCount: 0 });
    });

    it('sends exactly one statement, even when it creates the guild row (the FK check passes)', async () => {
      const guildId = newGuild();
      expect((await countStatements(() => t.db.guildConfig.updateConfig(guildId, { prefix: '>' }))).statements).to.have.length(1);
      expect((await countStatements(() => t.db.guildConfig.updateConfig(guildId, { prefix: '<' }))).statements).to.have.length(1);
    });

    it('changes only the given fields of an existing config and bumps updatedAt', async () => {
      const guildId = newGuild();
      const first = await t.db.guildConfig.updateConfig(guildId, { prefix: '?', jailRoleId: '42' });
      const second = await t.db.guildConfig.updateConfig(guildId, { auditLogId: '43' });
      expect(second).to.include({ prefix: '?', jailRoleId: '42', auditLogId: '43' });
      expect(second.createdAt.getTime()).to.equal(first.createdAt.getTime());
      expect(second.updatedAt.getTime()).to.be.at.least(first.updatedAt.getTime());
    });

    it('clears a field set to null', async () => {
      const guildId = newGuild();
      await t.db.guildConfig.updateConfig(guildId, { jailChannelId: '7' });
      expect(await t.db.guildConfig.updateConfig(guildId, { jailChannelId: null })).to.include({ jailChannelId: null });
    });

    it('keeps the guild row of a guild that already had one', async () => {
      const guildId = newGuild();
      await t.db.guild.getOrCreateGuild(guildId, 'Named');
      await t.db.guildConfig.updateConfig(guildId, { prefix: '.' });
      expect(await t.db.guild.getGuildById(guildId)).to.include({ guildName: 'Named' });
    });

    it('ends with one config row when 20 callers update a new guild at once', async () => {
      const guildId = newGuild();
      await Promise.all(Array.from({ length: 20 }, (_, i) => t.db.guildConfig.updateConfig(guildId, { jailRoleId: String(i + 1) })));
      expect(await t.db.guildConfig.count({ filters: { guildId } })).to.equal(1);
      expect(await t.db.guild.count({ filters: { guildId } })).to.equal(1);
    });

    it('rejects unknown fields, bad values, the key and timestamps with a ValidationError before any SQL', async () => {
      const guildId = newGuild();
      const { statements: sent } = await countStatements(async () => {
        await expect(t.db.guildConfig.updateConfig(guildId, { bogus: 1 } as never)).to.be.rejectedWith(ValidationError, /bogus/);
        await expect(t.db.guildConfig.updateConfig(guildId, { prefix: '' })).to.be.rejectedWith(ValidationError, /prefix/);
        await expect(t.db.guildConfig.updateConfig(guildId, { prefix: 'x'.repeat(11) })).to.be.rejectedWith(ValidationError, /prefix/);
        await expect(t.db.guildConfig.updateConfig(guildId, { modLogId: 'abc' })).to.be.rejectedWith(ValidationError, /modLogId/);
        await expect(t.db.guildConfig.updateConfig(guildId, { onboardingStage: 'NOPE' as OnboardingStage })).to.be.rejectedWith(ValidationError, /onboardingStage/);
        await expect(t.db.guildConfig.updateConfig(guildId, { guildId: randomSnowflake() } as never)).to.be.rejectedWith(ValidationError, /guildId/);
        await expect(t.db.guildConfig.updateConfig(guildId, { updatedAt: new Date() } as never)).to.be.rejectedWith(ValidationError, /updatedAt/);
        await expect(t.db.guildConfig.updateConfig(guildId, { createdAt: new Date() } as never)).to.be.rejectedWith(ValidationError, /createdAt/);
        await expect(t.db.guildConfig.updateConfig('0', { prefix: '?' })).to.be.rejectedWith(ValidationError, /guildId/);
        await expect(t.db.guildConfig.updateConfig(guildId, null as never)).to.be.rejectedWith(ValidationError, /values/);
      });
      expect(sent).to.have.length(0);
      expect(await t.db.guild.getGuildById(guildId)).to.equal(null);
    });
  });

  describe('getOrCreateConfig', () => {
    it('creates a default config (and guild row) once and then returns it unchanged', async () => {
      const guildId = newGuild();
      const created = await t.db.guildConfig.getOrCreateConfig(guildId);
      expect(created).to.include({ guildId, prefix: '!' });
      const again = await t.db.guildConfig.getOrCreateConfig(guildId);
      expect(again.updatedAt.getTime()).to.equal(created.updatedAt.getTime());
    });
  });

  describe('getConfigField', () => {
    it('returns the stored value of a field', async () => {
      const guildId = newGuild();
      await t.db.guildConfig.updateConfig(guildId, { prefix: '%', reportLogId: '99' });
      expect(await t.db.guildConfig.getConfigField(guildId, 'prefix', '!')).to.equal('%');
      expect(await t.db.guildConfig.getConfigField(guildId, 'reportLogId')).to.equal('99');
    });

    it('returns the default when the guild has no row or the field is null', async () => {
      const guildId = newGuild();
      expect(await t.db.guildConfig.getConfigField(guildId, 'prefix', '!')).to.equal('!');
      expect(await t.db.guildConfig.getConfigField(guildId, 'modLogId')).to.equal(null);
      await t.db.guildConfig.updateConfig(guildId, { prefix: '&' });
      expect(await t.db.guildConfig.getConfigField(guildId, 'devLogId', 'none')).to.equal('none');
    });

    it('rejects a field that is not a GuildConfig column with a ValidationError before any SQL', async () => {
      const { statements: sent } = await countStatements(async () => {
        await expect(t.db.guildConfig.getConfigField(newGuild(), 'prefix; DROP TABLE guild' as never)).to.be.rejectedWith(ValidationError, /field/);
        await expect(t.db.guildConfig.getConfigField(newGuild(), 'guild' as never)).to.be.rejectedWith(ValidationError, /field/);
        await expect(t.db.guildConfig.getConfigField(newGuild(), 'constructor' as never)).to.be.rejectedWith(ValidationError, /field/);
        await expect(t.db.guildConfig.getConfigField('x', 'prefix')).to.be.rejectedWith(ValidationError, /guildId/);
      });
      expect(sent).to.have.length(0);
    });
  });

  describe('log channels', () => {
    const fields: Record<LogKind, string> = {
      mod: 'modLogId',
      audit: 'auditLogId',
      join: 'joinLogId',
      private: 'privateLogId',
      report: 'reportLogId',
      dev: 'devLogId',
    };

    for (const kind of LOG_KINDS) {
      it(`stores the ${kind} log channel in ${fields[kind]}`, async () => {
        const guildId = newGuild();
        const channelId = randomSnowflake();
        expect(await t.db.guildConfig.getLogChannel(guildId, kind)).to.equal(null);
        const config = await t.db.guildConfig.setLogChannel(guildId, kind, BigInt(channelId));
        expect((config as unknown as Record<string, unknown>)[fields[kind]]).to.equal(channelId);
        expect(await t.db.guildConfig.getLogChannel(guildId, kind)).to.equal(channelId);
      });
    }

    it('reads each kind through its named getter', async () => {
      const guildId = newGuild();
      await t.db.guildConfig.updateConfig(guildId, { modLogId: '1', auditLogId: '2', joinLogId: '3', privateLogId: '4', reportLogId: '5', devLogId: '6' });
      const got = await Promise.all([
        t.db.guildConfig.getModLogId(guildId),
        t.db.guildConfig.getAuditLogId(guildId),
        t.db.guildConfig.getJoinLogId(guildId),
        t.db.guildConfig.getPrivateLogId(guildId),
        t.db.guildConfig.getReportLogId(guildId),
        t.db.guildConfig.getDevLogId(guildId),
      ]);
      expect(got).to.deep.equal(['1', '2', '3', '4', '5', '6']);
    });

    it('clears a log channel set to null', async () => {
      const guildId = newGuild();
      await t.db.guildConfig.setLogChannel(guildId, 'mod', '5');
      await t.db.guildConfig.setLogChannel(guildId, 'mod', null);
      expect(await t.db.guildConfig.getModLogId(guildId)).to.equal(null);
    });

    it('rejects an unknown kind or a bad channel id with a ValidationError before any SQL', async () => {
      const guildId = newGuild();
      const { statements: sent } = await countStatements(async () => {
        await expect(t.db.guildConfig.getLogChannel(guildId, 'general' as LogKind)).to.be.rejectedWith(ValidationError, /kind/);
        await expect(t.db.guildConfig.setLogChannel(guildId, 'toString' as LogKind, '1')).to.be.rejectedWith(ValidationError, /kind/);
        await expect(t.db.guildConfig.setLogChannel(guildId, 'mod', '01')).to.be.rejectedWith(ValidationError, /modLogId/);
      });
      expect(sent).to.have.length(0);
    });
  });

  describe('jail', () => {
    it('sets and gets the jail channel and role', async () => {
      const guildId = newGuild();
      expect(await t.db.guildConfig.getJailChannelId(guildId)).to.equal(null);
      expect(await t.db.guildConfig.getJailRoleId(guildId)).to.equal(null);
      await t.db.guildConfig.setJailChannelId(guildId, '9223372036854775807');
      await t.db.guildConfig.setJailRoleId(guildId, 77n);
      expect(await t.db.guildConfig.getJailChannelId(guildId)).to.equal('9223372036854775807');
      expect(await t.db.guildConfig.getJailRoleId(guildId)).to.equal('77');
    });

    it('rejects a bad jail id with a ValidationError', async () => {
      await expect(t.db.guildConfig.setJailRoleId(newGuild(), '9223372036854775808')).to.be.rejectedWith(ValidationError, /jailRoleId/);
    });
  });

  describe('prefix', () => {
    it("is '!' for a guild without a config row", async () => {
      expect(await t.db.guildConfig.getPrefix(newGuild())).to.equal('!');
    });

    it('is the stored prefix once set', async () => {
      const guildId = newGuild();
      await t.db.guildConfig.setPrefix(guildId, 'tux ');
      expect(await t.db.guildConfig.getPrefix(guildId)).to.equal('tux ');
    });

    it('rejects an empty or too long prefix with a ValidationError', async () => {
      await expect(t.db.guildConfig.setPrefix(newGuild(), '')).to.be.rejectedWith(ValidationError, /prefix/);
      await expect(t.db.guildConfig.setPrefix(newGuild(), '12345678901')).to.be.rejectedWith(ValidationError, /prefix/);
    });
  });

  describe('onboarding', () => {
    it('is not started and not complete for a guild without a config row', async () => {
      const guildId = newGuild();
      expect(await t.db.guildConfig.getOnboardingStage(guildId)).to.equal(null);
      expect(await t.db.guildConfig.isOnboardingComplete(guildId)).to.equal(false);
    });

    it('records each stage without completing until COMPLETED', async () => {
      const guildId = newGuild();
      await t.db.guildConfig.setOnboardingStage(guildId, OnboardingStage.INITIALIZED);
      expect(await t.db.guildConfig.getOnboardingStage(guildId)).to.equal(OnboardingStage.INITIALIZED);
      expect(await t.db.guildConfig.isOnboardingComplete(guildId)).to.equal(false);
      await t.db.guildConfig.setOnboardingStage(guildId, OnboardingStage.COMPLETED);
      expect(await t.db.guildConfig.isOnboardingComplete(guildId)).to.equal(true);
    });

    it('completes onboarding in one call', async () => {
      const guildId = newGuild();
      const config = await t.db.guildConfig.completeOnboarding(guildId);
      expect(config).to.include({ onboardingCompleted: true, onboardingStage: OnboardingStage.COMPLETED });
      expect(await t.db.guildConfig.isOnboardingComplete(guildId)).to.equal(true);
    });

    it('marks onboarding complete with stage COMPLETED on every write path, and refuses COMPLETED not complete before any SQL', async () => {
      const [a, b, c] = [newGuild(), newGuild(), newGuild()];
      expect(await t.db.guildConfig.updateConfig(a, { onboardingStage: OnboardingStage.COMPLETED })).to.include({ onboardingCompleted: true });
      expect(await t.db.guildConfig.create({ guildId: b, onboardingStage: OnboardingStage.COMPLETED })).to.include({ onboardingCompleted: true });
      await t.db.guildConfig.create({ guildId: c });
      expect(await t.db.guildConfig.updateById(c, { onboardingStage: OnboardingStage.COMPLETED })).to.include({ onboardingCompleted: true });
      const { statements } = await countStatements(async () => {
        await expect(t.db.guildConfig.updateById(c, { onboardingStage: OnboardingStage.COMPLETED, onboardingCompleted: false })).to.be.rejectedWith(
          ValidationError,
          /onboardingCompleted must be true with onboardingStage COMPLETED/,
        );
      });
      expect(statements).to.have.length(0);
    });

    it('rejects an unknown stage with a ValidationError', async () => {
      await expect(t.db.guildConfig.setOnboardingStage(newGuild(), 'DONE' as OnboardingStage)).to.be.rejectedWith(ValidationError, /onboardingStage/);
    });
  });
});
