import { expect } from 'chai';
import { UniqueViolationError } from '../../src/errors/constraint-errors';
import { ValidationError } from '../../src/errors/validation-error';
import { useTestDatabase } from '../support/test-database';
import { behindPooler } from '../support/behind-pooler';

describe('PermissionRankRepository', () => {
  // Statement counts below: behind PgBouncer before 1.21, counted unnamed (see statement-budget.spec.ts).
  const t = useTestDatabase({ deleteGuilds: 'afterEach', ...(behindPooler() ? { preparedStatements: false } : {}) });
  const { newGuild, countStatements } = t;

  describe('createRank', () => {
    it('creates a rank and the missing guild row in one statement', async () => {
      const guildId = newGuild();
      const { result, statements } = await countStatements(() => t.db.permissionRanks.createRank(guildId, 3, 'Moderator', 'Kicks and bans'));
      expect(statements).to.have.length(1);
      expect(result).to.deep.include({ guildId, rank: 3, name: 'Moderator', description: 'Kicks and bans' });
      expect(result.permissionRankId).to.be.a('string');
      expect(await t.db.guild.exists({ filters: { guildId } })).to.equal(true);
      expect((await t.db.permissionRanks.createRank(guildId, 0, 'Member')).description).to.equal(null);
    });

    it('rejects a second rank with the same number or name with UniqueViolationError', async () => {
      const guildId = newGuild();
      await t.db.permissionRanks.createRank(guildId, 1, 'Trusted');
      const byNumber = await t.db.permissionRanks.createRank(guildId, 1, 'Other').catch((e: unknown) => e);
      expect(byNumber).to.be.instanceOf(UniqueViolationError);
      expect((byNumber as UniqueViolationError).constraint).to.equal('uq_permission_ranks_guild_rank');
      const byName = await t.db.permissionRanks.createRank(guildId, 2, 'Trusted').catch((e: unknown) => e);
      expect((byName as UniqueViolationError).constraint).to.equal('uq_permission_ranks_guild_name');
    });

    it('rejects a rank outside 0–10 or an empty name with ValidationError', async () => {
      const guildId = newGuild();
      await expect(t.db.permissionRanks.createRank(guildId, 11, 'Too high')).to.be.rejectedWith(ValidationError, /rank/);
      await expect(t.db.permissionRanks.createRank(guildId, -1, 'Too low')).to.be.rejectedWith(ValidationError, /rank/);
      await expect(t.db.permissionRanks.createRank(guildId, 2.5, 'Fraction')).to.be.rejectedWith(ValidationError, /rank/);
      await expect(t.db.permissionRanks.createRank(guildId, 2, '')).to.be.rejectedWith(ValidationError, /name/);
      expect(await t.db.guild.exists({ filters: { guildId } })).to.equal(false);
    });
  });

  describe('reading', () => {
    it('getRanks lists a guild’s ranks lowest first; getRank finds one or returns null', async () => {
      const [guildId, other] = [newGuild(), newGuild()];
      for (const [rank, name] of [[5, 'Admin'], [0, 'Member'], [3, 'Mod']] as const) await t.db.permissionRanks.createRank(guildId, rank, name);
      await t.db.permissionRanks.createRank(other, 1, 'Elsewhere');
      expect((await t.db.permissionRanks.getRanks(guildId)).map((r) => r.rank)).to.deep.equal([0, 3, 5]);
      expect((await t.db.permissionRanks.getRank(guildId, 3))?.name).to.equal('Mod');
      expect(await t.db.permissionRanks.getRank(guildId, 4)).to.equal(null);
      expect(await t.db.permissionRanks.getRanks(newGuild())).to.deep.equal([]);
    });
  });

  describe('updateRank', () => {
    it('changes name, description or number, and returns null for a missing rank', async () => {
      const guildId = newGuild();
      const created = await t.db.permissionRanks.createRank(guildId, 2, 'Junior');
      const updated = await t.db.permissionRanks.updateRank(guildId, 2, { name: 'Junior Moderator', description: 'Learning' });
      expect(updated).to.deep.include({ rank: 2, name: 'Junior Moderator', description: 'Learning' });
      expect(updated?.updatedAt.getTime()).to.be.at.least(created.updatedAt.getTime());
      expect((await t.db.permissionRanks.updateRank(guildId, 2, { rank: 4 }))?.rank).to.equal(4);
      expect(await t.db.permissionRanks.updateRank(guildId, 2, { name: 'x' })).to.equal(null);
      expect((await t.db.permissionRanks.updateRank(guildId, 4, { description: null }))?.description).to.equal(null);
    });

    it('rejects unknown fields, an empty patch, bad values and a taken number', async () => {
      const guildId = newGuild();
      await t.db.permissionRanks.createRank(guildId, 1, 'One');
      await t.db.permissionRanks.createRank(guildId, 2, 'Two');
      await expect(t.db.permissionRanks.updateRank(guildId, 1, { guildId: '5' } as never)).to.be.rejectedWith(ValidationError, /guildId/);
      await expect(t.db.permissionRanks.updateRank(guildId, 1, {})).to.be.rejectedWith(ValidationError);
      await expect(t.db.permissionRanks.updateRank(guildId, 1, { rank: 42 })).to.be.rejectedWith(ValidationError, /rank/);
      await expect(t.db.permissionRanks.updateRank(guildId, 1, { rank: 2 })).to.be.rejectedWith(UniqueViolationError);
    });
  });

  describe('deleteRank', () => {
    it('deletes the rank and its role assignments, and reports whether it existed', async () => {
      const guildId = newGuild();
      await t.db.permissionRanks.createRank(guildId, 3, 'Mod');
      await t.db.permissionAssignments.assignRole(guildId, '555', 3);
      expect(await t.db.permissionRanks.deleteRank(guildId, 3)).to.equal(true);
      expect(await t.db.permissionRanks.deleteRank(guildId, 3)).to.equal(false);
      expect(await t.db.permissionAssignments.getAssignments(guildId)).to.deep.equal([]);
    });
  });
});
