import { injectable } from 'tsyringe';
import { Case } from '../entities/case';
import { CaseType } from '../entities/enums';
import type { SnowflakeInput } from '../entities/snowflake';
import { DataError } from '../errors/data-error';
import { ValidationError, type FieldError } from '../errors/validation-error';
import { INT4_MAX } from '../query/coerce-value';
import { DatabaseService } from '../service/database-service';
import { UnitOfWork } from '../service/unit-of-work';
import { BaseRepository, HYDRATED } from './base-repository';
import { groupArrays, groupByColumns } from '../query/bulk-insert';
import { createCaseStatement, insertGuildCasesStatement, updateCaseByNumberStatement, type GuildCaseGroup } from '../query/case-statements';
import { isPlainObject } from '../query/is-plain-object';
import { prepareColumns } from './prepare-columns';
import { preparedValue, type PreparedValues } from './prepare-values';
import type { Page, Values } from './repository-types';
import { expiryArguments } from './tux-call-shapes';
import { findAllStatement } from '../query/select-statements';
import type { StatementOptions } from '../service/statement-runner';

// A createCases statement of several field groups: unnamed (its text varies from call to call), its rows hydrated.
const UNNAMED_HYDRATED: StatementOptions = { rowsAsArrays: true };

/** What createCase takes: the case number is never given, the database assigns it. */
export type NewCase = Omit<Values<Case>, 'caseNumber'> & Required<Pick<Values<Case>, 'caseType' | 'caseUserId' | 'caseModeratorId' | 'guildId'>>;

/** One case of a mass action (createCases): the guild is given once for all. */
export type NewGuildCase = Omit<NewCase, 'guildId'> & { readonly guildId?: Values<Case>['guildId'] };

/** Fields updateCaseByNumber may change. */
export type CasePatch = Omit<Values<Case>, 'caseNumber' | 'guildId' | 'caseId'>;

/** Options of getCasesByGuild: `page` from 1, `perPage` 1–1000 (default 20). */
export interface GuildCasesOptions {
  /** The page to read, from 1 (default 1). */
  readonly page?: number;
  /** Cases per page, 1–1000 (default 20). */
  readonly perPage?: number;
}

const GUILD_CASES_OPTIONS = ['page', 'perPage'] as const;
/** Case by number is the one case read the cache answers (as Tux caches it), under the cases family's TTL. */
const CASE_BY_NUMBER: StatementOptions = { prepare: true, cache: 'cases', rowsAsArrays: true };

// What createCases writes itself: the guild, given once for all items. (The number needs no mention: the entity
// marks it assigned, so no caller gives it and no insert requires it.)
const BULK_PROVIDED: ReadonlySet<string> = new Set(['guildId']);

/**
 * Moderation cases. Case numbers come from the guild's counter row, bumped in the same statement as the
 * insert: 1, 2, 3, … per guild with no gap and no duplicate, across processes, and a rolled
 * back unit of work takes its number back with it. Only createCase and createCases (which the generic create
 * and createMany route to) write a number; every generic write refuses `caseNumber`, and every update refuses
 * `guildId` (the entity's write rules, enforced by prepareValues), so no write can make a later number collide.
 */
@injectable()
export class CaseRepository extends BaseRepository<Case> {
  constructor(service: DatabaseService, unitOfWork?: UnitOfWork) {
    super(service, Case, unitOfWork);
  }

  /**
   * Creates a case with the guild's next number; creates the guild row if it has none yet.
   * One statement (one round trip) outside a unit of work.
   * @throws ValidationError for bad input (including a caseNumber, which the database assigns); DataError (22003)
   * when the guild's case counter is full (2,147,483,647 cases).
   *
   * ```ts
   * const warn = await db.case.createCase({ guildId, caseType: CaseType.WARN, caseUserId: userId, caseModeratorId: moderatorId, caseReason: 'Spam' });
   * warn.caseNumber; // 1 in a new guild (created with the case), then 2, 3, …
   * ```
   */
  async createCase(values: NewCase): Promise<Case> {
    // A caseNumber is refused here like everywhere: the entity marks it assigned.
    const prepared = this.prepare(values, 'insert');
    const others: PreparedValues = { columns: [], params: [] };
    prepared.columns.forEach((column, i) => {
      if (column.property === 'guildId') return;
      others.columns.push(column);
      others.params.push(prepared.params[i]);
    });
    const guild = preparedValue(prepared, 'guildId');
    const statement = createCaseStatement(this.model, guild, others);
    const result = await this.runStatement(statement, HYDRATED).catch((e: unknown) => counterFull(e, guild));
    return this.hydrate(this.firstRow(result.rows));
  }

  /**
   * Creates many cases in one guild (a raid ban) in one statement: one counter bump of N and the cases bound
   * as one array per field, so the numbers are contiguous and follow the input order. Returns the cases in that
   * order.
   * @throws ValidationError naming `[index].field` for any bad item; nothing is written then. DataError (22003) when
   * the guild's case counter has fewer numbers left than items.
   *
   * ```ts
   * const raiders = ['1200000000000000001', '1200000000000000002'];
   * const bans = await db.case.createCases(guildId, raiders.map((id) => ({ caseType: CaseType.BAN, caseUserId: id, caseModeratorId: moderatorId })));
   * bans.map((c) => c.caseNumber); // [2, 3]: contiguous, in input order
   * ```
   */
  async createCases(guildId: SnowflakeInput, items: ReadonlyArray<NewGuildCase>): Promise<Case[]> {
    if (!Array.isArray(items)) throw ValidationError.forField(this.model.entityName, 'items', 'must be an array of cases');
    const guild = this.coerce('guildId', guildId) as string;
    // Items that all set the same fields, none of them the guild, checked column by column (see prepareColumns).
    const batch = isPlainObject(items[0]) && !('guildId' in items[0]) ? prepareColumns(this.model, this.entity, items, BULK_PROVIDED) : undefined;
    if (batch !== undefined) return this.insertGuildCases(guild, items.length, [{ ...batch, positions: Array.from(items, (_, i) => i) }]);
    const errors: FieldError[] = [];
    // Every index, not forEach: a hole in a sparse array is a missing item to refuse, not one to skip.
    const rows = this.prepareGuildCases(guild, items, Array.from(items, (_, i) => i), errors);
    if (errors.length > 0) throw new ValidationError(this.model.entityName, errors);
    return this.insertGuildCases(guild, rows.length, groupedCases(rows));
  }

  /**
   * The generic create numbers a case exactly like createCase.
   *
   * ```ts
   * const kick = await db.case.create({ guildId, caseType: CaseType.KICK, caseUserId: userId, caseModeratorId: moderatorId });
   * kick.caseNumber; // 4: numbered as createCase numbers (a caseNumber given here is refused: ValidationError)
   * ```
   */
  override async create(values: Values<Case>): Promise<Case> {
    return this.createCase(values as NewCase);
  }

  /**
   * The generic createMany numbers cases like createCases, one statement per guild (in one unit of work when
   * there are several), and returns them in input order. Every item is checked before anything is written.
   *
   * ```ts
   * const cases = await db.case.createMany([
   *   { guildId, caseType: CaseType.JAIL, caseUserId: userId, caseModeratorId: moderatorId, caseUserRoles: [roleId] },
   *   { guildId: '1300000000000000001', caseType: CaseType.WARN, caseUserId: userId, caseModeratorId: moderatorId },
   * ]); // cases.map((c) => c.caseNumber) is [5, 1]: each guild numbers its own cases
   * ```
   */
  override async createMany(values: ReadonlyArray<Values<Case>>): Promise<Case[]> {
    if (!Array.isArray(values)) throw ValidationError.forField(this.model.entityName, 'values', 'must be an array of cases');
    const errors: FieldError[] = [];
    const byGuild = new Map<string, number[]>();
    for (let index = 0; index < values.length; index++) {
      try {
        const guild = this.coerce('guildId', (values[index] as Values<Case> | undefined)?.guildId, `[${index}].guildId`) as string;
        const positions = byGuild.get(guild);
        if (positions) positions.push(index);
        else byGuild.set(guild, [index]);
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        errors.push(...e.errors);
      }
    }
    const batches = [...byGuild].map(([guild, positions]) => ({ guild, positions, rows: this.prepareGuildCases(guild, values, positions, errors) }));
    if (errors.length > 0) throw new ValidationError(this.model.entityName, errors);
    const created = new Array<Case>(values.length);
    const insertAll = async (): Promise<Case[]> => {
      for (const { guild, positions, rows } of batches) {
        (await this.insertGuildCases(guild, rows.length, groupedCases(rows))).forEach((c, k) => (created[positions[k] ?? -1] = c));
      }
      return created;
    };
    return batches.length <= 1 ? insertAll() : this.withSession(insertAll);
  }

  /**
   * Every case of a user in a guild, newest first (the seed's get_cases_by_user).
   *
   * ```ts
   * const cases = await db.case.getCasesByUser(userId, guildId);
   * cases.map((c) => c.caseNumber); // [5, 4, 1]: newest first, this guild only
   * ```
   */
  getCasesByUser(userId: SnowflakeInput, guildId: SnowflakeInput): Promise<Case[]> {
    return this.findAll({ filters: { guildId, caseUserId: userId }, orderBy: { caseNumber: 'DESC' } });
  }

  /**
   * The user's open cases (caseStatus true) in a guild, newest first.
   *
   * ```ts
   * const open = await db.case.getActiveCasesByUser(userId, guildId);
   * open.map((c) => c.caseNumber); // [5, 4, 1]; a closed case (closeCase) is left out
   * ```
   */
  getActiveCasesByUser(userId: SnowflakeInput, guildId: SnowflakeInput): Promise<Case[]> {
    return this.findAll({ filters: { guildId, caseUserId: userId, caseStatus: true }, orderBy: { caseNumber: 'DESC' } });
  }

  /**
   * The case with this number in a guild, or null; from the cache when it holds it (see DatabaseOptions.cache).
   *
   * ```ts
   * const first = await db.case.getCaseByNumber(1, guildId); // the number first, then the guild
   * first?.caseReason; // 'Spam'
   * await db.case.getCaseByNumber(99, guildId); // null: no case 99 (no throw)
   * ```
   */
  async getCaseByNumber(caseNumber: number, guildId: SnowflakeInput): Promise<Case | null> {
    const result = await this.runStatement(findAllStatement(this.model, { filters: { guildId, caseNumber }, limit: 1 }), CASE_BY_NUMBER);
    return this.firstOrNull(result.rows);
  }

  /**
   * The guild's newest cases, newest first (default 10).
   *
   * ```ts
   * const recent = await db.case.getRecentCases(guildId, 3);
   * recent.map((c) => c.caseNumber); // [5, 4, 3]; without a limit, the newest 10
   * ```
   */
  getRecentCases(guildId: SnowflakeInput, limit = 10): Promise<Case[]> {
    return this.findAll({ filters: { guildId }, orderBy: { caseNumber: 'DESC' }, limit });
  }

  /**
   * Cases a moderator made in a guild, newest first.
   *
   * ```ts
   * const made = await db.case.getCasesByModerator(moderatorId, guildId);
   * made.map((c) => c.caseNumber); // [5, 4, 3, 2, 1]: newest first
   * ```
   */
  getCasesByModerator(moderatorId: SnowflakeInput, guildId: SnowflakeInput): Promise<Case[]> {
    return this.findAll({ filters: { guildId, caseModeratorId: moderatorId }, orderBy: { caseNumber: 'DESC' } });
  }

  /**
   * Cases of one type in a guild, newest first.
   *
   * ```ts
   * const bans = await db.case.getCasesByType(guildId, CaseType.BAN); // the guild first, then the type
   * bans.map((c) => c.caseUserId); // ['1200000000000000002', '1200000000000000001']: newest first
   * ```
   */
  getCasesByType(guildId: SnowflakeInput, caseType: CaseType): Promise<Case[]> {
    return this.findAll({ filters: { guildId, caseType }, orderBy: { caseNumber: 'DESC' } });
  }

  /**
   * One page of a guild's cases, newest first: `page` from 1, `perPage` 1–1000 (default 20). Tux's
   * `get_cases_by_guild(guild_id, limit)` is `getCasesByGuild(guildId, { perPage: limit })` (its `items`); a number
   * in the second position (the old `(guildId, page, perPage)` shape, or Tux's limit) is refused, never read as a page.
   * @throws ValidationError, before any SQL, for a bad id, a non-object options argument or a bad page.
   *
   * ```ts
   * const { items, total, hasNext } = await db.case.getCasesByGuild(guildId, { page: 1, perPage: 50 });
   * ```
   */
  async getCasesByGuild(guildId: SnowflakeInput, options: GuildCasesOptions = {}): Promise<Page<Case>> {
    if (typeof options === 'number') {
      throw ValidationError.forField(
        this.model.entityName,
        'options',
        `must be { page?, perPage? }, not a number: write getCasesByGuild(guildId, { perPage: ${String(options)} }) for the newest ${String(options)} cases (Tux's get_cases_by_guild(guild_id, limit)), or { page, perPage } for a page`,
      );
    }
    this.checkOptions(options, GUILD_CASES_OPTIONS, 'getCasesByGuild');
    return this.paginate({ filters: { guildId }, orderBy: { caseNumber: 'DESC' }, page: options.page, perPage: options.perPage });
  }

  /**
   * The user's newest case in a guild, or null.
   *
   * ```ts
   * const latest = await db.case.getLatestCaseByUser(userId, guildId); // null when the user has no case in the guild
   * latest?.caseNumber; // 5 (the JAIL)
   * ```
   */
  getLatestCaseByUser(userId: SnowflakeInput, guildId: SnowflakeInput): Promise<Case | null> {
    return this.findOne({ filters: { guildId, caseUserId: userId }, orderBy: { caseNumber: 'DESC' } });
  }

  /**
   * The user's newest JAIL or UNJAIL case (unjail restores the roles the JAIL case saved).
   *
   * ```ts
   * const last = await db.case.getLatestJailOrUnjailCase(userId, guildId); // null when the user has neither
   * const jailed = last?.caseType === CaseType.JAIL; // true: case 5 is a JAIL and no UNJAIL came after it
   * ```
   */
  getLatestJailOrUnjailCase(userId: SnowflakeInput, guildId: SnowflakeInput): Promise<Case | null> {
    return this.findOne({
      filters: { guildId, caseUserId: userId, caseType: { in: [CaseType.JAIL, CaseType.UNJAIL] } },
      orderBy: { caseNumber: 'DESC' },
    });
  }

  /**
   * The user's newest JAIL case in a guild, or null (Tux's get_latest_jail_case): unjail restores the
   * `caseUserRoles` it saved.
   * @throws ValidationError for a bad id.
   *
   * ```ts
   * const jail = await db.case.getLatestJailCase(userId, guildId);
   * const rolesToRestore = jail?.caseUserRoles ?? [];
   * ```
   */
  getLatestJailCase(userId: SnowflakeInput, guildId: SnowflakeInput): Promise<Case | null> {
    return this.findOne({ filters: { guildId, caseUserId: userId, caseType: CaseType.JAIL }, orderBy: { caseNumber: 'DESC' } });
  }

  /**
   * The user's newest SNIPPETBAN or SNIPPETUNBAN case in a guild, or null (Tux's
   * get_latest_snippet_ban_or_unban_case): the user is snippet-banned when it is a SNIPPETBAN. Other case types in
   * between (a WARN) do not count.
   * @throws ValidationError for a bad id.
   *
   * ```ts
   * const latest = await db.case.getLatestSnippetBanOrUnbanCase(userId, guildId);
   * const snippetBanned = latest?.caseType === CaseType.SNIPPETBAN;
   * ```
   */
  getLatestSnippetBanOrUnbanCase(userId: SnowflakeInput, guildId: SnowflakeInput): Promise<Case | null> {
    return this.findOne({
      filters: { guildId, caseUserId: userId, caseType: { in: [CaseType.SNIPPETBAN, CaseType.SNIPPETUNBAN] } },
      orderBy: { caseNumber: 'DESC' },
    });
  }

  /**
   * Whether the user's newest case among `restriction` and `removal` is the restriction, e.g.
   * (BAN, UNBAN), (JAIL, UNJAIL), (SNIPPETBAN, SNIPPETUNBAN), (POLLBAN, POLLUNBAN). Both types are required: Tux's
   * two-argument `is_user_under_restriction(user_id, guild_id)` only asks whether the user has an open case, which
   * is `(await db.case.getActiveCasesByUser(userId, guildId)).length > 0`; a call without the pair is refused so a
   * ported call never silently means something else.
   * @throws ValidationError, before any SQL, when the pair is missing or not case types, or for a bad id.
   *
   * ```ts
   * const jailed = await db.case.isUserUnderRestriction(userId, guildId, CaseType.JAIL, CaseType.UNJAIL);
   * ```
   */
  async isUserUnderRestriction(userId: SnowflakeInput, guildId: SnowflakeInput, restriction: CaseType, removal: CaseType): Promise<boolean> {
    if (restriction === undefined || removal === undefined) {
      throw ValidationError.forField(
        this.model.entityName,
        restriction === undefined ? 'restriction' : 'removal',
        'is required: write isUserUnderRestriction(userId, guildId, CaseType.JAIL, CaseType.UNJAIL) (any restriction/removal pair); for Tux\'s two-argument form (any open case) write (await getActiveCasesByUser(userId, guildId)).length > 0',
      );
    }
    const latest = await this.findOne({
      filters: { guildId, caseUserId: userId, caseType: { in: [restriction, removal] } },
      orderBy: { caseNumber: 'DESC' },
    });
    return latest?.caseType === restriction;
  }

  /**
   * Open (caseStatus true), unprocessed cases of any type whose expiry has passed, oldest expiry first (Tux's
   * get_expired_cases). Tux's shape `(guildId)` and `(guildId, now)` read one guild; `(now?, guildId?)` reads every
   * guild unless one is given.
   * @throws ValidationError, before any SQL, for a bad id or date (see expiryArguments).
   *
   * ```ts
   * const expired = await db.case.getExpiredCases(guildId);
   * ```
   */
  getExpiredCases(guildId: SnowflakeInput, now?: Date): Promise<Case[]>;
  getExpiredCases(now?: Date, guildId?: SnowflakeInput): Promise<Case[]>;
  getExpiredCases(first?: SnowflakeInput | Date, second?: SnowflakeInput | Date): Promise<Case[]> {
    return this.expired('getExpiredCases', first, second, {});
  }

  /**
   * Open (caseStatus true, as in Tux), unprocessed TEMPBAN cases whose expiry has passed: the bans to lift now,
   * oldest expiry first (Tux's get_expired_tempbans). Same call shapes as getExpiredCases.
   * @throws ValidationError, before any SQL, for a bad id or date.
   *
   * ```ts
   * for (const tempban of await db.case.getExpiredTempbans(guildId)) await db.case.markProcessed(tempban.caseId);
   * ```
   */
  getExpiredTempbans(guildId: SnowflakeInput, now?: Date): Promise<Case[]>;
  getExpiredTempbans(now?: Date, guildId?: SnowflakeInput): Promise<Case[]>;
  getExpiredTempbans(first?: SnowflakeInput | Date, second?: SnowflakeInput | Date): Promise<Case[]> {
    return this.expired('getExpiredTempbans', first, second, { caseType: CaseType.TEMPBAN });
  }

  /**
   * Marks an expiring case as acted on; false when no such case.
   *
   * ```ts
   * const tempban = await db.case.createCase({
   *   guildId, caseType: CaseType.TEMPBAN, caseUserId: userId, caseModeratorId: moderatorId, caseExpiresAt: new Date(),
   * });
   * await db.case.markProcessed(tempban.caseId); // true (false when no case has this id)
   * (await db.case.getExpiredTempbans(guildId)).length; // 0: a processed case is no longer listed
   * ```
   */
  async markProcessed(caseId: SnowflakeInput): Promise<boolean> {
    return (await this.updateById(caseId, { caseProcessed: true })) !== null;
  }

  /**
   * Closes a case (soft delete: caseStatus false) and returns it, or null.
   *
   * ```ts
   * const warn = await db.case.getCaseByNumber(1, guildId);
   * const closed = warn && (await db.case.closeCase(warn.caseId));
   * closed?.caseStatus; // false: closed, not deleted
   * (await db.case.getActiveCasesByUser(userId, guildId)).map((c) => c.caseNumber); // [6, 5, 4]: case 1 is no longer open
   * ```
   */
  closeCase(caseId: SnowflakeInput): Promise<Case | null> {
    return this.updateById(caseId, { caseStatus: false });
  }

  /**
   * Updates the case with this number in a guild and returns it, or null.
   *
   * ```ts
   * const edited = await db.case.updateCaseByNumber(guildId, 4, { caseReason: 'Raid' }); // the guild first here, unlike getCaseByNumber
   * edited?.caseReason; // 'Raid'; edited is null when the guild has no case 4
   * ```
   */
  async updateCaseByNumber(guildId: SnowflakeInput, caseNumber: number, values: CasePatch): Promise<Case | null> {
    // The entity's write rules refuse caseNumber and guildId in an update.
    const prepared = this.prepare(values, 'update');
    const statement = updateCaseByNumberStatement(this.model, prepared, this.coerce('guildId', guildId), this.coerce('caseNumber', caseNumber));
    const result = await this.runStatement(statement, { prepare: true });
    return this.firstOrNull(result.rows);
  }

  /**
   * Records the id of the case's message in the mod-log channel; returns the case, or null.
   *
   * ```ts
   * const kick = await db.case.getCaseByNumber(4, guildId);
   * const logged = kick && (await db.case.updateModLogMessageId(kick.caseId, messageId));
   * logged?.modLogMessageId; // messageId, as a string (null until one is recorded)
   * ```
   */
  updateModLogMessageId(caseId: SnowflakeInput, messageId: SnowflakeInput): Promise<Case | null> {
    return this.updateById(caseId, { modLogMessageId: messageId });
  }

  /**
   * How many cases a guild has.
   *
   * ```ts
   * await db.case.countCasesByGuild(guildId); // 6: closed cases count too
   * ```
   */
  countCasesByGuild(guildId: SnowflakeInput): Promise<number> {
    return this.count({ filters: { guildId } });
  }

  /**
   * How many cases a user has in a guild.
   *
   * ```ts
   * await db.case.countCasesByUser(userId, guildId); // 4 (cases 1, 4, 5, 6): the user's case in another guild is not counted
   * ```
   */
  countCasesByUser(userId: SnowflakeInput, guildId: SnowflakeInput): Promise<number> {
    return this.count({ filters: { guildId, caseUserId: userId } });
  }

  /** The expiry queries: open, unprocessed cases past their expiry, plus `extra`, in one guild or all. */
  private async expired(method: string, first: unknown, second: unknown, extra: { readonly caseType?: CaseType }): Promise<Case[]> {
    const { now, guildId } = expiryArguments(this.model.entityName, method, first, second);
    return this.findAll({
      filters: { ...extra, caseStatus: true, caseProcessed: false, caseExpiresAt: { lte: now }, ...(guildId === undefined ? {} : { guildId }) },
      orderBy: [{ caseExpiresAt: 'ASC' }, { caseId: 'ASC' }],
    });
  }

  /**
   * Validates the items at `positions` for one guild; their problems go to `errors`, named `[position].field`.
   * An item's guildId, if given, must be that guild; the statement writes it once for all.
   */
  private prepareGuildCases(guild: string, items: ReadonlyArray<unknown>, positions: ReadonlyArray<number>, errors: FieldError[]): PreparedValues[] {
    const rows: PreparedValues[] = [];
    for (const position of positions) {
      const item = items[position] as NewGuildCase | undefined;
      try {
        // Coerced as the field it is (a Discord id), so an array or an object whose text happens to match is refused.
        if (item?.guildId !== undefined && this.coerce('guildId', item.guildId, `[${position}].guildId`) !== guild) {
          throw ValidationError.forField(this.model.entityName, `[${position}].guildId`, `must be ${guild} (the guild given to createCases) or omitted`);
        }
        rows.push(this.prepareRow(item?.guildId === undefined ? item : { ...item, guildId: undefined }, position, BULK_PROVIDED));
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        errors.push(...e.errors);
      }
    }
    return rows;
  }

  /**
   * Inserts one guild's validated cases (`count` in all) in one statement: one counter bump of N, the values bound as
   * one array per field, numbered by each case's position. Returns them in position order.
   */
  private async insertGuildCases(guild: string, count: number, groups: ReadonlyArray<GuildCaseGroup>): Promise<Case[]> {
    if (count === 0) return [];
    const { statement, groupCount } = insertGuildCasesStatement(this.model, guild, count, groups);
    // Several groups of fields make a statement whose text varies from call to call: unnamed.
    const result = await this.runStatement(statement, groupCount === 1 ? HYDRATED : UNNAMED_HYDRATED).catch((e: unknown) => counterFull(e, guild));
    return result.rows.map((r) => this.hydrate(r)).sort((a, b) => a.caseNumber - b.caseNumber);
  }

}

/**
 * Rethrows `e`, worded for what it means when the guild's case counter would pass int4 (SQLSTATE 22003 from the
 * counter bump, the only int the numbering computes): the guild has no case number left.
 * @throws always
 */
function counterFull(e: unknown, guild: unknown): never {
  if (e instanceof DataError && e.code === '22003') {
    throw new DataError(`Guild ${String(guild)} has no case number left: its case counter would pass ${INT4_MAX.toLocaleString('en-US')}, the most a case number holds`, e.code, { cause: e });
  }
  throw e;
}

/** Prepared cases grouped by the fields they write, each case numbered by its place in `rows`. */
function groupedCases(rows: ReadonlyArray<PreparedValues>): GuildCaseGroup[] {
  return groupByColumns(rows).map((group) => ({ ...groupArrays(group, rows), positions: group.positions }));
}
