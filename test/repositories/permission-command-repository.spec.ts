import { expect } from 'chai';
import { ValidationError } from '../../src/errors/validation-error';
import { useTestDatabase } from '../support/test-database';

describe('PermissionCommandRepository', () => {
  const t = useTestDatabase({ deleteGuilds: 'afterEach' });
  const { newGuild, countStatements } = t;

  describe('setCommandRank', () => {
    it('creates the requirement and the missing guild row in one statement, then replaces it in one more', async () => {
      const guildId = newGuild();
      const created = await countStatements(() => t.db.permissionCommands.setCommandRank(guildId, 'ban', 3));
      expect(created.statements).to.have.length(1);
      expect(created.result).to.deep.include({ guildId, commandName: 'ban', requiredRank: 3 });
      expect(await t.db.guild.exists({ filters: { guildId } })).to.equal(true);
      const replaced = await countStatements(() => t.db.permissionCommands.setCommandRank(guildId, 'ban', 5));
      expect(replaced.statements).to.have.length(1);
      expect(replaced.result.commandId).to.equal(created.result.commandId);
      expect(replaced.result.requiredRank).to.equal(5);
      expect(await t.db.permissionCommands.count({ filters: { guildId } })).to.equal(1);
    });

    it('rejects a rank outside 0–10, an empty or non-string name and a bad guild id', async () => {
      const guildId = newGuild();
      await expect(t.db.permissionCommands.setCommandRank(guildId, 'ban', 11)).to.be.rejectedWith(ValidationError, /requiredRank/);
      await expect(t.db.permissionCommands.setCommandRank(guildId, '', 1)).to.be.rejectedWith(ValidationError, /commandName/);
      await expect(t.db.permissionCommands.setCommandRank(guildId, 7 as unknown as string, 1)).to.be.rejectedWith(ValidationError, /commandName/);
      await expect(t.db.permissionCommands.setCommandRank('0', 'ban', 1)).to.be.rejectedWith(ValidationError, /guildId/);
      expect(await t.db.guild.exists({ filters: { guildId } })).to.equal(false);
    });
  });

  describe('getCommandRank, getCommands and deleteCommandRank', () => {
    it('reads, lists by name and deletes requirements', async () => {
      const guildId = newGuild();
      await t.db.permissionCommands.setCommandRank(guildId, 'warn', 2);
      await t.db.permissionCommands.setCommandRank(guildId, 'ban', 3);
      expect(await t.db.permissionCommands.getCommandRank(guildId, 'warn')).to.equal(2);
      expect(await t.db.permissionCommands.getCommandRank(guildId, 'kick')).to.equal(null);
      expect((await t.db.permissionCommands.getCommands(guildId)).map((c) => c.commandName)).to.deep.equal(['ban', 'warn']);
      expect(await t.db.permissionCommands.deleteCommandRank(guildId, 'warn')).to.equal(true);
      expect(await t.db.permissionCommands.deleteCommandRank(guildId, 'warn')).to.equal(false);
      expect(await t.db.permissionCommands.getCommandRank(guildId, 'warn')).to.equal(null);
    });
  });

  describe('canRunCommand', () => {
    it('allows a command with no requirement to anyone, even with no roles', async () => {
      const guildId = newGuild();
      expect(await t.db.permissionCommands.canRunCommand(guildId, 'ping', [])).to.equal(true);
    });

    it('compares the highest rank of the roles with the requirement, in one statement', async () => {
      const guildId = newGuild();
      for (const rank of [0, 2, 4]) await t.db.permissionRanks.createRank(guildId, rank, `Rank ${rank}`);
      await t.db.permissionAssignments.assignRole(guildId, '10', 0);
      await t.db.permissionAssignments.assignRole(guildId, '20', 2);
      await t.db.permissionAssignments.assignRole(guildId, '40', 4);
      await t.db.permissionCommands.setCommandRank(guildId, 'ban', 3);
      await t.db.permissionCommands.setCommandRank(guildId, 'help', 0);
      const { result, statements } = await countStatements(() => t.db.permissionCommands.canRunCommand(guildId, 'ban', ['10', '40']));
      expect(result).to.equal(true);
      expect(statements).to.have.length(1);
      expect(await t.db.permissionCommands.canRunCommand(guildId, 'ban', ['10', '20'])).to.equal(false);
      expect(await t.db.permissionCommands.canRunCommand(guildId, 'ban', [])).to.equal(false);
      expect(await t.db.permissionCommands.canRunCommand(guildId, 'help', ['10'])).to.equal(true);
      // No ranked role at all: only unrestricted commands.
      expect(await t.db.permissionCommands.canRunCommand(guildId, 'help', ['99'])).to.equal(false);
      expect(await t.db.permissionCommands.canRunCommand(guildId, 'Ban', ['10'])).to.equal(true);
    });

    it('ignores another guild’s requirements and assignments', async () => {
      const [guildId, other] = [newGuild(), newGuild()];
      await t.db.permissionRanks.createRank(other, 9, 'Top');
      await t.db.permissionAssignments.assignRole(other, '10', 9);
      await t.db.permissionCommands.setCommandRank(guildId, 'ban', 1);
      expect(await t.db.permissionCommands.canRunCommand(guildId, 'ban', ['10'])).to.equal(false);
      expect(await t.db.permissionCommands.canRunCommand(other, 'ban', [])).to.equal(true);
    });

    it('rejects bad role ids with ValidationError', async () => {
      await expect(t.db.permissionCommands.canRunCommand(newGuild(), 'ban', ['1', 1.5 as unknown as string])).to.be.rejectedWith(ValidationError, /roleIds\[1\]/);
    });
  });
});
