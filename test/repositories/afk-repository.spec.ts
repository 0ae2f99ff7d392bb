import { expect } from 'chai';
import { CheckViolationError } from '../../src/errors/constraint-errors';
import { ValidationError } from '../../src/errors/validation-error';
import { randomSnowflake } from '../support/fixtures';
import { useTestDatabase } from '../support/test-database';

const HOUR = 3_600_000;

describe('AfkRepository', () => {
  const t = useTestDatabase({ poolSize: 20 });
  const { newGuild, countStatements } = t;

  describe('setMemberAfk', () => {
    it('marks a member AFK, creating the guild row, and returns the row with defaults', async () => {
      const guildId = newGuild();
      const userId = randomSnowflake();
      const afk = await t.db.afk.setMemberAfk({ userId, guildId, nickname: 'Tux', afkMessage: 'lunch' });
      expect(afk).to.include({ userId, guildId, nickname: 'Tux', afkMessage: 'lunch', until: null, enforced: false, permAfk: false });
      expect(afk.since).to.be.instanceOf(Date);
      expect(await t.db.guild.getGuildById(guildId)).to.not.equal(null);
    });

    it('sends exactly one statement, even for a guild without a row', async () => {
      const guildId = newGuild();
      const userId = randomSnowflake();
      expect((await countStatements(() => t.db.afk.setMemberAfk({ userId, guildId, afkMessage: 'a' }))).statements).to.have.length(1);
      expect((await countStatements(() => t.db.afk.setMemberAfk({ userId, guildId, afkMessage: 'b' }))).statements).to.have.length(1);
    });

    it('replaces an earlier AFK of the same member entirely', async () => {
      const guildId = newGuild();
      const userId = randomSnowflake();
      const since = new Date(Date.now() - HOUR);
      await t.db.afk.setMemberAfk({ userId, guildId, nickname: 'old', afkMessage: 'first', since, until: new Date(Date.now() + HOUR), enforced: true });
      const second = await t.db.afk.setMemberAfk({ userId, guildId, afkMessage: 'second', permAfk: true });
      expect(second).to.include({ nickname: null, afkMessage: 'second', until: null, enforced: false, permAfk: true });
      expect(second.since.getTime()).to.be.greaterThan(since.getTime());
      expect(await t.db.afk.count({ filters: { guildId } })).to.equal(1);
    });

    it('keeps the given since and until', async () => {
      const guildId = newGuild();
      const since = new Date('2024-05-01T12:00:00Z');
      const until = new Date(Date.now() + HOUR);
      const afk = await t.db.afk.setMemberAfk({ userId: randomSnowflake(), guildId, afkMessage: 'trip', since, until });
      expect(afk.since.toISOString()).to.equal(since.toISOString());
      expect(afk.until?.toISOString()).to.equal(until.toISOString());
    });

    it('accepts bigint ids and keeps every digit', async () => {
      const guildId = newGuild();
      const afk = await t.db.afk.setMemberAfk({ userId: 9223372036854775807n, guildId: BigInt(guildId), afkMessage: 'x' });
      expect(afk.userId).to.equal('9223372036854775807');
      expect(afk.guildId).to.equal(guildId);
    });

    it('rejects bad input with a ValidationError before any SQL', async () => {
      const guildId = newGuild();
      const userId = randomSnowflake();
      const { statements: sent } = await countStatements(async () => {
        await expect(t.db.afk.setMemberAfk({ userId, guildId } as never)).to.be.rejectedWith(ValidationError, /afkMessage/);
        await expect(t.db.afk.setMemberAfk({ userId: '0', guildId, afkMessage: 'x' })).to.be.rejectedWith(ValidationError, /userId/);
        await expect(t.db.afk.setMemberAfk({ userId, guildId, afkMessage: 'x'.repeat(501) })).to.be.rejectedWith(ValidationError, /afkMessage/);
        await expect(t.db.afk.setMemberAfk({ userId, guildId, afkMessage: 'x', nickname: 'n'.repeat(101) })).to.be.rejectedWith(ValidationError, /nickname/);
        await expect(t.db.afk.setMemberAfk({ userId, guildId, afkMessage: 'x', until: new Date(Date.now() - HOUR) })).to.be.rejectedWith(ValidationError, /until/);
        await expect(t.db.afk.setMemberAfk({ userId, guildId, afkMessage: 'x', until: new Date(Date.now() + HOUR), permAfk: true })).to.be.rejectedWith(ValidationError, /until/);
        await expect(t.db.afk.setMemberAfk({ userId, guildId, afkMessage: 'x', enforced: 'yes' as never })).to.be.rejectedWith(ValidationError, /enforced/);
        await expect(t.db.afk.setMemberAfk({ userId, guildId, afkMessage: 'x', mood: 'sleepy' } as never)).to.be.rejectedWith(ValidationError, /mood/);
      });
      expect(sent).to.have.length(0);
    });
  });

  describe('isMemberAfk and getAfkByMember', () => {
    it('report a member who is AFK', async () => {
      const guildId = newGuild();
      const userId = randomSnowflake();
      await t.db.afk.setMemberAfk({ userId, guildId, afkMessage: 'gone' });
      expect(await t.db.afk.isMemberAfk(userId, guildId)).to.equal(true);
      expect(await t.db.afk.getAfkByMember(userId, guildId)).to.include({ afkMessage: 'gone' });
    });

    it('report a member who is not AFK, including one AFK only in another guild', async () => {
      const guildId = newGuild();
      const otherGuild = newGuild();
      const userId = randomSnowflake();
      await t.db.afk.setMemberAfk({ userId, guildId: otherGuild, afkMessage: 'elsewhere' });
      expect(await t.db.afk.isMemberAfk(userId, guildId)).to.equal(false);
      expect(await t.db.afk.getAfkByMember(userId, guildId)).to.equal(null);
    });

    it('reject bad ids with a ValidationError', async () => {
      await expect(t.db.afk.isMemberAfk('x', newGuild())).to.be.rejectedWith(ValidationError, /userId/);
      await expect(t.db.afk.getAfkByMember(randomSnowflake(), '-3')).to.be.rejectedWith(ValidationError, /guildId/);
    });
  });

  describe('removeMemberAfk', () => {
    it('removes an AFK and reports whether there was one', async () => {
      const guildId = newGuild();
      const userId = randomSnowflake();
      await t.db.afk.setMemberAfk({ userId, guildId, afkMessage: 'bye' });
      expect(await t.db.afk.removeMemberAfk(userId, guildId)).to.equal(true);
      expect(await t.db.afk.isMemberAfk(userId, guildId)).to.equal(false);
      expect(await t.db.afk.removeMemberAfk(userId, guildId)).to.equal(false);
    });

    it('rejects bad ids with a ValidationError', async () => {
      await expect(t.db.afk.removeMemberAfk(randomSnowflake(), '')).to.be.rejectedWith(ValidationError, /guildId/);
    });
  });

  describe('getAllAfkMembers', () => {
    it("lists the guild's AFK members only, longest AFK first", async () => {
      const guildId = newGuild();
      const [a, b] = [randomSnowflake(), randomSnowflake()];
      await t.db.afk.setMemberAfk({ userId: a, guildId, afkMessage: 'later', since: new Date(Date.now() - HOUR) });
      await t.db.afk.setMemberAfk({ userId: b, guildId, afkMessage: 'earlier', since: new Date(Date.now() - 2 * HOUR) });
      await t.db.afk.setMemberAfk({ userId: randomSnowflake(), guildId: newGuild(), afkMessage: 'elsewhere' });
      expect((await t.db.afk.getAllAfkMembers(guildId)).map((m) => m.userId)).to.deep.equal([b, a]);
    });

    it('rejects a bad id with a ValidationError', async () => {
      await expect(t.db.afk.getAllAfkMembers('1.5')).to.be.rejectedWith(ValidationError, /guildId/);
    });
  });

  describe('permanent and enforced AFK', () => {
    it('makes an AFK permanent, clearing its end, and temporary again', async () => {
      const guildId = newGuild();
      const userId = randomSnowflake();
      await t.db.afk.setMemberAfk({ userId, guildId, afkMessage: 'x', until: new Date(Date.now() + HOUR) });
      expect(await t.db.afk.isMemberPermAfk(userId, guildId)).to.equal(false);
      expect(await t.db.afk.setPermanentAfk(userId, guildId)).to.include({ permAfk: true, until: null });
      expect(await t.db.afk.isMemberPermAfk(userId, guildId)).to.equal(true);
      expect(await t.db.afk.setPermanentAfk(userId, guildId, false)).to.include({ permAfk: false });
      expect(await t.db.afk.isMemberPermAfk(userId, guildId)).to.equal(false);
    });

    it('marks an AFK enforced and not', async () => {
      const guildId = newGuild();
      const userId = randomSnowflake();
      await t.db.afk.setMemberAfk({ userId, guildId, afkMessage: 'x' });
      expect(await t.db.afk.setEnforced(userId, guildId)).to.include({ enforced: true });
      expect(await t.db.afk.setEnforced(userId, guildId, false)).to.include({ enforced: false });
    });

    it('returns null, and is not permanent, for a member who is not AFK', async () => {
      const guildId = newGuild();
      const userId = randomSnowflake();
      expect(await t.db.afk.isMemberPermAfk(userId, guildId)).to.equal(false);
      expect(await t.db.afk.setPermanentAfk(userId, guildId)).to.equal(null);
      expect(await t.db.afk.setEnforced(userId, guildId)).to.equal(null);
    });

    it('rejects a non-boolean flag with a ValidationError', async () => {
      await expect(t.db.afk.setEnforced(randomSnowflake(), newGuild(), 'yes' as never)).to.be.rejectedWith(ValidationError, /enforced/);
      await expect(t.db.afk.setPermanentAfk(randomSnowflake(), newGuild(), 1 as never)).to.be.rejectedWith(ValidationError, /permAfk/);
    });
  });

  describe('generic writes', () => {
    it('refuse an end before the start or on a permanent AFK, when the write gives both, before any SQL', async () => {
      const guildId = newGuild();
      const userId = randomSnowflake();
      const since = new Date(Date.now() - HOUR);
      await t.db.afk.setMemberAfk({ userId, guildId, afkMessage: 'away', since });
      const before = new Date(since.getTime() - HOUR);
      const { statements: sent } = await countStatements(async () => {
        await expect(t.db.afk.create({ userId: randomSnowflake(), guildId, afkMessage: 'x', since, until: before })).to.be.rejectedWith(ValidationError, /until must be after since/);
        await expect(t.db.afk.create({ userId: randomSnowflake(), guildId, afkMessage: 'x', until: before })).to.be.rejectedWith(ValidationError, /until must be after now/);
        await expect(t.db.afk.updateById({ userId, guildId }, { since, until: before })).to.be.rejectedWith(ValidationError, /until must be after since/);
        await expect(t.db.afk.updateById({ userId, guildId }, { permAfk: true, until: new Date(Date.now() + HOUR) })).to.be.rejectedWith(ValidationError, /until must be null for a permanent AFK/);
        await expect(t.db.afk.updateWhere({ filters: { guildId }, values: { permAfk: true, until: new Date(Date.now() + HOUR) } })).to.be.rejectedWith(ValidationError, /permanent/);
      });
      expect(sent).to.have.length(0);
      expect(await t.db.afk.getAfkByMember(userId, guildId)).to.include({ until: null, permAfk: false });
    });

    it('leave an end written alone on a permanent AFK to the table, which refuses it with a CheckViolationError', async () => {
      const guildId = newGuild();
      const userId = randomSnowflake();
      await t.db.afk.setMemberAfk({ userId, guildId, afkMessage: 'away', permAfk: true });
      const error = await t.db.afk.updateById({ userId, guildId }, { until: new Date(Date.now() + HOUR) }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(CheckViolationError);
      expect(error).to.include({ constraint: 'afk_permanent_without_until', table: 'afk' });
      expect(await t.db.afk.getAfkByMember(userId, guildId)).to.include({ permAfk: true, until: null });
    });

    it('clear the end of an AFK they make permanent, as setPermanentAfk does', async () => {
      const guildId = newGuild();
      const userId = randomSnowflake();
      await t.db.afk.setMemberAfk({ userId, guildId, afkMessage: 'away', until: new Date(Date.now() + HOUR) });
      expect(await t.db.afk.updateById({ userId, guildId }, { permAfk: true })).to.include({ permAfk: true, until: null });
    });
  });

  describe('getExpiredAfkMembers', () => {
    it('returns temporary AFKs whose end has passed, never permanent or open-ended ones', async () => {
      const guildId = newGuild();
      const [expired, running, open, permanent] = [randomSnowflake(), randomSnowflake(), randomSnowflake(), randomSnowflake()];
      const since = new Date(Date.now() - 3 * HOUR);
      await t.db.afk.setMemberAfk({ userId: expired, guildId, afkMessage: 'x', since, until: new Date(Date.now() - HOUR) });
      await t.db.afk.setMemberAfk({ userId: running, guildId, afkMessage: 'x', since, until: new Date(Date.now() + HOUR) });
      await t.db.afk.setMemberAfk({ userId: open, guildId, afkMessage: 'x', since });
      await t.db.afk.setMemberAfk({ userId: permanent, guildId, afkMessage: 'x', since, permAfk: true });
      expect((await t.db.afk.getExpiredAfkMembers(new Date(), guildId)).map((m) => m.userId)).to.deep.equal([expired]);
      const later = await t.db.afk.getExpiredAfkMembers(new Date(Date.now() + 2 * HOUR), guildId);
      expect(later.map((m) => m.userId)).to.deep.equal([expired, running]);
    });

    it('covers every guild when no guild is given', async () => {
      const [g1, g2] = [newGuild(), newGuild()];
      const [u1, u2] = [randomSnowflake(), randomSnowflake()];
      const since = new Date(Date.now() - 3 * HOUR);
      await t.db.afk.setMemberAfk({ userId: u1, guildId: g1, afkMessage: 'x', since, until: new Date(Date.now() - 2 * HOUR) });
      await t.db.afk.setMemberAfk({ userId: u2, guildId: g2, afkMessage: 'x', since, until: new Date(Date.now() - HOUR) });
      const ids = (await t.db.afk.getExpiredAfkMembers()).map((m) => m.userId);
      expect(ids).to.include.members([u1, u2]);
    });

    it('rejects a bad date or id with a ValidationError', async () => {
      await expect(t.db.afk.getExpiredAfkMembers(new Date('nope'))).to.be.rejectedWith(ValidationError, /until/);
      await expect(t.db.afk.getExpiredAfkMembers(new Date(), 'g')).to.be.rejectedWith(ValidationError, /guildId/);
    });
  });
});
