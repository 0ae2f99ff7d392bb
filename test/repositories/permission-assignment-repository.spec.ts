import { expect } from 'chai';
import { PermissionRank } from '../../src/entities/permission-rank';
import { ForeignKeyViolationError } from '../../src/errors/constraint-errors';
import { NotFoundError } from '../../src/errors/not-found-error';
import { ValidationError } from '../../src/errors/validation-error';
import { useTestDatabase } from '../support/test-database';

describe('PermissionAssignmentRepository', () => {
  const t = useTestDatabase({ deleteGuilds: 'afterEach' });
  const { newGuild, countStatements } = t;
  const USER = '700000000000000007';
  const withRanks = async (guildId: string, ...ranks: number[]): Promise<void> => {
    for (const rank of ranks) await t.db.permissionRanks.createRank(guildId, rank, `Rank ${rank}`);
  };

  describe('assignRole', () => {
    it('grants a role a rank in one statement and returns the assignment with its rank', async () => {
      const guildId = newGuild();
      await withRanks(guildId, 3);
      const { result, statements } = await countStatements(() => t.db.permissionAssignments.assignRole(guildId, '9223372036854775807', 3));
      expect(statements).to.have.length(1);
      expect(result).to.deep.include({ guildId, roleId: '9223372036854775807' });
      expect(result.permissionRank).to.be.instanceOf(PermissionRank);
      expect(result.permissionRank).to.deep.include({ rank: 3, name: 'Rank 3', guildId });
      expect(result.permissionRankId).to.equal(result.permissionRank?.permissionRankId);
    });

    it('moves a role that already had a rank instead of adding a second row', async () => {
      const guildId = newGuild();
      await withRanks(guildId, 1, 5);
      const first = await t.db.permissionAssignments.assignRole(guildId, '42', 1);
      const moved = await t.db.permissionAssignments.assignRole(guildId, 42n, 5);
      expect(moved.assignmentId).to.equal(first.assignmentId);
      expect(moved.permissionRank?.rank).to.equal(5);
      expect((await t.db.permissionAssignments.getAssignments(guildId)).map((a) => [a.roleId, a.permissionRank?.rank])).to.deep.equal([['42', 5]]);
    });

    it('throws NotFoundError when the guild has no such rank (another guild’s rank does not count)', async () => {
      const [guildId, other] = [newGuild(), newGuild()];
      await withRanks(other, 4);
      await expect(t.db.permissionAssignments.assignRole(guildId, '42', 4)).to.be.rejectedWith(NotFoundError, /PermissionRank/);
      expect(await t.db.permissionAssignments.count({ filters: { guildId } })).to.equal(0);
    });

    it('rejects bad ids and ranks with ValidationError', async () => {
      const guildId = newGuild();
      await expect(t.db.permissionAssignments.assignRole(guildId, '0', 1)).to.be.rejectedWith(ValidationError, /roleId/);
      await expect(t.db.permissionAssignments.assignRole('g', '1', 1)).to.be.rejectedWith(ValidationError, /guildId/);
      await expect(t.db.permissionAssignments.assignRole(guildId, '1', 11)).to.be.rejectedWith(ValidationError, /rank/);
    });
  });

  describe('unassignRole and getAssignments', () => {
    it('lists assignments highest rank first and removes one', async () => {
      const guildId = newGuild();
      await withRanks(guildId, 2, 7);
      await t.db.permissionAssignments.assignRole(guildId, '20', 2);
      await t.db.permissionAssignments.assignRole(guildId, '10', 2);
      await t.db.permissionAssignments.assignRole(guildId, '30', 7);
      expect((await t.db.permissionAssignments.getAssignments(guildId)).map((a) => `${a.roleId}:${a.permissionRank?.rank}`)).to.deep.equal(['30:7', '10:2', '20:2']);
      expect(await t.db.permissionAssignments.unassignRole(guildId, '10')).to.equal(true);
      expect(await t.db.permissionAssignments.unassignRole(guildId, '10')).to.equal(false);
      expect((await t.db.permissionAssignments.getAssignments(guildId)).map((a) => a.roleId)).to.deep.equal(['30', '20']);
      expect(await t.db.permissionAssignments.getAssignments(newGuild())).to.deep.equal([]);
    });
  });

  describe('a rank of another guild', () => {
    it('cannot be given to a role through any write: the foreign key to the rank is (permission_rank_id, guild_id)', async () => {
      const [guildId, other] = [newGuild(), newGuild()];
      await withRanks(guildId, 1);
      await withRanks(other, 4);
      const foreign = await t.db.permissionRanks.findOne({ filters: { guildId: other, rank: 4 } });
      const own = await t.db.permissionAssignments.assignRole(guildId, '42', 1);
      const refused = { constraint: 'fk_permission_assignments_rank' };
      const create = t.db.permissionAssignments.create({ guildId, roleId: '43', permissionRankId: foreign?.permissionRankId ?? '' });
      await expect(create).to.be.rejectedWith(ForeignKeyViolationError).and.eventually.include(refused);
      const update = t.db.permissionAssignments.updateById(own.assignmentId, { permissionRankId: foreign?.permissionRankId ?? '' });
      await expect(update).to.be.rejectedWith(ForeignKeyViolationError).and.eventually.include(refused);
      expect((await t.db.permissionAssignments.getAssignments(guildId)).map((a) => `${a.roleId}:${a.permissionRank?.rank}`)).to.deep.equal(['42:1']);
    });
  });

  describe('getUserPermissionRank', () => {
    it('returns the highest rank held through any of the roles, in one statement', async () => {
      const guildId = newGuild();
      await withRanks(guildId, 0, 2, 6);
      await t.db.permissionAssignments.assignRole(guildId, '100', 2);
      await t.db.permissionAssignments.assignRole(guildId, '200', 6);
      await t.db.permissionAssignments.assignRole(guildId, '300', 0);
      const { result, statements } = await countStatements(() => t.db.permissionAssignments.getUserPermissionRank(guildId, USER, ['300', '100', '200', '999']));
      expect(result).to.equal(6);
      expect(statements).to.have.length(1);
      expect(await t.db.permissionAssignments.getUserPermissionRank(guildId, USER, ['100', 300n])).to.equal(2);
      expect(await t.db.permissionAssignments.getUserPermissionRank(guildId, USER, ['300'])).to.equal(0);
    });

    it('returns null (not 0) when none of the roles has a rank, and sends nothing for no roles', async () => {
      const [guildId, other] = [newGuild(), newGuild()];
      await withRanks(other, 9);
      await t.db.permissionAssignments.assignRole(other, '100', 9);
      expect(await t.db.permissionAssignments.getUserPermissionRank(guildId, USER, ['100', '101'])).to.equal(null);
      const { result, statements } = await countStatements(() => t.db.permissionAssignments.getUserPermissionRank(guildId, USER, []));
      expect(result).to.equal(null);
      expect(statements).to.have.length(0);
    });

    it('rejects bad ids with ValidationError naming the bad role', async () => {
      const guildId = newGuild();
      await expect(t.db.permissionAssignments.getUserPermissionRank(guildId, USER, ['1', 'two'])).to.be.rejectedWith(ValidationError, /roleIds\[1\]/);
      await expect(t.db.permissionAssignments.getUserPermissionRank(guildId, USER, '1' as never)).to.be.rejectedWith(ValidationError, /roleIds/);
      await expect(t.db.permissionAssignments.getUserPermissionRank(guildId, '-5', ['1'])).to.be.rejectedWith(ValidationError, /userId/);
    });
  });
});
