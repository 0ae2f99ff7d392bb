import { expect } from 'chai';
import { DEFAULT_LEVEL_FORMULA, type LevelFormula } from '../../../src/entities/level-formula';
import { Levels } from '../../../src/entities/levels';
import { buildTableModel } from '../../../src/query/build-table-model';
import {
  addXpStatement,
  isBlacklistedStatement,
  isOnCooldownStatement,
  levelOf,
  memberRankStatement,
  resetXpStatement,
  setXpStatement,
  verifyLevelFormulaStatement,
  writeBlacklistStatement,
} from '../../../src/query/levels-statements';
import { compile, param, raw, sql } from '../../../src/query/sql';
import type { TableModel } from '../../../src/query/table-model';
import { entityMetadata } from '../../support/entity-metadata';
import { textAndValues } from './text-and-values';

// The default formula's SQL level of `xp`, as the statements write it.
const level = (xp: string): string => `LEAST(floor(sqrt(GREATEST((${xp})::double precision, 0) / 500::double precision) * 5::double precision), 2147483647)::int`;
const ENSURE_GUILD = '"ensure_guild" AS (INSERT INTO "guild" ("guild_id") VALUES ($2) ON CONFLICT ("guild_id") DO NOTHING)';
const USER = '1001';
const GUILD = '2002';
const NOW = new Date('2026-01-02T03:04:05Z');

describe('levels statements', () => {
  let levels: TableModel;
  before(async () => {
    levels = buildTableModel(await entityMetadata(Levels));
  });
  const returning = (): string => `RETURNING ${levels.selectList}`;

  describe('levelOf', () => {
    it('caps the formula’s level of the expression at 2147483647 as an int', () => {
      expect(textAndValues(compile(levelOf(DEFAULT_LEVEL_FORMULA, raw('0'))))).to.deep.equal({ text: level('0'), values: [] });
    });

    it('names the expression wherever the formula names the XP, a Param in it bound once', () => {
      const twice: LevelFormula = { levelSql: (xp) => `floor(${xp} / 1000) + floor(${xp} / 5000)`, levelFor: () => 0 };
      expect(textAndValues(compile(sql`SELECT ${levelOf(twice, sql`${param(250)}`)}`))).to.deep.equal({
        text: 'SELECT LEAST(floor(($1)::double precision / 1000) + floor(($1)::double precision / 5000), 2147483647)::int',
        values: [250],
      });
    });
  });

  describe('addXpStatement', () => {
    const values = { userId: USER, guildId: GUILD, amount: 15, now: NOW, cooldownSeconds: 60 };
    const awardable =
      'WHERE NOT "l"."blacklisted" AND ($5::double precision IS NULL OR "l"."last_message" <= EXCLUDED."last_message" - make_interval(secs => $5::double precision))';
    const newXp = 'LEAST("l"."xp" + EXCLUDED."xp", 1000000000000000::double precision)';
    const update = `ON CONFLICT ("user_id", "guild_id") DO UPDATE SET "xp" = ${newXp}, "level" = ${level(newXp)}, "last_message" = EXCLUDED."last_message"`;
    const insertInto = 'INSERT INTO "levels" AS "l" ("user_id", "guild_id", "xp", "level", "last_message")';
    const row = `$1, $2, $3::double precision, ${level('$3')}, $4::timestamptz`;
    // The member as the snapshot saw them, read without a lock: a blocked row (blacklisted, on cooldown) shuts the gate.
    const seen =
      `"seen" AS (SELECT "xp", "level", (NOT "s"."blacklisted" AND ($5::double precision IS NULL OR "s"."last_message" <= $4::timestamptz - make_interval(secs => $5::double precision))) IS NOT TRUE AS "blocked" ` +
      `FROM "levels" AS "s" WHERE "user_id" = $1 AND "guild_id" = $2)`;
    const open = 'NOT EXISTS (SELECT 1 FROM "seen" WHERE "blocked")';
    const result = (previous: string): string =>
      `"result" AS (SELECT COALESCE(a."xp", b."xp", s."xp") AS "xp", COALESCE(a."level", b."level", s."level") AS "level", (a."xp" IS NOT NULL) AS "awarded", ` +
      `CASE WHEN a."xp" IS NULL THEN COALESCE(b."level", s."level") WHEN a."inserted" THEN ${level('0')} ELSE ${previous} END AS "previousLevel" ` +
      `FROM (SELECT 1) AS "one" LEFT JOIN "seen" s ON true LEFT JOIN "before" b ON true LEFT JOIN "after" a ON true) ` +
      `SELECT "xp", "level", "previousLevel", "awarded", COALESCE("awarded" AND "level" > "previousLevel", false) AS "levelUp", pg_current_xact_id_if_assigned()::text AS "xid" FROM "result"`;

    it('reads the level before from RETURNING old on PostgreSQL 18 and later, binding each value once, and writes only past the gate', () => {
      expect(textAndValues(addXpStatement(levels, DEFAULT_LEVEL_FORMULA, values, true))).to.deep.equal({
        text:
          `WITH ${ENSURE_GUILD}, ${seen}, "before" AS (SELECT "xp", "level" FROM "seen"), ` +
          `"after" AS (${insertInto} SELECT ${row} WHERE ${open} ${update} ${awardable} ` +
          `RETURNING "l"."xp", "l"."level", old."level" AS "oldLevel", (old."xp" IS NULL) AS "inserted"), ${result('a."oldLevel"')}`,
        values: [USER, GUILD, 15, NOW, 60],
      });
    });

    it('locks the member’s row and reads it before the upsert on older servers, only past the gate', () => {
      expect(textAndValues(addXpStatement(levels, DEFAULT_LEVEL_FORMULA, values, false))).to.deep.equal({
        text:
          `WITH ${ENSURE_GUILD}, ${seen}, "before" AS (SELECT "xp", "level" FROM "levels" WHERE "user_id" = $1 AND "guild_id" = $2 AND ${open} FOR UPDATE), ` +
          `"after" AS (${insertInto} SELECT ${row} FROM (SELECT count(*) FROM "before") AS "locked" WHERE ${open} ${update} ${awardable} ` +
          `RETURNING "l"."xp", "l"."level", ("l"."xmax" = 0) AS "inserted"), ${result(`COALESCE(b."level", ${level('a."xp" - $3::double precision')})`)}`,
        values: [USER, GUILD, 15, NOW, 60],
      });
    });

    it('sends the same text without a cooldown, binding the cooldown as null', () => {
      for (const returnsOld of [true, false]) {
        const withCooldown = addXpStatement(levels, DEFAULT_LEVEL_FORMULA, values, returnsOld);
        const without = addXpStatement(levels, DEFAULT_LEVEL_FORMULA, { ...values, cooldownSeconds: null }, returnsOld);
        expect(without.text).to.equal(withCooldown.text);
        expect(without.values).to.deep.equal([USER, GUILD, 15, NOW, null]);
      }
    });

    it('binds each call’s own values and uses each formula’s own SQL, though the text is compiled once per shape', () => {
      const first = addXpStatement(levels, DEFAULT_LEVEL_FORMULA, values, false);
      const later = new Date('2026-05-06T07:08:09Z');
      const second = addXpStatement(levels, DEFAULT_LEVEL_FORMULA, { userId: '3003', guildId: '4004', amount: 0.5, now: later, cooldownSeconds: null }, false);
      expect(textAndValues(second)).to.deep.equal({ text: first.text, values: ['3003', '4004', 0.5, later, null] });
      const twice: LevelFormula = { levelSql: (xp) => `floor(${xp} / 1000) + floor(${xp} / 5000)`, levelFor: () => 0 };
      const other = addXpStatement(levels, twice, values, false);
      expect(other.text).to.include('LEAST(floor(($3)::double precision / 1000) + floor(($3)::double precision / 5000), 2147483647)::int').and.not.include('sqrt');
      expect(other.values).to.deep.equal([USER, GUILD, 15, NOW, 60]);
    });
  });

  it('setXpStatement upserts the XP and its level, creating the guild row', () => {
    expect(textAndValues(setXpStatement(levels, DEFAULT_LEVEL_FORMULA, { userId: USER, guildId: GUILD }, 900))).to.deep.equal({
      text:
        `WITH ${ENSURE_GUILD} INSERT INTO "levels" AS "l" ("user_id", "guild_id", "xp", "level") VALUES ($1, $2, $3::double precision, ${level('$3')}) ` +
        `ON CONFLICT ("user_id", "guild_id") DO UPDATE SET "xp" = EXCLUDED."xp", "level" = EXCLUDED."level" ${returning()}`,
      values: [USER, GUILD, 900],
    });
  });

  it('resetXpStatement sets XP 0 and the formula’s level for 0', () => {
    expect(textAndValues(resetXpStatement(levels, DEFAULT_LEVEL_FORMULA, { userId: USER, guildId: GUILD }))).to.deep.equal({
      text: `UPDATE "levels" SET "xp" = 0, "level" = ${level('0')} WHERE "user_id" = $1 AND "guild_id" = $2 ${returning()}`,
      values: [USER, GUILD],
    });
  });

  it('writeBlacklistStatement sets the flag, or flips it in SQL, creating the guild and member rows', () => {
    const upsert = (flag: string): string =>
      `WITH ${ENSURE_GUILD} INSERT INTO "levels" AS "l" ("user_id", "guild_id", "blacklisted") VALUES ($1, $2, true) ` +
      `ON CONFLICT ("user_id", "guild_id") DO UPDATE SET "blacklisted" = ${flag} ${returning()}`;
    expect(textAndValues(writeBlacklistStatement(levels, { userId: USER, guildId: GUILD }, false))).to.deep.equal({ text: upsert('true'), values: [USER, GUILD] });
    expect(textAndValues(writeBlacklistStatement(levels, { userId: USER, guildId: GUILD }, true))).to.deep.equal({ text: upsert('NOT "l"."blacklisted"'), values: [USER, GUILD] });
  });

  it('isBlacklistedStatement asks whether a blacklisted row exists', () => {
    expect(textAndValues(isBlacklistedStatement(levels, { userId: USER, guildId: GUILD }))).to.deep.equal({
      text: 'SELECT EXISTS (SELECT 1 FROM "levels" WHERE "user_id" = $1 AND "guild_id" = $2 AND "blacklisted") AS "blacklisted"',
      values: [USER, GUILD],
    });
  });

  it('memberRankStatement ranks the guild’s members who are not blacklisted and picks the member', () => {
    expect(textAndValues(memberRankStatement(levels, { userId: USER, guildId: GUILD }))).to.deep.equal({
      text:
        'SELECT r."rank" FROM (SELECT "user_id", RANK() OVER (ORDER BY "xp" DESC) AS "rank" FROM "levels" WHERE "guild_id" = $2 AND NOT "blacklisted") AS r ' +
        'WHERE r."user_id" = $1',
      values: [USER, GUILD],
    });
  });

  it('isOnCooldownStatement compares the last message with now minus the cooldown', () => {
    expect(textAndValues(isOnCooldownStatement(levels, { userId: USER, guildId: GUILD }, NOW, 30))).to.deep.equal({
      text:
        'SELECT EXISTS (SELECT 1 FROM "levels" WHERE "user_id" = $1 AND "guild_id" = $2 ' +
        'AND "last_message" > $3::timestamptz - make_interval(secs => $4::double precision)) AS "cooling"',
      values: [USER, GUILD, NOW, 30],
    });
  });

  it('verifyLevelFormulaStatement computes the SQL level of every sample, bound as one array', () => {
    expect(textAndValues(verifyLevelFormulaStatement(DEFAULT_LEVEL_FORMULA, [0, 100, 399.5]))).to.deep.equal({
      text: `SELECT t.x AS "xp", ${level('t.x')} AS "level" FROM unnest($1::double precision[]) AS t(x)`,
      values: [[0, 100, 399.5]],
    });
  });

  it('reuses the text of isBlacklisted and isOnCooldown, binding each call’s own values', () => {
    const first = isBlacklistedStatement(levels, { userId: USER, guildId: GUILD });
    expect(textAndValues(isBlacklistedStatement(levels, { userId: '3003', guildId: '4004' }))).to.deep.equal({ text: first.text, values: ['3003', '4004'] });
    const cooling = isOnCooldownStatement(levels, { userId: USER, guildId: GUILD }, NOW, 30);
    const later = new Date('2026-07-08T09:10:11Z');
    expect(textAndValues(isOnCooldownStatement(levels, { userId: '3003', guildId: '4004' }, later, 0.5))).to.deep.equal({ text: cooling.text, values: ['3003', '4004', later, 0.5] });
  });
});
