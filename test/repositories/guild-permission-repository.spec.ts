import { expect } from 'chai';
import { PermissionLevel } from '../../src/entities/enums';
import { ValidationError } from '../../src/errors/validation-error';
import { useTestDatabase } from '../support/test-database';

describe('GuildPermissionRepository', () => {
  const t = useTestDatabase({ poolSize: 20, deleteGuilds: 'afterEach' });
  const { newGuild, countStatements } = t;
  const USER = '876543210987654321';

  describe('the seed’s generic upsert', () => {
    it('creates the row, then updates it, through BaseRepository.upsert', async () => {
      const guildId = newGuild();
      await t.db.guild.create({ guildId });
      const [created, wasCreated] = await t.db.guildPermissions.upsert({ filters: { guildId, userId: USER }, values: { permissionLevel: PermissionLevel.MODERATOR } });
      expect(wasCreated).to.equal(true);
      expect(created).to.deep.include({ guildId, userId: USER, permissionLevel: PermissionLevel.MODERATOR });
      const [updated, again] = await t.db.guildPermissions.upsert({ filters: { guildId, userId: USER }, values: { permissionLevel: PermissionLevel.ADMINISTRATOR } });
      expect(again).to.equal(false);
      expect(updated.permissionLevel).to.equal(PermissionLevel.ADMINISTRATOR);
      expect(await t.db.guildPermissions.count({ filters: { guildId } })).to.equal(1);
    });
  });

  describe('getPermissionLevel', () => {
    it('is MEMBER when no level was set', async () => {
      expect(await t.db.guildPermissions.getPermissionLevel(newGuild(), USER)).to.equal(PermissionLevel.MEMBER);
    });

    it('returns the level that was set', async () => {
      const guildId = newGuild();
      await t.db.guildPermissions.setPermissionLevel(guildId, USER, PermissionLevel.SENIOR_MODERATOR);
      expect(await t.db.guildPermissions.getPermissionLevel(BigInt(guildId), BigInt(USER))).to.equal(PermissionLevel.SENIOR_MODERATOR);
      expect(await t.db.guildPermissions.getPermissionLevel(guildId, '5')).to.equal(PermissionLevel.MEMBER);
    });

    it('rejects bad ids with ValidationError', async () => {
      await expect(t.db.guildPermissions.getPermissionLevel('x', USER)).to.be.rejectedWith(ValidationError, /guildId/);
      await expect(t.db.guildPermissions.getPermissionLevel(newGuild(), '01')).to.be.rejectedWith(ValidationError, /userId/);
    });
  });

  describe('setPermissionLevel', () => {
    it('creates the row and the missing guild row in exactly one statement', async () => {
      const guildId = newGuild();
      const { result, statements } = await countStatements(() => t.db.guildPermissions.setPermissionLevel(guildId, USER, PermissionLevel.TRUSTED));
      expect(statements).to.have.length(1);
      expect(result).to.deep.include({ guildId, userId: USER, permissionLevel: PermissionLevel.TRUSTED });
      expect(await t.db.guild.exists({ filters: { guildId } })).to.equal(true);
    });

    it('replaces an existing level in exactly one statement', async () => {
      const guildId = newGuild();
      await t.db.guildPermissions.setPermissionLevel(guildId, USER, PermissionLevel.TRUSTED);
      const { result, statements } = await countStatements(() => t.db.guildPermissions.setPermissionLevel(guildId, USER, PermissionLevel.SERVER_OWNER));
      expect(statements).to.have.length(1);
      expect(result.permissionLevel).to.equal(PermissionLevel.SERVER_OWNER);
      expect(await t.db.guildPermissions.count({ filters: { guildId } })).to.equal(1);
    });

    it('keeps one row under concurrent calls for a new guild', async () => {
      const guildId = newGuild();
      const levels = [PermissionLevel.TRUSTED, PermissionLevel.MODERATOR, PermissionLevel.ADMINISTRATOR];
      await Promise.all(Array.from({ length: 15 }, (_, i) => t.db.guildPermissions.setPermissionLevel(guildId, USER, levels[i % 3] as PermissionLevel)));
      expect(await t.db.guildPermissions.count({ filters: { guildId } })).to.equal(1);
    });

    it('rejects a level that is not a PermissionLevel', async () => {
      const guildId = newGuild();
      await expect(t.db.guildPermissions.setPermissionLevel(guildId, USER, 'GOD' as PermissionLevel)).to.be.rejectedWith(ValidationError, /permissionLevel/);
      expect(await t.db.guild.exists({ filters: { guildId } })).to.equal(false);
    });
  });

  describe('removePermissionLevel', () => {
    it('puts the user back to MEMBER and reports whether a level was set', async () => {
      const guildId = newGuild();
      await t.db.guildPermissions.setPermissionLevel(guildId, USER, PermissionLevel.MODERATOR);
      expect(await t.db.guildPermissions.removePermissionLevel(guildId, USER)).to.equal(true);
      expect(await t.db.guildPermissions.removePermissionLevel(guildId, USER)).to.equal(false);
      expect(await t.db.guildPermissions.getPermissionLevel(guildId, USER)).to.equal(PermissionLevel.MEMBER);
    });
  });
});
