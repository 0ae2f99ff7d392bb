import { injectable } from 'tsyringe';
import { Levels } from '../entities/levels';
import { ValidationError } from '../errors/validation-error';
import { EARLIEST_TIMESTAMP_MS } from '../query/coerce-value';
import { DatabaseService } from '../service/database-service';
import { UnitOfWork } from '../service/unit-of-work';
import type { StatementOptions } from '../service/statement-runner';
import { BaseRepository } from './base-repository';
import { CREATES_GUILD } from './ensure-guild-sql';
import { preparedValue, type PreparedValues, type WriteMode } from './prepare-values';
import { levelFormulaSamples, MAX_LEVEL, MAX_XP, MIN_POSITIVE_XP, minXpForLevel, type LevelFormula } from '../entities/level-formula';
import type { SnowflakeInput } from '../entities/snowflake';
import {
  addXpStatement,
  guildStatsStatement,
  type AddXpValues,
  isBlacklistedStatement,
  isOnCooldownStatement,
  memberRankStatement,
  resetXpStatement,
  setXpStatement,
  verifyLevelFormulaStatement,
  writeBlacklistStatement,
  xpStateStatement,
} from '../query/levels-statements';
import type { MemberIds } from '../query/member-condition';
import type { MemberKey, Page } from './repository-types';

/** What addXp reports. */
export interface AddXpResult {
  /** The member's XP after the call. */
  readonly xp: number;
  /** The member's level after the call. */
  readonly level: number;
  /** The level before the call (the formula's level for 0 XP for a new member). */
  readonly previousLevel: number;
  /** True when this call raised the level. */
  readonly levelUp: boolean;
  /** False when no XP was given: the member is blacklisted or still on cooldown. */
  readonly awarded: boolean;
}

/** Options of addXp. */
export interface AddXpOptions {
  /**
   * Give XP only when the member's last XP-earning message is at least this many seconds before `now`
   * (checked in the same statement, so two concurrent messages cannot both pass). Default: no cooldown.
   * At most the seconds from PostgreSQL's earliest timestamp (4714 BC) to `now`, less one, since `now` minus it
   * must still be a timestamp.
   */
  readonly cooldownSeconds?: number;
  /** The message time, stored as `lastMessage`. Default: `new Date()`. */
  readonly now?: Date;
}

/** One XP value whose SQL and JavaScript levels differ (see verifyLevelFormula). */
export interface LevelFormulaMismatch {
  /** The XP value checked. */
  readonly xp: number;
  /** The level the formula's SQL gives for `xp` (what addXp stores). */
  readonly sqlLevel: number;
  /** The level the formula's JavaScript gives for `xp` (what levelFor returns). */
  readonly jsLevel: number;
}

/** What getGuildStats reports (Tux's get_guild_stats, camelCased). */
export interface GuildLevelStats {
  /** Members with a levels row in the guild. */
  readonly totalMembers: number;
  /** Of those, the blacklisted. */
  readonly blacklistedCount: number;
  /** totalMembers − blacklistedCount, as Tux computes it. */
  readonly activeMembers: number;
}

const ADD_XP_OPTIONS = ['cooldownSeconds', 'now'] as const;

// addXp with the cache serving: it tells the cache itself what the statement left (see addXp).
const OWN_INVALIDATION: StatementOptions = { ...CREATES_GUILD, ownInvalidation: true };

// A member's row as xpStateStatement reads it for the cache.
interface XpState {
  xp: number;
  level: number;
  blacklisted: boolean;
  lastMessage: Date | null;
}

interface AddXpRow {
  xp: number | null;
  level: number | null;
  previousLevel: number | null;
  levelUp: boolean;
  awarded: boolean;
  xid: string | null;
}

/**
 * XP and levels. XP only changes in SQL (`xp = xp + amount`, so concurrent awards add up), and the level is computed from
 * the new XP in the same statement by the level formula: Tux's default, `floor(5 · sqrt(xp / 500))` (see
 * tuxLevelFormula), unless the database was opened with its own (the `levelFormula` option). Blacklisted members earn no XP and are left out of ranks and leaderboards.
 *
 * ```ts
 * const r = await db.levels.addXp(message.author.id, message.guildId, 15, { cooldownSeconds: 60 });
 * if (r.levelUp) await message.reply(`Level ${r.level}!`);
 * ```
 */
@injectable()
export class LevelsRepository extends BaseRepository<Levels, MemberKey> {
  private readonly formula: LevelFormula;

  constructor(service: DatabaseService, unitOfWork?: UnitOfWork) {
    super(service, Levels, unitOfWork);
    // An option of the database, fixed for its life: SQL that embeds it can be built once per method.
    this.formula = service.options.levelFormula;
  }

  /**
   * The generic writes (create, createMany, updateById, updateWhere, bulkUpdate, upsert, getOrCreate) keep `level`
   * following `xp`, as addXp and setXp do: a write of `xp` without `level` stores the formula's level for it
   * (levelFor), and an insert without either the level for 0 XP. A `level` given is stored as given, as Tux's
   * update_xp_and_level stores the level its caller computed (the next addXp recomputes it from the XP). XP is bounded
   * as setXp bounds it, so every stored XP has a level.
   * @throws ValidationError for XP that is not 0 or a finite number from MIN_POSITIVE_XP to MAX_XP.
   */
  protected override prepare(values: unknown, mode: WriteMode, path?: string, provided?: ReadonlySet<string>): PreparedValues {
    const prepared = super.prepare(values, mode, path, provided);
    const xp = preparedValue(prepared, 'xp');
    const xpAfter = xp === undefined ? 0 : this.xpValue(xp, 'xp');
    if (preparedValue(prepared, 'level') !== undefined || (xp === undefined && mode === 'update')) return prepared;
    return { columns: [...prepared.columns, this.column('level')], params: [...prepared.params, this.levelFor(xpAfter)] };
  }

  /**
   * The level formula in use (the `levelFormula` option).
   *
   * ```ts
   * db.levels.levelFormula === DEFAULT_LEVEL_FORMULA; // true unless createDatabase was given a levelFormula
   * const xpForLevel5 = db.levels.levelFormula.xpForLevel?.(5); // 500 (xpForLevel is optional in a formula)
   * ```
   */
  get levelFormula(): LevelFormula {
    return this.formula;
  }

  /**
   * XP values where the formula's SQL and JavaScript levels disagree (empty when they agree), computed by
   * the server in one statement over `samples` (default: levelFormulaSamples of the formula).
   * @throws ValidationError for a sample that is not 0 or a finite number from MIN_POSITIVE_XP to MAX_XP.
   *
   * ```ts
   * const mismatches = await db.levels.verifyLevelFormula(); // [] for the default formula; else [{ xp, sqlLevel, jsLevel }, ...]
   * ```
   */
  async verifyLevelFormula(samples: ReadonlyArray<number> = levelFormulaSamples(this.formula)): Promise<LevelFormulaMismatch[]> {
    if (!Array.isArray(samples)) throw ValidationError.forField(this.model.entityName, 'samples', 'must be an array of XP values');
    // Every index, not map: a hole in a sparse array is a missing sample to refuse.
    const xps = Array.from(samples, (xp, i) => this.xpValue(xp, `samples[${i}]`));
    const result = await this.runStatement<{ xp: number; level: number }>(verifyLevelFormulaStatement(this.formula, xps));
    const mismatches: LevelFormulaMismatch[] = [];
    for (const row of result.rows) {
      const jsLevel = this.levelFor(row.xp);
      if (jsLevel !== row.level) mismatches.push({ xp: row.xp, sqlLevel: row.level, jsLevel });
    }
    return mismatches;
  }

  /**
   * The level `xp` reaches under the formula in use (capped at MAX_LEVEL, as the stored level is). @throws ValidationError for an XP value addXp would refuse.
   *
   * ```ts
   * db.levels.levelFor(499); // 4: level 5 needs 500 XP with the default formula (no query, no await)
   * ```
   */
  levelFor(xp: number): number {
    return Math.min(this.formula.levelFor(this.xpValue(xp, 'xp')), MAX_LEVEL);
  }

  /**
   * The least XP that reaches `level` under the formula in use. @throws ValidationError for a bad level.
   *
   * ```ts
   * db.levels.xpForLevel(10); // 2000 with the default formula (20 · level²)
   * ```
   */
  xpForLevel(level: number): number {
    return minXpForLevel(this.formula, level);
  }

  /**
   * Gives a member XP in one atomic statement (creating the guild and member rows when missing) and
   * returns the new XP and level, the level before, and whether this call levelled up. Blacklisted
   * members, and members on cooldown when `options.cooldownSeconds` is given, get nothing (`awarded` false).
   * With the cache on, such a message is answered from the member's cached row and sends no statement.
   * @throws ValidationError, before any SQL, for bad ids, an amount that is not 0 or a finite number from
   * MIN_POSITIVE_XP to MAX_XP, a negative cooldown or one reaching back before 4714 BC, or a bad date.
   *
   * ```ts
   * const before = await db.levels.getXp(userId, guildId);
   * const r = await db.levels.addXp(userId, guildId, 20); // r.xp === before + 20, r.awarded true: no cooldown given
   * const again = await db.levels.addXp(userId, guildId, 20, { cooldownSeconds: 60 }); // again.awarded false, again.xp === r.xp: XP came < 60 s ago
   * ```
   */
  async addXp(userId: SnowflakeInput, guildId: SnowflakeInput, amount: number, options: AddXpOptions = {}): Promise<AddXpResult> {
    this.checkOptions(options, ADD_XP_OPTIONS, 'addXp');
    const member = this.member(userId, guildId);
    const now = this.dateValue(options.now ?? new Date(), 'now');
    const values = { ...member, amount: this.xpValue(amount, 'amount'), now, cooldownSeconds: this.cooldownValue(options.cooldownSeconds, true, now) };
    // With the cache, a message on cooldown is answered from the member's cached row; otherwise the statement decides.
    const cached = values.cooldownSeconds !== null && this.runner.cacheServes();
    if (cached) {
      const skipped = await this.skippedFromCache(values);
      if (skipped !== undefined) return skipped;
    }
    // PostgreSQL 18 returns the row as it was before the upsert (RETURNING old); older servers need it locked first.
    const returnsOld = this.runner.serverMajorVersion() >= 18;
    const statement = addXpStatement(this.model, this.formula, values, returnsOld);
    const result = await this.runStatement<AddXpRow>(statement, cached ? OWN_INVALIDATION : CREATES_GUILD);
    if (cached) {
      // At once, before anything else can fail: the cache drops the member, and keeps the row an award left, so the
      // member's next messages, on cooldown, send nothing.
      const awarded = result.rows[0];
      const state: XpState[] | undefined = awarded?.awarded && awarded.xp !== null && awarded.level !== null ? [{ xp: awarded.xp, level: awarded.level, blacklisted: false, lastMessage: values.now }] : undefined;
      await this.runner.afterOwnWrite(statement, awarded?.xid ?? undefined, state && { statement: xpStateStatement(this.model, values), family: 'levels', rows: state });
    }
    const row = this.firstRow(result.rows);
    if (row.xp === null || row.level === null || row.previousLevel === null) {
      // The member was inserted concurrently after this statement's snapshot and is blacklisted or on cooldown.
      const current = await this.getById(member as MemberKey);
      const level = current?.level ?? this.levelFor(0);
      return { xp: current?.xp ?? 0, level, previousLevel: level, levelUp: false, awarded: false };
    }
    return { xp: row.xp, level: row.level, previousLevel: row.previousLevel, levelUp: row.levelUp, awarded: row.awarded };
  }

  /**
   * What addXp reports when the member's cached row earns nothing (blacklisted, or on cooldown at `now`: the test the
   * statement makes); undefined when the statement must decide. The row is as fresh as every cached read (any commit
   * to it invalidates), and one not cached yet is read once and kept (an award keeps the row it left, see addXp).
   */
  private async skippedFromCache(values: AddXpValues): Promise<AddXpResult | undefined> {
    if (values.cooldownSeconds === null) return undefined;
    const state = (await this.runStatement<XpState>(xpStateStatement(this.model, values), { cache: 'levels' })).rows[0];
    if (state === undefined) return undefined;
    const onCooldown = state.lastMessage !== null && state.lastMessage.getTime() > values.now.getTime() - values.cooldownSeconds * 1_000;
    if (!state.blacklisted && !onCooldown) return undefined;
    return { xp: state.xp, level: state.level, previousLevel: state.level, levelUp: false, awarded: false };
  }

  /**
   * Sets a member's XP (and the level that follows from it) in one statement, creating the rows when
   * missing; returns the row. Works on blacklisted members too.
   * @throws ValidationError for bad ids or XP that is not 0 or a finite number from MIN_POSITIVE_XP to MAX_XP.
   *
   * ```ts
   * const { xp, level } = await db.levels.setXp(userId, guildId, 500); // 500, 5 (the level follows the XP)
   * ```
   */
  async setXp(userId: SnowflakeInput, guildId: SnowflakeInput, xp: number): Promise<Levels> {
    const statement = setXpStatement(this.model, this.formula, this.member(userId, guildId), this.xpValue(xp, 'xp'));
    return this.hydrate(this.firstRow((await this.runStatement(statement, CREATES_GUILD)).rows));
  }

  /**
   * Puts a member at the start of `level`: XP becomes the least XP of that level (xpForLevel); returns the row.
   * @throws ValidationError for bad ids or a level that is not a whole number ≥ 0 reachable within MAX_XP.
   *
   * ```ts
   * const { xp, level } = await db.levels.setLevel(userId, guildId, 10); // 2000, 10: the least XP of level 10
   * ```
   */
  async setLevel(userId: SnowflakeInput, guildId: SnowflakeInput, level: number): Promise<Levels> {
    return this.setXp(userId, guildId, minXpForLevel(this.formula, level));
  }

  /**
   * Sets a member's XP to 0 (and the level to the formula's level for 0); returns the row, or null when they have none. @throws ValidationError for bad ids.
   *
   * ```ts
   * const row = await db.levels.resetXp(userId, guildId); // row.xp 0, row.level 0; null (nothing created) when the member has no row
   * ```
   */
  async resetXp(userId: SnowflakeInput, guildId: SnowflakeInput): Promise<Levels | null> {
    const result = await this.runStatement(resetXpStatement(this.model, this.formula, this.member(userId, guildId)), { prepare: true });
    return this.firstOrNull(result.rows);
  }

  /**
   * The member's XP; 0 when they have no row. @throws ValidationError for bad ids.
   *
   * ```ts
   * const xp = await db.levels.getXp(userId, guildId); // 0 after resetXp; also 0, not null, for a member without a row
   * ```
   */
  async getXp(userId: SnowflakeInput, guildId: SnowflakeInput): Promise<number> {
    return (await this.getById({ userId, guildId }))?.xp ?? 0;
  }

  /**
   * The member's level; the formula's level for 0 XP when they have no row. @throws ValidationError for bad ids.
   *
   * ```ts
   * const level = await db.levels.getLevel(userId, guildId); // 0 after resetXp; for a member without a row the level of 0 XP (0 here)
   * ```
   */
  async getLevel(userId: SnowflakeInput, guildId: SnowflakeInput): Promise<number> {
    return (await this.getById({ userId, guildId }))?.level ?? this.levelFor(0);
  }

  /**
   * Blacklists a member from earning XP (creating the rows when missing); returns the row. @throws ValidationError for bad ids.
   *
   * ```ts
   * const { blacklisted } = await db.levels.blacklist(userId, guildId); // true; addXp then gives nothing (awarded false)
   * ```
   */
  async blacklist(userId: SnowflakeInput, guildId: SnowflakeInput): Promise<Levels> {
    return this.writeBlacklist(userId, guildId, false);
  }

  /**
   * Lets a blacklisted member earn XP again; returns the row, or null when they have none. @throws ValidationError for bad ids.
   *
   * ```ts
   * const row = await db.levels.unblacklist(userId, guildId); // row.blacklisted false; null (nothing created) when the member has no row
   * ```
   */
  async unblacklist(userId: SnowflakeInput, guildId: SnowflakeInput): Promise<Levels | null> {
    return this.updateById({ userId, guildId }, { blacklisted: false });
  }

  /**
   * Flips the member's blacklist flag atomically (`NOT blacklisted`; a member without a row becomes
   * blacklisted) and returns the new state. @throws ValidationError for bad ids.
   *
   * ```ts
   * await db.levels.toggleBlacklist(userId, guildId); // true: the new state
   * await db.levels.toggleBlacklist(userId, guildId); // false
   * ```
   */
  async toggleBlacklist(userId: SnowflakeInput, guildId: SnowflakeInput): Promise<boolean> {
    return (await this.writeBlacklist(userId, guildId, true)).blacklisted;
  }

  /**
   * Whether the member is blacklisted (false when they have no row). @throws ValidationError for bad ids.
   *
   * ```ts
   * const blacklisted = await db.levels.isBlacklisted(userId, guildId); // false; false too for a member without a row
   * ```
   */
  async isBlacklisted(userId: SnowflakeInput, guildId: SnowflakeInput): Promise<boolean> {
    const result = await this.runStatement<{ blacklisted: boolean }>(isBlacklistedStatement(this.model, this.member(userId, guildId)), { prepare: true });
    return this.firstRow(result.rows).blacklisted;
  }

  /**
   * The member's rank in the guild by XP (1 = most; equal XP share a rank, as SQL RANK() does) among
   * members who are not blacklisted; null when the member has no row or is blacklisted.
   * @throws ValidationError for bad ids.
   *
   * ```ts
   * await db.levels.setXp(moderatorId, guildId, 100);
   * const rank = await db.levels.getMemberRank(userId, guildId); // 2: behind moderatorId's 100 XP; null when blacklisted or without a row
   * ```
   */
  async getMemberRank(userId: SnowflakeInput, guildId: SnowflakeInput): Promise<number | null> {
    const result = await this.runStatement<{ rank: string }>(memberRankStatement(this.model, this.member(userId, guildId)), { prepare: true });
    const row = result.rows[0];
    return row === undefined ? null : Number(row.rank);
  }

  /**
   * One page of the guild's members by XP, most first (ties by user id), blacklisted members left out.
   * @throws ValidationError for a bad id, a page below 1 or perPage outside 1–1000.
   *
   * ```ts
   * const { items, total, hasNext } = await db.levels.leaderboard(guildId, 1, 10); // page 1, 10 per page; most XP first, blacklisted left out
   * const lines = items.map((m, i) => `${i + 1}. <@${m.userId}>: level ${m.level} (${m.xp} XP)`);
   * ```
   */
  async leaderboard(guildId: SnowflakeInput, page = 1, perPage = 10): Promise<Page<Levels>> {
    return this.paginate({ filters: { guildId, blacklisted: false }, orderBy: [{ xp: 'DESC' }, { userId: 'ASC' }], page, perPage });
  }

  /**
   * The guild's level statistics in one statement (Tux's get_guild_stats): members with a levels row, the
   * blacklisted among them, and the rest (`activeMembers`, as Tux computes it: total minus blacklisted, not a measure
   * of recent activity).
   * @throws ValidationError for a bad id.
   *
   * ```ts
   * const { totalMembers, blacklistedCount, activeMembers } = await db.levels.getGuildStats(guildId);
   * ```
   */
  async getGuildStats(guildId: SnowflakeInput): Promise<GuildLevelStats> {
    const statement = guildStatsStatement(this.model, this.coerce('guildId', guildId, 'guildId'));
    const row = this.firstRow((await this.runStatement<{ totalMembers: string; blacklistedCount: string }>(statement, { prepare: true })).rows);
    const totalMembers = Number(row.totalMembers);
    const blacklistedCount = Number(row.blacklistedCount);
    return { totalMembers, blacklistedCount, activeMembers: totalMembers - blacklistedCount };
  }

  /**
   * Whether the member's last XP-earning message is less than `cooldownSeconds` before `now` (false for a
   * member without a row): the same test addXp applies with `cooldownSeconds`.
   * @throws ValidationError, before any SQL, for bad ids, a negative or non-finite cooldown or one reaching back
   * before 4714 BC (see AddXpOptions.cooldownSeconds), or a bad date.
   *
   * ```ts
   * await db.levels.isOnCooldown(userId, guildId, 60); // true: the member's last XP-earning message is under 60 s old
   * await db.levels.isOnCooldown(userId, guildId, 60, new Date(Date.now() + 60_000)); // false a minute later
   * ```
   */
  async isOnCooldown(userId: SnowflakeInput, guildId: SnowflakeInput, cooldownSeconds: number, now: Date = new Date()): Promise<boolean> {
    const at = this.dateValue(now, 'now');
    const member = this.member(userId, guildId);
    const statement = isOnCooldownStatement(this.model, member, at, this.cooldownValue(cooldownSeconds, false, at) as number);
    const result = await this.runStatement<{ cooling: boolean }>(statement, { prepare: true });
    return this.firstRow(result.rows).cooling;
  }

  private async writeBlacklist(userId: SnowflakeInput, guildId: SnowflakeInput, toggle: boolean): Promise<Levels> {
    const statement = writeBlacklistStatement(this.model, this.member(userId, guildId), toggle);
    return this.hydrate(this.firstRow((await this.runStatement(statement, CREATES_GUILD)).rows));
  }

  /** The member's ids, validated. @throws ValidationError for a bad id. */
  private member(userId: unknown, guildId: unknown): MemberIds {
    const [user, guild] = this.memberParams(userId, guildId);
    return { userId: user, guildId: guild };
  }

  private xpValue(value: unknown, field: string): number {
    const xp = this.coerce('xp', value, field) as number;
    if (xp !== 0 && (xp < MIN_POSITIVE_XP || xp > MAX_XP)) throw ValidationError.forField(this.model.entityName, field, `must be 0 or from ${MIN_POSITIVE_XP} to ${MAX_XP}`);
    return xp;
  }

  private dateValue(value: unknown, field: string): Date {
    return this.coerce('lastMessage', value, field) as Date;
  }

  private cooldownValue(value: unknown, optional: boolean, now: Date): number | null {
    if (value === undefined && optional) return null;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw ValidationError.forField(this.model.entityName, 'cooldownSeconds', 'must be a finite number of seconds ≥ 0');
    }
    // The SQL computes `now - make_interval(secs => cooldown)`, which the server refuses (22008) before 4714 BC and
    // which would abort a unit of work. The second's margin covers the rounding of huge seconds to microseconds.
    const max = Math.max(0, Math.floor((now.getTime() - EARLIEST_TIMESTAMP_MS) / 1000) - 1);
    if (value > max) {
      throw ValidationError.forField(this.model.entityName, 'cooldownSeconds', `must be at most ${max} seconds (now minus the cooldown must fall after 4714 BC)`);
    }
    return value;
  }
}
