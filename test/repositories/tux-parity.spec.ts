import { expect } from 'chai';
import { CaseType, OnboardingStage } from '../../src/entities/enums';
import { ValidationError } from '../../src/errors/validation-error';
import { DEFAULT_RANKS } from '../../src/repositories/permission-rank-repository';
import { useTestDatabase } from '../support/test-database';

// The Tux controller methods issue #16 found missing, each with Tux's semantics (read from allthingslinux/tux at
// c0e1a1e8: controllers/case.py, guild_config.py, levels.py, base/bulk.py, base/query.py, core/permission_system.py).

describe('Tux parity methods', () => {
  const t = useTestDatabase();
  const { newGuild, countStatements } = t;
  const make = (guildId: string, caseType: CaseType, caseUserId = '100') => t.db.case.createCase({ caseType, caseUserId, caseModeratorId: '200', guildId });

  describe('case.getLatestJailCase / getLatestSnippetBanOrUnbanCase', () => {
    it('return the newest case of the type (pair), ignoring other types and other users', async () => {
      const guildId = newGuild();
      const firstJail = await make(guildId, CaseType.JAIL);
      await make(guildId, CaseType.UNJAIL);
      const secondJail = await make(guildId, CaseType.JAIL);
      await make(guildId, CaseType.WARN);
      await make(guildId, CaseType.JAIL, '101');
      expect(firstJail.caseNumber).to.be.lessThan(secondJail.caseNumber);
      expect((await t.db.case.getLatestJailCase('100', guildId))?.caseId).to.equal(secondJail.caseId);
      expect(await t.db.case.getLatestSnippetBanOrUnbanCase('100', guildId)).to.equal(null);
      await make(guildId, CaseType.SNIPPETBAN);
      const unban = await make(guildId, CaseType.SNIPPETUNBAN);
      await make(guildId, CaseType.KICK);
      expect((await t.db.case.getLatestSnippetBanOrUnbanCase('100', guildId))?.caseId).to.equal(unban.caseId);
      expect(await t.db.case.getLatestJailCase('102', guildId)).to.equal(null);
      await expect(t.db.case.getLatestJailCase('x', guildId)).to.be.rejectedWith(ValidationError, /caseUserId/);
    });
  });

  describe('guildConfig.getJailConfig / getLogChannelIds / resetOnboarding', () => {
    it('read both ids in one statement, as named fields, null when unset or without a row', async () => {
      const guildId = newGuild();
      expect(await t.db.guildConfig.getJailConfig(guildId)).to.deep.equal({ jailRoleId: null, jailChannelId: null });
      expect(await t.db.guildConfig.getLogChannelIds(guildId)).to.deep.equal({ auditLogId: null, modLogId: null });
      await t.db.guildConfig.updateConfig(guildId, { jailRoleId: '9223372036854775807', jailChannelId: '1300000000000000002', auditLogId: '1300000000000000003' });
      const { result, statements } = await countStatements(() => t.db.guildConfig.getJailConfig(guildId));
      expect(result).to.deep.equal({ jailRoleId: '9223372036854775807', jailChannelId: '1300000000000000002' });
      expect(statements).to.have.length(1);
      expect(await t.db.guildConfig.getLogChannelIds(guildId)).to.deep.equal({ auditLogId: '1300000000000000003', modLogId: null });
      await expect(t.db.guildConfig.getJailConfig('0')).to.be.rejectedWith(ValidationError, /guildId/);
    });

    it('resetOnboarding resets the stage and the completed flag, as Tux does; null without a config row', async () => {
      const guildId = newGuild();
      expect(await t.db.guildConfig.resetOnboarding(guildId)).to.equal(null);
      await t.db.guildConfig.completeOnboarding(guildId);
      expect(await t.db.guildConfig.isOnboardingComplete(guildId)).to.equal(true);
      const reset = await t.db.guildConfig.resetOnboarding(guildId);
      expect([reset?.onboardingStage, reset?.onboardingCompleted]).to.deep.equal([OnboardingStage.NOT_STARTED, false]);
      expect(await t.db.guildConfig.isOnboardingComplete(guildId)).to.equal(false);
    });
  });

  describe('levels.getGuildStats', () => {
    it('counts members with a row, the blacklisted, and total minus blacklisted (Tux\'s active_members), in one statement', async () => {
      const guildId = newGuild();
      expect(await t.db.levels.getGuildStats(guildId)).to.deep.equal({ totalMembers: 0, blacklistedCount: 0, activeMembers: 0 });
      await t.db.levels.addXp('1', guildId, 10);
      await t.db.levels.addXp('2', guildId, 10);
      await t.db.levels.blacklist('3', guildId);
      await t.db.levels.addXp('1', newGuild(), 10);
      const { result, statements } = await countStatements(() => t.db.levels.getGuildStats(guildId));
      expect(result).to.deep.equal({ totalMembers: 3, blacklistedCount: 1, activeMembers: 2 });
      expect(statements).to.have.length(1);
    });
  });

  describe('bulkUpdate (Tux: bulk_update)', () => {
    it('updates many rows, each with its own values and fields, in one statement, and counts the rows changed', async () => {
      const guildId = newGuild();
      const [a, b, c] = [await make(guildId, CaseType.WARN), await make(guildId, CaseType.WARN), await make(guildId, CaseType.WARN)];
      const { result, statements } = await countStatements(() =>
        t.db.case.bulkUpdate([
          { id: a.caseId, values: { caseReason: 'first' } },
          { id: b.caseId, values: { caseStatus: false, caseUserRoles: ['9223372036854775807'] } },
          { id: '999999999999', values: { caseReason: 'no such case' } },
        ]),
      );
      expect(result).to.equal(2);
      expect(statements).to.have.length(1);
      const [ra, rb, rc] = await Promise.all([a, b, c].map((x) => t.db.case.getById(x.caseId)));
      expect([ra?.caseReason, ra?.caseStatus]).to.deep.equal(['first', true]);
      expect([rb?.caseReason, rb?.caseStatus, rb?.caseUserRoles]).to.deep.equal([null, false, ['9223372036854775807']]);
      expect([rc?.caseReason, rc?.caseStatus]).to.deep.equal([null, true]);
      expect((rb?.caseUpdatedAt as Date).getTime()).to.be.at.least((b.caseUpdatedAt as Date).getTime());
    });

    it('takes composite keys and returns 0 for no items without SQL', async () => {
      const guildId = newGuild();
      await t.db.afk.setMemberAfk({ userId: '1', guildId, afkMessage: 'a' });
      await t.db.afk.setMemberAfk({ userId: '2', guildId, afkMessage: 'b' });
      expect(await t.db.afk.bulkUpdate([{ id: { userId: '1', guildId }, values: { afkMessage: 'x' } }, { id: { userId: '2', guildId }, values: { enforced: true } }])).to.equal(2);
      expect((await t.db.afk.getAfkByMember('1', guildId))?.afkMessage).to.equal('x');
      expect((await t.db.afk.getAfkByMember('2', guildId))?.enforced).to.equal(true);
      const { result, statements } = await countStatements(() => t.db.afk.bulkUpdate([]));
      expect([result, statements.length]).to.deep.equal([0, 0]);
    });

    it('refuses every bad item before any SQL: write rules, duplicates, empty values, unknown keys', async () => {
      const guildId = newGuild();
      const a = await make(guildId, CaseType.WARN);
      const { statements } = await countStatements(async () => {
        const error = await t.db.case
          .bulkUpdate([
            { id: a.caseId, values: { caseNumber: 7 } },
            { id: a.caseId, values: { caseReason: 'dup' } },
            { id: 'x', values: { caseReason: 'bad id' } },
            { id: a.caseId, values: {} },
          ])
          .then(() => undefined, (e: unknown) => e);
        expect(error).to.be.instanceOf(ValidationError);
        const fields = (error as ValidationError).errors.map((e) => e.field);
        expect(fields).to.include.members(['[0].caseNumber', '[2].caseId', '[3].values']);
        await expect(t.db.case.bulkUpdate([{ id: a.caseId, values: { caseReason: 'a' } }, { id: a.caseId, values: { caseReason: 'b' } }])).to.be.rejectedWith(ValidationError, /\[1\]\.id is the same row as \[0\]/);
        // @ts-expect-error a misspelt key
        await expect(t.db.case.bulkUpdate([{ id: a.caseId, value: { caseReason: 'a' } }])).to.be.rejectedWith(ValidationError, /value/);
      });
      expect(statements).to.deep.equal([]);
    });
  });

  describe('findAllWithOptions (Tux: loading related rows)', () => {
    it('has its home in two findAll calls: the rows, then their related rows by { in: ids }', async () => {
      const [g1, g2] = [newGuild(), newGuild()];
      await t.db.guild.getOrCreateGuild(g1, 'One');
      await t.db.guild.getOrCreateGuild(g2, 'Two');
      await make(g1, CaseType.BAN);
      await make(g2, CaseType.BAN);
      const cases = await t.db.case.findAll({ filters: { guildId: { in: [g1, g2] } }, orderBy: { guildId: 'ASC' } });
      const guilds = await t.db.guild.findAll({ filters: { guildId: { in: [...new Set(cases.map((c) => c.guildId))] } } });
      const byId = new Map(guilds.map((g) => [g.guildId, g]));
      expect(cases.map((c) => byId.get(c.guildId)?.guildName).sort()).to.deep.equal(['One', 'Two']);
    });
  });

  describe('permissionRanks.initializeDefaultRanks', () => {
    it('seeds Tux\'s ranks 0–7 with their names in one statement, and a second call changes nothing', async () => {
      const guildId = newGuild();
      const { result, statements } = await countStatements(() => t.db.permissionRanks.initializeDefaultRanks(guildId));
      expect(statements).to.have.length(1);
      expect(result.map((r) => [r.rank, r.name])).to.deep.equal([
        [0, 'Member'], [1, 'Trusted'], [2, 'Junior Moderator'], [3, 'Moderator'], [4, 'Senior Moderator'],
        [5, 'Administrator'], [6, 'Head Administrator'], [7, 'Server Owner'],
      ]);
      expect((await t.db.permissionRanks.getRank(guildId, 3))?.description).to.equal(DEFAULT_RANKS[3]?.description);
      expect(await t.db.permissionRanks.initializeDefaultRanks(guildId)).to.deep.equal([]);
      expect(await t.db.permissionRanks.getRanks(guildId)).to.have.length(8);
    });

    it('never changes a customised rank and skips a default whose name a custom rank took', async () => {
      const guildId = newGuild();
      await t.db.permissionRanks.createRank(guildId, 3, 'Mods');
      await t.db.permissionRanks.createRank(guildId, 9, 'Trusted');
      const created = await t.db.permissionRanks.initializeDefaultRanks(guildId);
      expect(created.map((r) => r.rank)).to.deep.equal([0, 2, 4, 5, 6, 7]);
      expect((await t.db.permissionRanks.getRank(guildId, 3))?.name).to.equal('Mods');
      await Promise.all([t.db.permissionRanks.initializeDefaultRanks(guildId), t.db.permissionRanks.initializeDefaultRanks(guildId)]);
      expect(await t.db.permissionRanks.getRanks(guildId)).to.have.length(8);
    });
  });

  describe('permissionCommands: parent fallback and restricted commands', () => {
    it('a subcommand without a requirement uses its nearest parent\'s, in getCommandRank and canRunCommand', async () => {
      const guildId = newGuild();
      await t.db.permissionRanks.initializeDefaultRanks(guildId);
      await t.db.permissionAssignments.assignRole(guildId, '500', 2);
      await t.db.permissionCommands.setCommandRank(guildId, 'config', 5);
      expect(await t.db.permissionCommands.getCommandRank(guildId, 'config ranks init')).to.equal(5);
      expect(await t.db.permissionCommands.canRunCommand(guildId, 'config ranks init', ['500'])).to.equal(false);
      await t.db.permissionCommands.setCommandRank(guildId, 'config ranks', 1);
      expect(await t.db.permissionCommands.getCommandRank(guildId, 'config ranks init')).to.equal(1);
      expect(await t.db.permissionCommands.canRunCommand(guildId, 'config ranks init', ['500'])).to.equal(true);
      expect(await t.db.permissionCommands.canRunCommand(guildId, 'config', ['500'])).to.equal(false);
      // The subcommand's own requirement wins over its parents'.
      await t.db.permissionCommands.setCommandRank(guildId, 'config ranks init', 7);
      expect(await t.db.permissionCommands.getCommandRank(guildId, 'config ranks init')).to.equal(7);
      expect(await t.db.permissionCommands.getCommandRank(guildId, 'configure')).to.equal(null);
      expect(await t.db.permissionCommands.canRunCommand(guildId, 'ping', [])).to.equal(true);
    });

    it('refuses eval, e, jsk, jishaku in any letter case (and their subcommands) through every write, before any SQL', async () => {
      const guildId = newGuild();
      const { statements } = await countStatements(async () => {
        for (const name of ['eval', 'E', 'JSK', 'Jishaku', 'jsk py']) {
          await expect(t.db.permissionCommands.setCommandRank(guildId, name, 7)).to.be.rejectedWith(ValidationError, /restricted/);
        }
        await expect(t.db.permissionCommands.create({ guildId, commandName: 'EVAL', requiredRank: 0 })).to.be.rejectedWith(ValidationError, /restricted/);
        await expect(t.db.permissionCommands.createMany([{ guildId, commandName: 'ban', requiredRank: 3 }, { guildId, commandName: 'jsk', requiredRank: 3 }])).to.be.rejectedWith(ValidationError, /\[1\]\.commandName/);
        await expect(t.db.permissionCommands.upsert({ filters: { guildId, commandName: 'e' }, values: { requiredRank: 1 } })).to.be.rejectedWith(ValidationError, /restricted/);
        await expect(t.db.permissionCommands.updateWhere({ filters: { guildId }, values: { commandName: 'eval' } })).to.be.rejectedWith(ValidationError, /restricted/);
      });
      expect(statements).to.deep.equal([]);
      // Names that merely start with the letters are not restricted.
      expect((await t.db.permissionCommands.setCommandRank(guildId, 'evaluate', 2)).requiredRank).to.equal(2);
      expect((await t.db.permissionCommands.setCommandRank(guildId, 'echo', 2)).requiredRank).to.equal(2);
    });
  });
});
