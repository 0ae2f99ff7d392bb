import { expect } from 'chai';
import { ValidationError } from '../../src/errors/validation-error';
import { DEFAULT_LEVEL_FORMULA, levelFormulaSamples, MAX_LEVEL, MAX_XP, squareRootLevelFormula, tuxLevelFormula, type LevelFormula } from '../../src/entities/level-formula';
import type { DatabaseCoordinator } from '../../src/coordinator';
import { openTestDatabase, randomSnowflake } from '../support/fixtures';
import { useTestDatabase } from '../support/test-database';

describe('LevelsRepository', () => {
  const t = useTestDatabase({ poolSize: 20 });
  const { newGuild, countStatements } = t;

  describe('addXp', () => {
    it('creates the guild and member rows for a new member and reports the new XP and level', async () => {
      const guildId = newGuild();
      const userId = randomSnowflake();
      const result = await t.db.levels.addXp(userId, guildId, 30);
      expect(result).to.deep.equal({ xp: 30, level: 1, previousLevel: 0, levelUp: true, awarded: true });
      expect(await t.db.guild.getGuildById(guildId)).to.not.equal(null);
      expect(await t.db.levels.getById({ userId, guildId })).to.include({ xp: 30, level: 1, blacklisted: false });
    });

    it('adds to the stored XP and reports a level-up only when the level rises', async () => {
      const guildId = newGuild();
      const userId = randomSnowflake();
      // Tux's default formula: level 1 at 20 XP, level 3 at 180.
      await t.db.levels.addXp(userId, guildId, 10);
      expect(await t.db.levels.addXp(userId, guildId, 5)).to.deep.equal({ xp: 15, level: 0, previousLevel: 0, levelUp: false, awarded: true });
      expect(await t.db.levels.addXp(userId, guildId, 5)).to.deep.equal({ xp: 20, level: 1, previousLevel: 0, levelUp: true, awarded: true });
      expect(await t.db.levels.addXp(userId, guildId, 160)).to.deep.equal({ xp: 180, level: 3, previousLevel: 1, levelUp: true, awarded: true });
    });

    it('keeps fractional XP', async () => {
      const guildId = newGuild();
      const userId = randomSnowflake();
      await t.db.levels.addXp(userId, guildId, 0.5);
      expect((await t.db.levels.addXp(userId, guildId, 0.25)).xp).to.equal(0.75);
    });

    it('sends exactly one statement, for a new member and an existing one', async () => {
      const guildId = newGuild();
      const userId = randomSnowflake();
      expect((await countStatements(() => t.db.levels.addXp(userId, guildId, 10))).statements).to.have.length(1);
      expect((await countStatements(() => t.db.levels.addXp(userId, guildId, 10))).statements).to.have.length(1);
      expect((await countStatements(() => t.db.levels.addXp(userId, guildId, 10, { cooldownSeconds: 60 }))).statements).to.have.length(1);
    });

    it('reads the level before from RETURNING old on PostgreSQL 18 and later, from a locked read before that', async () => {
      const major = t.db.service.serverMajorVersion();
      expect(major).to.be.at.least(15);
      const { statements } = await countStatements(() => t.db.levels.addXp(randomSnowflake(), newGuild(), 10));
      if (major >= 18) {
        expect(statements[0]).to.include('old."level"').and.not.include('FOR UPDATE');
      } else {
        expect(statements[0]).to.include('FOR UPDATE').and.not.include('old."level"');
      }
    });

    it('gives exactly 1000 XP from 100 concurrent calls of 10, reporting each level-up once', async () => {
      const guildId = newGuild();
      const userId = randomSnowflake();
      const results = await Promise.all(Array.from({ length: 100 }, () => t.db.levels.addXp(userId, guildId, 10)));
      expect(await t.db.levels.getById({ userId, guildId })).to.include({ xp: 1000, level: 7 });
      expect(results.filter((r) => r.levelUp).map((r) => r.level).sort()).to.deep.equal([1, 2, 3, 4, 5, 6, 7]);
      expect(results.map((r) => r.xp).sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 100 }, (_, i) => (i + 1) * 10));
    });

    it('gives a blacklisted member nothing and reports the unchanged XP', async () => {
      const guildId = newGuild();
      const userId = randomSnowflake();
      await t.db.levels.setXp(userId, guildId, 380);
      await t.db.levels.blacklist(userId, guildId);
      expect(await t.db.levels.addXp(userId, guildId, 50)).to.deep.equal({ xp: 380, level: 4, previousLevel: 4, levelUp: false, awarded: false });
      expect(await t.db.levels.getXp(userId, guildId)).to.equal(380);
    });

    it('respects a cooldown given as an option, measured from the last XP-earning message', async () => {
      const guildId = newGuild();
      const userId = randomSnowflake();
      const t0 = new Date('2024-05-01T12:00:00Z');
      expect((await t.db.levels.addXp(userId, guildId, 10, { cooldownSeconds: 60, now: t0 })).awarded).to.equal(true);
      const early = await t.db.levels.addXp(userId, guildId, 10, { cooldownSeconds: 60, now: new Date(t0.getTime() + 59_000) });
      expect(early).to.include({ xp: 10, awarded: false, levelUp: false });
      const onTime = await t.db.levels.addXp(userId, guildId, 10, { cooldownSeconds: 60, now: new Date(t0.getTime() + 60_000) });
      expect(onTime).to.include({ xp: 20, awarded: true });
      expect((await t.db.levels.getById({ userId, guildId }))?.lastMessage.getTime()).to.equal(t0.getTime() + 60_000);
    });

    it('takes no lock and writes nothing for a message on cooldown or of a blacklisted member', async () => {
      const guildId = newGuild();
      const [cooling, banned] = [randomSnowflake(), randomSnowflake()];
      await t.db.levels.addXp(cooling, guildId, 10);
      await t.db.levels.blacklist(banned, guildId);
      for (const userId of [cooling, banned]) {
        // Inside a unit, so the transaction id is the unit's to ask for: none is assigned by a statement that wrote nothing.
        const xid = await t.db.transaction(async () => {
          expect((await t.db.levels.addXp(userId, guildId, 10, { cooldownSeconds: 60 })).awarded).to.equal(false);
          return (await t.db.service.query<{ xid: string | null }>('SELECT pg_current_xact_id_if_assigned()::text AS xid', [])).rows[0]!.xid;
        });
        expect(xid, userId === cooling ? 'on cooldown' : 'blacklisted').to.equal(null);
      }
      const awarded = await t.db.transaction(async () => {
        await t.db.levels.addXp(randomSnowflake(), guildId, 10, { cooldownSeconds: 60 });
        return (await t.db.service.query<{ xid: string | null }>('SELECT pg_current_xact_id_if_assigned()::text AS xid', [])).rows[0]!.xid;
      });
      expect(awarded, 'an award writes').to.be.a('string');
    });

    it('ignores the last message when no cooldown is given', async () => {
      const guildId = newGuild();
      const userId = randomSnowflake();
      const now = new Date();
      await t.db.levels.addXp(userId, guildId, 10, { now });
      expect(await t.db.levels.addXp(userId, guildId, 10, { now })).to.include({ xp: 20, awarded: true });
    });

    it('awards only one of 20 concurrent messages inside one cooldown window', async () => {
      const guildId = newGuild();
      const userId = randomSnowflake();
      const t0 = new Date('2024-05-01T12:00:00Z');
      await t.db.levels.addXp(userId, guildId, 10, { now: t0 });
      const later = new Date(t0.getTime() + 120_000);
      const results = await Promise.all(Array.from({ length: 20 }, () => t.db.levels.addXp(userId, guildId, 10, { cooldownSeconds: 60, now: later })));
      expect(results.filter((r) => r.awarded)).to.have.length(1);
      expect(await t.db.levels.getXp(userId, guildId)).to.equal(20);
    });

    it('rejects bad input with a ValidationError before any SQL', async () => {
      const guildId = newGuild();
      const userId = randomSnowflake();
      const { statements: sent } = await countStatements(async () => {
        await expect(t.db.levels.addXp(userId, guildId, -1)).to.be.rejectedWith(ValidationError, /amount/);
        await expect(t.db.levels.addXp(userId, guildId, Number.NaN)).to.be.rejectedWith(ValidationError, /amount/);
        await expect(t.db.levels.addXp(userId, guildId, Infinity)).to.be.rejectedWith(ValidationError, /amount/);
        await expect(t.db.levels.addXp(userId, guildId, '10' as never)).to.be.rejectedWith(ValidationError, /amount/);
        await expect(t.db.levels.addXp(userId, guildId, 1e16)).to.be.rejectedWith(ValidationError, /amount/);
        await expect(t.db.levels.addXp(userId, guildId, 1e-320)).to.be.rejectedWith(ValidationError, /amount/);
        await expect(t.db.levels.addXp('0', guildId, 1)).to.be.rejectedWith(ValidationError, /userId/);
        await expect(t.db.levels.addXp(userId, 'abc', 1)).to.be.rejectedWith(ValidationError, /guildId/);
        await expect(t.db.levels.addXp(userId, guildId, 1, { cooldownSeconds: -5 })).to.be.rejectedWith(ValidationError, /cooldownSeconds/);
        await expect(t.db.levels.addXp(userId, guildId, 1, { now: new Date('x') })).to.be.rejectedWith(ValidationError, /now/);
      });
      expect(sent).to.have.length(0);
    });

    it('saturates XP at MAX_XP, so every stored XP has a level levelFor takes', async () => {
      const guildId = newGuild();
      const userId = randomSnowflake();
      await t.db.levels.setXp(userId, guildId, MAX_XP);
      const award = await t.db.levels.addXp(userId, guildId, MAX_XP);
      expect(award).to.include({ xp: MAX_XP, awarded: true, levelUp: false });
      expect(await t.db.levels.getXp(userId, guildId)).to.equal(MAX_XP);
      expect(t.db.levels.levelFor(MAX_XP)).to.equal(award.level);
    });
  });

  describe('setXp, setLevel and resetXp', () => {
    it('sets XP and the level that follows from it, creating the rows when missing', async () => {
      const guildId = newGuild();
      const userId = randomSnowflake();
      expect(await t.db.levels.setXp(userId, guildId, 2_500)).to.include({ xp: 2_500, level: 11 });
      expect(await t.db.levels.setXp(userId, guildId, 19)).to.include({ xp: 19, level: 0 });
    });

    it('puts a member at the start of a level', async () => {
      const guildId = newGuild();
      const userId = randomSnowflake();
      expect(await t.db.levels.setLevel(userId, guildId, 7)).to.include({ xp: 980, level: 7 });
      expect(await t.db.levels.getLevel(userId, guildId)).to.equal(7);
    });

    it('resets XP and level to zero, or returns null for a member without a row', async () => {
      const guildId = newGuild();
      const userId = randomSnowflake();
      expect(await t.db.levels.resetXp(userId, guildId)).to.equal(null);
      await t.db.levels.setXp(userId, guildId, 1_000);
      expect(await t.db.levels.resetXp(userId, guildId)).to.include({ xp: 0, level: 0 });
    });

    it('reads 0 XP and level 0 for a member without a row', async () => {
      const guildId = newGuild();
      const userId = randomSnowflake();
      expect(await t.db.levels.getXp(userId, guildId)).to.equal(0);
      expect(await t.db.levels.getLevel(userId, guildId)).to.equal(0);
    });

    it('rejects bad XP or levels with a ValidationError before any SQL', async () => {
      const guildId = newGuild();
      const userId = randomSnowflake();
      const { statements: sent } = await countStatements(async () => {
        await expect(t.db.levels.setXp(userId, guildId, -0.5)).to.be.rejectedWith(ValidationError, /xp/);
        await expect(t.db.levels.setXp(userId, guildId, Number.NaN)).to.be.rejectedWith(ValidationError, /xp/);
        await expect(t.db.levels.setLevel(userId, guildId, -1)).to.be.rejectedWith(ValidationError, /level/);
        await expect(t.db.levels.setLevel(userId, guildId, 1.5)).to.be.rejectedWith(ValidationError, /level/);
        await expect(t.db.levels.resetXp(userId, '0')).to.be.rejectedWith(ValidationError, /guildId/);
      });
      expect(sent).to.have.length(0);
    });
  });

  describe('generic writes', () => {
    it('store the level that follows from the XP they write, on every write path', async () => {
      const guildId = newGuild();
      const [a, b, c, d, e] = [randomSnowflake(), randomSnowflake(), randomSnowflake(), randomSnowflake(), randomSnowflake()];
      // Tux's default formula: level 2 at 80 XP, 5 at 500, 10 at 2000.
      expect(await t.db.levels.create({ userId: a, guildId, xp: 500 })).to.include({ xp: 500, level: 5 });
      const many = await t.db.levels.createMany([{ userId: b, guildId, xp: 80 }, { userId: c, guildId }]);
      expect(many.map((r) => r.level)).to.deep.equal([2, 0]);
      expect(await t.db.levels.updateById({ userId: c, guildId }, { xp: 2_000 })).to.include({ xp: 2_000, level: 10 });
      await t.db.levels.bulkUpdate([{ id: { userId: b, guildId }, values: { xp: 500 } }]);
      const [upserted] = await t.db.levels.upsert({ filters: { userId: d, guildId }, values: { xp: 80 } });
      expect(upserted).to.include({ level: 2 });
      const [created] = await t.db.levels.getOrCreate({ userId: e, guildId }, { xp: 500 });
      expect(created).to.include({ level: 5 });
      expect(await t.db.levels.updateWhere({ filters: { guildId, userId: { in: [a, d] } }, values: { xp: 20 } })).to.equal(2);
      const stored = await t.db.levels.findAll({ filters: { guildId }, orderBy: { xp: 'ASC' } });
      for (const row of stored) expect(row.level, `${row.xp} XP`).to.equal(t.db.levels.levelFor(row.xp));
      expect(stored.map((r) => r.level).sort()).to.deep.equal([1, 1, 10, 5, 5]);
    });

    it('store a level given with the XP as given, as Tux\'s update_xp_and_level does, and addXp recomputes it', async () => {
      const guildId = newGuild();
      const userId = randomSnowflake();
      await t.db.levels.setXp(userId, guildId, 80);
      expect(await t.db.levels.updateById({ userId, guildId }, { xp: 100, level: 5 })).to.include({ xp: 100, level: 5 });
      expect(await t.db.levels.updateById({ userId, guildId }, { level: 7 })).to.include({ xp: 100, level: 7 });
      expect(await t.db.levels.addXp(userId, guildId, 80)).to.include({ xp: 180, level: 3, previousLevel: 7 });
    });

    it('refuse XP setXp refuses, before any SQL', async () => {
      const guildId = newGuild();
      const userId = randomSnowflake();
      await t.db.levels.setXp(userId, guildId, 80);
      const { statements: sent } = await countStatements(async () => {
        await expect(t.db.levels.updateById({ userId, guildId }, { xp: MAX_XP * 2 })).to.be.rejectedWith(ValidationError, /xp/);
        await expect(t.db.levels.updateById({ userId, guildId }, { xp: MAX_XP * 2, level: 3 })).to.be.rejectedWith(ValidationError, /xp/);
        await expect(t.db.levels.createMany([{ userId: randomSnowflake(), guildId, xp: 1e-9 }])).to.be.rejectedWith(ValidationError, /\[0\]\.xp/);
      });
      expect(sent).to.have.length(0);
      expect(await t.db.levels.getById({ userId, guildId })).to.include({ xp: 80, level: 2 });
    });

    it('follow the formula the database was opened with', async () => {
      const db = await openTestDatabase({ levelFormula: squareRootLevelFormula(100), poolSize: 2 });
      try {
        const guildId = newGuild();
        expect(await db.levels.create({ userId: randomSnowflake(), guildId, xp: 900 })).to.include({ level: 3 });
      } finally {
        await db.close();
      }
    });
  });

  describe('blacklist', () => {
    it('blacklists a member without a row and unblacklists them', async () => {
      const guildId = newGuild();
      const userId = randomSnowflake();
      expect(await t.db.levels.isBlacklisted(userId, guildId)).to.equal(false);
      expect(await t.db.levels.blacklist(userId, guildId)).to.include({ blacklisted: true, xp: 0 });
      expect(await t.db.levels.isBlacklisted(userId, guildId)).to.equal(true);
      expect(await t.db.levels.unblacklist(userId, guildId)).to.include({ blacklisted: false });
      expect(await t.db.levels.isBlacklisted(userId, guildId)).to.equal(false);
    });

    it('returns null when unblacklisting a member without a row', async () => {
      expect(await t.db.levels.unblacklist(randomSnowflake(), newGuild())).to.equal(null);
    });

    it('keeps XP when blacklisting', async () => {
      const guildId = newGuild();
      const userId = randomSnowflake();
      await t.db.levels.setXp(userId, guildId, 400);
      expect(await t.db.levels.blacklist(userId, guildId)).to.include({ xp: 400, level: 4, blacklisted: true });
    });

    it('toggles atomically: 10 concurrent toggles leave the flag where it started', async () => {
      const guildId = newGuild();
      const userId = randomSnowflake();
      expect(await t.db.levels.toggleBlacklist(userId, guildId)).to.equal(true);
      expect(await t.db.levels.toggleBlacklist(userId, guildId)).to.equal(false);
      const states = await Promise.all(Array.from({ length: 10 }, () => t.db.levels.toggleBlacklist(userId, guildId)));
      expect(states.filter((s) => s)).to.have.length(5);
      expect(await t.db.levels.isBlacklisted(userId, guildId)).to.equal(false);
    });

    it('rejects bad ids with a ValidationError', async () => {
      await expect(t.db.levels.blacklist('x', newGuild())).to.be.rejectedWith(ValidationError, /userId/);
      await expect(t.db.levels.toggleBlacklist(randomSnowflake(), '0')).to.be.rejectedWith(ValidationError, /guildId/);
      await expect(t.db.levels.isBlacklisted(randomSnowflake(), 1.5 as never)).to.be.rejectedWith(ValidationError, /guildId/);
    });
  });

  describe('getMemberRank', () => {
    it('ranks by XP, most first, with ties sharing a rank', async () => {
      const guildId = newGuild();
      const [a, b, c, d] = [randomSnowflake(), randomSnowflake(), randomSnowflake(), randomSnowflake()];
      await t.db.levels.setXp(a, guildId, 500);
      await t.db.levels.setXp(b, guildId, 300);
      await t.db.levels.setXp(c, guildId, 300);
      await t.db.levels.setXp(d, guildId, 10);
      const ranks = await Promise.all([a, b, c, d].map((u) => t.db.levels.getMemberRank(u, guildId)));
      expect(ranks).to.deep.equal([1, 2, 2, 4]);
    });

    it('leaves blacklisted members out, and ranks them null', async () => {
      const guildId = newGuild();
      const [top, second, third] = [randomSnowflake(), randomSnowflake(), randomSnowflake()];
      await t.db.levels.setXp(top, guildId, 900);
      await t.db.levels.setXp(second, guildId, 500);
      await t.db.levels.setXp(third, guildId, 100);
      await t.db.levels.blacklist(top, guildId);
      expect(await t.db.levels.getMemberRank(top, guildId)).to.equal(null);
      expect(await t.db.levels.getMemberRank(second, guildId)).to.equal(1);
      expect(await t.db.levels.getMemberRank(third, guildId)).to.equal(2);
    });

    it('is null for a member without a row, and counts only the same guild', async () => {
      const guildId = newGuild();
      const userId = randomSnowflake();
      expect(await t.db.levels.getMemberRank(userId, guildId)).to.equal(null);
      await t.db.levels.setXp(randomSnowflake(), newGuild(), 10_000);
      await t.db.levels.setXp(userId, guildId, 1);
      expect(await t.db.levels.getMemberRank(userId, guildId)).to.equal(1);
    });

    it('rejects bad ids with a ValidationError', async () => {
      await expect(t.db.levels.getMemberRank('', newGuild())).to.be.rejectedWith(ValidationError, /userId/);
    });
  });

  describe('leaderboard', () => {
    it('pages through non-blacklisted members by XP, most first', async () => {
      const guildId = newGuild();
      const users = Array.from({ length: 5 }, () => randomSnowflake());
      await Promise.all(users.map((u, i) => t.db.levels.setXp(u, guildId, (i + 1) * 100)));
      await t.db.levels.blacklist(users[4] as string, guildId);
      const first = await t.db.levels.leaderboard(guildId, 1, 3);
      expect(first.items.map((l) => l.userId)).to.deep.equal([users[3], users[2], users[1]]);
      expect(first).to.include({ total: 4, page: 1, perPage: 3, pages: 2, hasNext: true, hasPrev: false });
      const second = await t.db.levels.leaderboard(guildId, 2, 3);
      expect(second.items.map((l) => l.userId)).to.deep.equal([users[0]]);
    });

    it('rejects a bad page or guild with a ValidationError', async () => {
      await expect(t.db.levels.leaderboard(newGuild(), 0)).to.be.rejectedWith(ValidationError, /page/);
      await expect(t.db.levels.leaderboard(newGuild(), 1, 1001)).to.be.rejectedWith(ValidationError, /perPage/);
      await expect(t.db.levels.leaderboard('g')).to.be.rejectedWith(ValidationError, /guildId/);
    });
  });

  describe('isOnCooldown', () => {
    it('is true within the cooldown after an XP-earning message and false after it', async () => {
      const guildId = newGuild();
      const userId = randomSnowflake();
      const t0 = new Date('2024-05-01T12:00:00Z');
      await t.db.levels.addXp(userId, guildId, 10, { now: t0 });
      expect(await t.db.levels.isOnCooldown(userId, guildId, 60, new Date(t0.getTime() + 30_000))).to.equal(true);
      expect(await t.db.levels.isOnCooldown(userId, guildId, 60, new Date(t0.getTime() + 60_000))).to.equal(false);
      expect(await t.db.levels.isOnCooldown(userId, guildId, 0, t0)).to.equal(false);
    });

    it('is false for a member without a row', async () => {
      expect(await t.db.levels.isOnCooldown(randomSnowflake(), newGuild(), 60)).to.equal(false);
    });

    it('rejects a negative cooldown or a bad date with a ValidationError', async () => {
      await expect(t.db.levels.isOnCooldown(randomSnowflake(), newGuild(), -1)).to.be.rejectedWith(ValidationError, /cooldownSeconds/);
      await expect(t.db.levels.isOnCooldown(randomSnowflake(), newGuild(), Number.NaN)).to.be.rejectedWith(ValidationError, /cooldownSeconds/);
      await expect(t.db.levels.isOnCooldown(randomSnowflake(), newGuild(), 5, 'soon' as never)).to.be.rejectedWith(ValidationError, /now/);
    });
  });

  describe('level formula', () => {
    /** Runs `fn` on a database opened with `levelFormula`, closed afterwards. */
    async function withFormula<T>(levelFormula: LevelFormula, fn: (db: DatabaseCoordinator) => Promise<T>): Promise<T> {
      const db = await openTestDatabase({ levelFormula, poolSize: 2 });
      try {
        return await fn(db);
      } finally {
        await db.close();
      }
    }

    it('computes the same level in SQL as in JavaScript on every sample of the default formula', async () => {
      const samples = levelFormulaSamples();
      expect(samples.length).to.be.greaterThan(20_000);
      expect(await t.db.levels.verifyLevelFormula(samples)).to.deep.equal([]);
    });

    it('computes the same level in SQL as in JavaScript for other square-root bases', async () => {
      for (const base of [1, 7, 100, 500]) {
        expect(await withFormula(squareRootLevelFormula(base), (db) => db.levels.verifyLevelFormula()), `base ${base}`).to.deep.equal([]);
      }
    });

    it('computes the same level in SQL as in JavaScript for Tux\'s formula with other exponents, whole ones on their exact thresholds too', async function () {
      this.timeout(120_000);
      for (const exponent of [1, 3, 4, 1.5, 2.7, 0.5, 0.01, 100]) {
        expect(await withFormula(tuxLevelFormula(exponent), (db) => db.levels.verifyLevelFormula()), `exponent ${exponent}`).to.deep.equal([]);
      }
      // 2048 XP is level 8's threshold with exponent 3 (500 · 1.6³): setLevel stores it with the level levelFor gives.
      await withFormula(tuxLevelFormula(3), async (db) => {
        const guildId = newGuild();
        const set = await db.levels.setLevel(randomSnowflake(), guildId, 8);
        expect(set.level).to.equal(8);
        expect(db.levels.levelFor(set.xp)).to.equal(8);
        expect(db.levels.levelFor(set.xp - 1)).to.equal(7);
      });
    });

    it('reaches MAX_XP without overflow with a small exponent: the level stops at MAX_LEVEL', async () => {
      await withFormula(tuxLevelFormula(0.01), async (db) => {
        const guildId = newGuild();
        const userId = randomSnowflake();
        expect(await db.levels.setXp(userId, guildId, 1e6)).to.include({ level: MAX_LEVEL });
        expect(await db.levels.addXp(userId, guildId, 1e6)).to.include({ xp: 2e6, level: MAX_LEVEL });
        expect(db.levels.levelFor(MAX_XP)).to.equal(MAX_LEVEL);
      });
    });

    it('stores the level Tux computes (its calculate_level, exponent 2), on Tux\'s own boundaries', async () => {
      const guildId = newGuild();
      // xp → Tux's int((xp / 500) ** 0.5 * 5), including 172,980 XP, which Tux's rounding puts at level 92.
      for (const [xp, level] of [[19, 0], [20, 1], [80, 2], [500, 5], [2_000, 10], [172_980, 92], [172_981, 93]] as const) {
        expect(await t.db.levels.setXp(randomSnowflake(), guildId, xp), `${xp} XP`).to.include({ level });
      }
    });

    it('uses the levelFormula option for every write of that database, and the default elsewhere', async () => {
      const everyThousand: LevelFormula = {
        levelSql: (xp) => `floor((${xp}) / 1000) + 1`,
        levelFor: (xp) => Math.floor(xp / 1000) + 1,
      };
      const guildId = newGuild();
      const userId = randomSnowflake();
      await withFormula(everyThousand, async (db) => {
        expect(db.levels.levelFormula).to.equal(everyThousand);
        expect(await db.levels.addXp(userId, guildId, 500)).to.deep.equal({ xp: 500, level: 1, previousLevel: 1, levelUp: false, awarded: true });
        expect(await db.levels.addXp(userId, guildId, 500)).to.include({ level: 2, levelUp: true });
        expect(await db.levels.setLevel(userId, guildId, 5)).to.include({ xp: 4_000, level: 5 });
        expect(await db.levels.resetXp(userId, guildId)).to.include({ xp: 0, level: 1 });
        expect(db.levels.xpForLevel(3)).to.equal(2_000);
        expect(db.levels.levelFor(2_500)).to.equal(3);
        expect(await db.levels.verifyLevelFormula()).to.deep.equal([]);
      });
      expect(t.db.levels.levelFormula, 'another database keeps the default').to.equal(DEFAULT_LEVEL_FORMULA);
      expect(await t.db.levels.addXp(userId, guildId, 100)).to.include({ level: 2 });
    });

    it('reports the XP values where a formula disagrees with its SQL', async () => {
      const rounding: LevelFormula = { levelSql: (xp) => `floor((${xp}) / 10)`, levelFor: (xp) => Math.round(xp / 10) };
      const mismatches = await withFormula(rounding, (db) => db.levels.verifyLevelFormula([4, 5, 15, 16]));
      expect(mismatches).to.deep.equal([
        { xp: 5, sqlLevel: 0, jsLevel: 1 },
        { xp: 15, sqlLevel: 1, jsLevel: 2 },
        { xp: 16, sqlLevel: 1, jsLevel: 2 },
      ]);
    });

    it('rejects a levelFormula option without levelSql and levelFor with a ValidationError, before connecting', async () => {
      await expect(openTestDatabase({ levelFormula: { levelFor: () => 0 } as never })).to.be.rejectedWith(ValidationError, /formula/);
    });
  });
});
