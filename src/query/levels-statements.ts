import { MAX_LEVEL, MAX_XP, type LevelFormula } from '../entities/level-formula';
import { ensureGuild, GUILD_TABLE } from './ensure-guild';
import { memberCondition, type MemberIds } from './member-condition';
import { NO_PARTS, shapedStatement } from './shaped-statement';
import { compile, param, raw, sql, type Param, type SqlFragment, type Statement } from './sql';
import type { TableModel } from './table-model';

/** The validated values of one addXp call. */
export interface AddXpValues extends MemberIds {
  readonly amount: number;
  readonly now: Date;
  /** null: no cooldown. */
  readonly cooldownSeconds: number | null;
}

// Stands for the XP expression in the formula's SQL: a NUL can never be part of SQL text the server accepts.
const XP_MARK = '\u0000';
const levelTexts = new WeakMap<LevelFormula, ReadonlyArray<string>>();

/**
 * The formula's level of the SQL expression `xp`, as an int capped at MAX_LEVEL (a formula may outgrow int at
 * huge XP). The formula's text is the bot author's trusted SQL; `xp` is repeated wherever it names the XP, so
 * bind a value in `xp` as a Param to bind it once.
 *
 * ```ts
 * compile(levelOf(DEFAULT_LEVEL_FORMULA, sql`${param(150)}`));
 * // LEAST(floor(sqrt(GREATEST(($1)::double precision, 0) / 100::double precision)), 2147483647)::int, values [150]
 * ```
 */
export function levelOf(formula: LevelFormula, xp: SqlFragment): SqlFragment {
  let texts = levelTexts.get(formula);
  if (texts === undefined) {
    // The text around each place the formula names the XP; asked once per formula, which is fixed for a database's life.
    texts = `LEAST(${formula.levelSql(`(${XP_MARK})::double precision`)}, ${MAX_LEVEL})::int`.split(XP_MARK);
    levelTexts.set(formula, texts);
  }
  return sql(texts, ...texts.slice(1).map(() => xp));
}

/** verifyLevelFormula: every sample of `xps` with the level the formula's SQL gives it, as rows `{ xp, level }`. */
export function verifyLevelFormulaStatement(formula: LevelFormula, xps: ReadonlyArray<number>): Statement {
  return compile(sql`SELECT t.x AS "xp", ${levelOf(formula, raw('t.x'))} AS "level" FROM unnest(${xps}::double precision[]) AS t(x)`, { reads: [], writes: [] });
}

/**
 * addXp in one statement: creates the guild and member rows when missing, adds `amount` unless the member is
 * blacklisted or on cooldown, and returns one row `{ xp, level, previousLevel, awarded, levelUp, xid }` (xid: the
 * transaction's id when it wrote, else null); xp, level and
 * previousLevel are null only when nothing was awarded to a member another transaction inserted after this
 * statement's snapshot. The member is first read without a lock: when that row earns nothing (blacklisted, on
 * cooldown, as most of a busy member's messages are) the statement writes nothing, takes no lock and commits without
 * a WAL flush. Otherwise the upsert decides again on the row it locks, so two concurrent messages cannot both pass.
 * With `returnsOld` (PostgreSQL 18 and later) the level before comes from `RETURNING old`; older servers lock the
 * member's row first and read it. A missing cooldown is bound as null, so the text is the same with or without one
 * and one prepared statement serves both.
 */
export function addXpStatement(model: TableModel, formula: LevelFormula, values: AddXpValues, returnsOld: boolean): Statement {
  let shapes = addXpShapes.get(formula);
  if (shapes === undefined) addXpShapes.set(formula, (shapes = new Map()));
  const shapeKey = `${model.table}:${returnsOld}`;
  let shape = shapes.get(shapeKey);
  if (shape === undefined) {
    // Each value is bound as a Param holding its key, so the compiled values say which key goes to which $n.
    const p = { userId: param('userId'), guildId: param('guildId'), amount: param('amount'), now: param('now'), cooldownSeconds: param('cooldownSeconds') };
    const { text, values: keys, touches } = compile(addXpSql(model.table, formula, returnsOld, p), {
      // The order callers that bind by hand rely on ($1 user, $2 guild, $3 amount, $4 now, $5 cooldown).
      bindFirst: [p.userId, p.guildId, p.amount, p.now, p.cooldownSeconds],
      // Before PostgreSQL 18 the member's row is locked first (FOR UPDATE) to read its level before the upsert.
      reads: [model.name],
      writes: [model.name, GUILD_TABLE],
      locks: !returnsOld,
      guild: p.guildId,
      member: p.userId,
    });
    shapes.set(shapeKey, (shape = { text, keys: keys as Array<keyof AddXpValues>, touches }));
  }
  return { text: shape.text, values: shape.keys.map((key) => values[key]), touches: shape.touches };
}

// addXp runs for every message a bot sees, so its text is compiled once per formula, table and server kind, and a
// call only puts its values in order.
const addXpShapes = new WeakMap<LevelFormula, Map<string, { readonly text: string; readonly keys: ReadonlyArray<keyof AddXpValues>; readonly touches: Statement['touches'] }>>();

function addXpSql(tableName: string, formula: LevelFormula, returnsOld: boolean, p: Readonly<Record<keyof AddXpValues, Param>>): SqlFragment {
  const { userId: user, guildId: guild, amount, cooldownSeconds: cooldown } = p;
  const table = raw(tableName);
  const member = memberCondition({ userId: user, guildId: guild });
  const row = sql`${user}, ${guild}, ${amount}::double precision, ${levelOf(formula, sql`${amount}`)}, ${p.now}::timestamptz`;
  // A member holds at most MAX_XP, as setXp allows: awards past it saturate there, so levelFor takes every stored XP.
  const newXp = raw(`LEAST("l"."xp" + EXCLUDED."xp", ${MAX_XP}::double precision)`);
  const update = sql`ON CONFLICT ("user_id", "guild_id") DO UPDATE SET "xp" = ${newXp}, "level" = ${levelOf(formula, newXp)}, "last_message" = EXCLUDED."last_message"`;
  // Whether the row `r` earns XP from a message at `at`: not blacklisted and off cooldown (NULL, as for a NULL
  // last_message, earns nothing, in the gate as in the upsert).
  const awardable = (r: string, at: SqlFragment): SqlFragment =>
    sql`NOT ${raw(r)}."blacklisted" AND (${cooldown}::double precision IS NULL OR ${raw(r)}."last_message" <= ${at} - make_interval(secs => ${cooldown}::double precision))`;
  const seen = sql`"seen" AS (SELECT "xp", "level", (${awardable('"s"', sql`${p.now}::timestamptz`)}) IS NOT TRUE AS "blocked" FROM ${table} AS "s" WHERE ${member})`;
  const open = raw('NOT EXISTS (SELECT 1 FROM "seen" WHERE "blocked")');
  const after = (source: SqlFragment, returning: SqlFragment): SqlFragment =>
    sql`"after" AS (INSERT INTO ${table} AS "l" ("user_id", "guild_id", "xp", "level", "last_message") ${source} ${update} WHERE ${awardable('"l"', raw('EXCLUDED."last_message"'))} RETURNING "l"."xp", "l"."level", ${returning})`;
  const [before, upsert, awardedPrevious] = returnsOld
    ? [
        // The snapshot's row is the one to report when nothing is awarded.
        raw('"before" AS (SELECT "xp", "level" FROM "seen")'),
        after(sql`SELECT ${row} WHERE ${open}`, raw('old."level" AS "oldLevel", (old."xp" IS NULL) AS "inserted"')),
        raw('a."oldLevel"'),
      ]
    : [
        // Locks the member's row first, so "before" is exactly the row the upsert below changes; not when the gate is shut.
        sql`"before" AS (SELECT "xp", "level" FROM ${table} WHERE ${member} AND ${open} FOR UPDATE)`,
        // Selecting from "before" makes the lock come before the upsert, whatever order the plan runs the CTEs in.
        after(sql`SELECT ${row} FROM (SELECT count(*) FROM "before") AS "locked" WHERE ${open}`, raw('("l"."xmax" = 0) AS "inserted"')),
        // The fallback only when another transaction inserted the member after this statement's snapshot.
        sql`COALESCE(b."level", ${levelOf(formula, sql`a."xp" - ${amount}::double precision`)})`,
      ];
  const previousLevel = sql`CASE WHEN a."xp" IS NULL THEN COALESCE(b."level", s."level") WHEN a."inserted" THEN ${levelOf(formula, raw('0'))} ELSE ${awardedPrevious} END`;
  const joined = raw('FROM (SELECT 1) AS "one" LEFT JOIN "seen" s ON true LEFT JOIN "before" b ON true LEFT JOIN "after" a ON true');
  const result = sql`"result" AS (SELECT COALESCE(a."xp", b."xp", s."xp") AS "xp", COALESCE(a."level", b."level", s."level") AS "level", (a."xp" IS NOT NULL) AS "awarded", ${previousLevel} AS "previousLevel" ${joined})`;
  // The transaction's id once it wrote (an award): the cache knows the write's notification for its own (see addXp).
  const xid = raw('pg_current_xact_id_if_assigned()::text AS "xid"');
  return sql`WITH ${ensureGuild(guild)}, ${seen}, ${before}, ${upsert}, ${result} SELECT "xp", "level", "previousLevel", "awarded", COALESCE("awarded" AND "level" > "previousLevel", false) AS "levelUp", ${xid} FROM "result"`;
}

/**
 * A member's XP state, one row `{ xp, level, blacklisted, lastMessage }` or none: what addXp asks the cache for, to
 * answer a message on cooldown without a statement. Declared as a read of one member, so the cache scopes it to
 * that member (see MEMBER_TABLES).
 */
export function xpStateStatement(model: TableModel, member: MemberIds): Statement {
  return shapedStatement(model, 'xpState', NO_PARTS, [member.userId, member.guildId], () => {
    const [user, guild] = [param(member.userId), param(member.guildId)];
    const condition = memberCondition({ userId: user, guildId: guild });
    return compile(sql`SELECT "xp", "level", "blacklisted", "last_message" AS "lastMessage" FROM ${raw(model.table)} WHERE ${condition}`, { reads: [model.name], writes: [], guild, member: user });
  });
}

/** setXp: sets a member's XP and the level that follows from it, creating the guild and member rows when missing; returns the row. */
export function setXpStatement(model: TableModel, formula: LevelFormula, member: MemberIds, xp: number): Statement {
  const [user, guild] = [param(member.userId), param(member.guildId)];
  const amount = param(xp);
  const row = sql`${user}, ${guild}, ${amount}::double precision, ${levelOf(formula, sql`${amount}`)}`;
  const update = raw('ON CONFLICT ("user_id", "guild_id") DO UPDATE SET "xp" = EXCLUDED."xp", "level" = EXCLUDED."level"');
  return compile(
    sql`WITH ${ensureGuild(guild)} INSERT INTO ${raw(model.table)} AS "l" ("user_id", "guild_id", "xp", "level") VALUES (${row}) ${update} RETURNING ${raw(model.selectList)}`,
    { bindFirst: [user, guild], reads: [], writes: [model.name, GUILD_TABLE], guild, member: user },
  );
}

/** resetXp: sets a member's XP to 0 and the level to the formula's level for 0; returns the row, or none when the member has none. */
export function resetXpStatement(model: TableModel, formula: LevelFormula, member: MemberIds): Statement {
  const [user, guild] = [param(member.userId), param(member.guildId)];
  const condition = memberCondition({ userId: user, guildId: guild });
  return compile(
    sql`UPDATE ${raw(model.table)} SET "xp" = 0, "level" = ${levelOf(formula, raw('0'))} WHERE ${condition} RETURNING ${raw(model.selectList)}`,
    { reads: [], writes: [model.name], guild, member: user },
  );
}

/**
 * blacklist (`toggle` false) or toggleBlacklist (`toggle` true): creates the guild and member rows when missing (a
 * new member is blacklisted) and sets the flag, or flips it in SQL; returns the row.
 */
export function writeBlacklistStatement(model: TableModel, member: MemberIds, toggle: boolean): Statement {
  const [user, guild] = [param(member.userId), param(member.guildId)];
  const update = raw(`ON CONFLICT ("user_id", "guild_id") DO UPDATE SET "blacklisted" = ${toggle ? 'NOT "l"."blacklisted"' : 'true'}`);
  return compile(
    sql`WITH ${ensureGuild(guild)} INSERT INTO ${raw(model.table)} AS "l" ("user_id", "guild_id", "blacklisted") VALUES (${user}, ${guild}, true) ${update} RETURNING ${raw(model.selectList)}`,
    { bindFirst: [user, guild], reads: [], writes: [model.name, GUILD_TABLE], guild, member: user },
  );
}

/** isBlacklisted: one row `{ blacklisted }`, false for a member without a row. */
export function isBlacklistedStatement(model: TableModel, member: MemberIds): Statement {
  return shapedStatement(model, 'isBlacklisted', NO_PARTS, [member.userId, member.guildId], () => {
    const guild = param(member.guildId);
    const condition = memberCondition({ userId: member.userId, guildId: guild });
    return compile(sql`SELECT EXISTS (SELECT 1 FROM ${raw(model.table)} WHERE ${condition} AND "blacklisted") AS "blacklisted"`, { reads: [model.name], writes: [], guild });
  });
}

/** getMemberRank: the member's `rank` by XP among the guild's members who are not blacklisted (RANK(), so ties share one); no row when they have none or are blacklisted. */
export function memberRankStatement(model: TableModel, member: MemberIds): Statement {
  const [user, guild] = [param(member.userId), param(member.guildId)];
  const ranked = sql`SELECT "user_id", RANK() OVER (ORDER BY "xp" DESC) AS "rank" FROM ${raw(model.table)} WHERE "guild_id" = ${guild} AND NOT "blacklisted"`;
  // Bound in the order every per-member statement binds them.
  return compile(sql`SELECT r."rank" FROM (${ranked}) AS r WHERE r."user_id" = ${user}`, { bindFirst: [user, guild], reads: [model.name], writes: [], guild });
}

/** isOnCooldown: one row `{ cooling }`, true when the member's last XP-earning message is less than `cooldownSeconds` before `now`. */
export function isOnCooldownStatement(model: TableModel, member: MemberIds, now: Date, cooldownSeconds: number): Statement {
  return shapedStatement(model, 'isOnCooldown', NO_PARTS, [member.userId, member.guildId, now, cooldownSeconds], () => {
    const guild = param(member.guildId);
    const condition = memberCondition({ userId: member.userId, guildId: guild });
    const recent = sql`"last_message" > ${now}::timestamptz - make_interval(secs => ${cooldownSeconds}::double precision)`;
    return compile(sql`SELECT EXISTS (SELECT 1 FROM ${raw(model.table)} WHERE ${condition} AND ${recent}) AS "cooling"`, { reads: [model.name], writes: [], guild });
  });
}

/**
 * getGuildStats: one row `{ totalMembers, blacklistedCount }` counting the guild's level rows and the blacklisted
 * among them (counts come back as int8 text).
 *
 * ```ts
 * guildStatsStatement(levelsModel, '42');
 * // SELECT count(*) AS "totalMembers", count(*) FILTER (WHERE "blacklisted") AS "blacklistedCount" FROM "levels" WHERE "guild_id" = $1
 * ```
 */
export function guildStatsStatement(model: TableModel, guildId: unknown): Statement {
  const guild = param(guildId);
  return compile(
    sql`SELECT count(*) AS "totalMembers", count(*) FILTER (WHERE "blacklisted") AS "blacklistedCount" FROM ${raw(model.table)} WHERE "guild_id" = ${guild}`,
    { reads: [model.name], writes: [], guild },
  );
}
