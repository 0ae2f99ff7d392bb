import { injectable } from 'tsyringe';
import { Afk } from '../entities/afk';
import type { SnowflakeInput } from '../entities/snowflake';
import { ValidationError } from '../errors/validation-error';
import { AFK_ROW, isMemberAfkStatement, isMemberPermAfkStatement, setMemberAfkStatement, type AfkRow } from '../query/afk-statements';
import type { MemberIds } from '../query/member-condition';
import { DatabaseService } from '../service/database-service';
import { UnitOfWork } from '../service/unit-of-work';
import { BaseRepository } from './base-repository';
import { CREATES_GUILD } from './ensure-guild-sql';
import { preparedValue, type PreparedValues, type WriteMode } from './prepare-values';
import type { MemberKey } from './repository-types';
import { expiryArguments } from './tux-call-shapes';

/** What setMemberAfk takes (the seed's set_afk). */
export interface NewAfk {
  /** The member going AFK: Discord snowflake (a string; a bigint or safe-integer number is accepted). */
  readonly userId: SnowflakeInput;
  /** The guild the member is AFK in: Discord snowflake (a string; a bigint or safe-integer number is accepted). */
  readonly guildId: SnowflakeInput;
  /** The nickname to restore when the member comes back. */
  readonly nickname?: string | null;
  /** The AFK message (Tux's reason), at most 500 characters. */
  readonly afkMessage: string;
  /** Default: now (the database clock). */
  readonly since?: Date;
  /** When a temporary AFK ends (after `since`); null or omitted: no end. */
  readonly until?: Date | null;
  /** Set by a moderator: only a moderator removes it. Default false. */
  readonly enforced?: boolean;
  /** Permanent AFK: never expires (cannot have `until`). Default false. */
  readonly permAfk?: boolean;
}

// The value an omitted field of NewAfk takes (NewAfk's fields are the columns of AFK_ROW).
const AFK_DEFAULTS: Readonly<Partial<AfkRow>> = { nickname: null, since: null, until: null, enforced: false, permAfk: false };

/** AFK members (the seed's AFK controller): one row per member and guild. */
@injectable()
export class AfkRepository extends BaseRepository<Afk, MemberKey> {
  /** Its reads of one guild are cached (see DatabaseOptions.cache), as the afk family. */
  protected override readonly cacheFamily = 'afk' as const;

  constructor(service: DatabaseService, unitOfWork?: UnitOfWork) {
    super(service, Afk, unitOfWork);
  }

  /**
   * Every write (setMemberAfk and the generic ones) keeps an AFK's end consistent, before any SQL: `until` must be after
   * `since` when the write gives both (an insert without `since` starts now), and absent on a permanent AFK. An update
   * that makes an AFK permanent clears `until`, as setPermanentAfk does. A field written alone is checked against the
   * stored others by the table's CHECKs (a CheckViolationError): `until` against `since` and a permanent AFK, `since`
   * against `until`.
   * @throws ValidationError for such an `until`.
   */
  protected override prepare(values: unknown, mode: WriteMode, path?: string, provided?: ReadonlySet<string>): PreparedValues {
    const prepared = super.prepare(values, mode, path, provided);
    const since = preparedValue(prepared, 'since') as Date | undefined;
    const until = preparedValue(prepared, 'until') as Date | null | undefined;
    const permanent = preparedValue(prepared, 'permAfk') === true;
    if (until instanceof Date) {
      if (permanent) throw ValidationError.forField(this.model.entityName, 'until', 'must be null for a permanent AFK (permAfk: true)');
      const start = since ?? (mode === 'insert' ? new Date() : undefined);
      if (start !== undefined && until.getTime() <= start.getTime()) throw ValidationError.forField(this.model.entityName, 'until', `must be after ${since ? 'since' : 'now'}`);
    }
    if (permanent && mode === 'update' && until === undefined) return { columns: [...prepared.columns, this.column('until')], params: [...prepared.params, null] };
    return prepared;
  }

  /**
   * Marks a member AFK, replacing any earlier AFK of theirs in the guild, and returns the row. One
   * statement, which also creates the guild row when missing.
   * @throws ValidationError, before any SQL, for bad ids or values, a key that is not a NewAfk field, `until` not
   * after `since` (or now), or `until` on a permanent AFK.
   *
   * ```ts
   * await db.afk.setMemberAfk({ userId, guildId, nickname: 'tux', afkMessage: 'lunch' });
   * const afk = await db.afk.setMemberAfk({ userId, guildId, afkMessage: 'back at 3', until: new Date(Date.now() + 3_600_000) });
   * afk.nickname; // null: the second call replaced the whole row, fields it left out included
   * ```
   */
  async setMemberAfk(values: NewAfk): Promise<Afk> {
    this.checkOptions(values, AFK_ROW, 'setMemberAfk');
    const prepared = this.prepare(values, 'insert');
    const row = Object.fromEntries(
      AFK_ROW.map((p) => {
        const value = preparedValue(prepared, p);
        return [p, value === undefined ? AFK_DEFAULTS[p] : value];
      }),
    ) as AfkRow;
    const result = await this.runStatement(setMemberAfkStatement(this.model, row), CREATES_GUILD);
    return this.hydrate(this.firstRow(result.rows));
  }

  /**
   * Whether the member is AFK in the guild (has a row, expired or not).
   * @throws ValidationError for bad ids.
   *
   * ```ts
   * await db.afk.isMemberAfk(userId, guildId); // true (also once `until` has passed, until the row is removed)
   * ```
   */
  async isMemberAfk(userId: SnowflakeInput, guildId: SnowflakeInput): Promise<boolean> {
    const result = await this.runStatement<{ afk: boolean }>(isMemberAfkStatement(this.model, this.member(userId, guildId)), { prepare: true });
    return this.firstRow(result.rows).afk;
  }

  /**
   * Ends the member's AFK; true when they were AFK.
   * @throws ValidationError for bad ids.
   *
   * ```ts
   * await db.afk.removeMemberAfk(userId, guildId); // true
   * await db.afk.removeMemberAfk(userId, guildId); // false: not AFK any more
   * ```
   */
  async removeMemberAfk(userId: SnowflakeInput, guildId: SnowflakeInput): Promise<boolean> {
    return this.deleteById({ userId, guildId });
  }

  /**
   * The member's AFK row, or null when they are not AFK.
   * @throws ValidationError for bad ids.
   *
   * ```ts
   * await db.afk.setMemberAfk({ userId, guildId, afkMessage: 'brb' });
   * const afk = await db.afk.getAfkByMember(userId, guildId);
   * afk?.afkMessage; // 'brb'; afk is null when the member is not AFK
   * ```
   */
  async getAfkByMember(userId: SnowflakeInput, guildId: SnowflakeInput): Promise<Afk | null> {
    return this.getById({ userId, guildId });
  }

  /**
   * Every AFK member of the guild, longest AFK first.
   * @throws ValidationError for a bad id.
   *
   * ```ts
   * await db.afk.setMemberAfk({ userId: '1200000000000000001', guildId, afkMessage: 'sleeping' });
   * const afks = await db.afk.getAllAfkMembers(guildId);
   * afks.map((a) => a.userId); // [userId, '1200000000000000001']: longest AFK first
   * ```
   */
  async getAllAfkMembers(guildId: SnowflakeInput): Promise<Afk[]> {
    return this.findAll({ filters: { guildId }, orderBy: [{ since: 'ASC' }, { userId: 'ASC' }] });
  }

  /**
   * Whether the member is permanently AFK in the guild (false when not AFK).
   * @throws ValidationError for bad ids.
   *
   * ```ts
   * await db.afk.isMemberPermAfk(userId, guildId); // false: a temporary AFK
   * await db.afk.isMemberPermAfk(moderatorId, guildId); // false too: not AFK at all (no throw)
   * ```
   */
  async isMemberPermAfk(userId: SnowflakeInput, guildId: SnowflakeInput): Promise<boolean> {
    const result = await this.runStatement<{ perm: boolean }>(isMemberPermAfkStatement(this.model, this.member(userId, guildId)), { prepare: true });
    return this.firstRow(result.rows).perm;
  }

  /**
   * Makes an AFK permanent (clearing `until`) or temporary again; returns the row, or null when the member is not AFK.
   * @throws ValidationError for bad ids or a non-boolean.
   *
   * ```ts
   * await db.afk.setMemberAfk({ userId, guildId, afkMessage: 'away', until: new Date(Date.now() + 60_000) });
   * const afk = await db.afk.setPermanentAfk(userId, guildId);
   * afk?.until; // null: cleared; afk is null when the member is not AFK
   * ```
   */
  async setPermanentAfk(userId: SnowflakeInput, guildId: SnowflakeInput, permAfk = true): Promise<Afk | null> {
    return this.updateById({ userId, guildId }, permAfk === true ? { permAfk, until: null } : { permAfk });
  }

  /**
   * Marks an AFK as enforced by a moderator (or not); returns the row, or null when the member is not AFK.
   * @throws ValidationError for bad ids or a non-boolean.
   *
   * ```ts
   * const afk = await db.afk.setEnforced(userId, guildId);
   * afk?.enforced; // true
   * await db.afk.setEnforced(moderatorId, guildId); // null: moderatorId is not AFK
   * ```
   */
  async setEnforced(userId: SnowflakeInput, guildId: SnowflakeInput, enforced = true): Promise<Afk | null> {
    return this.updateById({ userId, guildId }, { enforced });
  }

  /**
   * Temporary AFKs that have ended (`until` ≤ now, not permanent), earliest first. Tux's shape `(guildId)` (its
   * get_expired_afk_members(guild_id)) and `(guildId, now)` read one guild; `(now?, guildId?)` reads every guild
   * unless one is given.
   * @throws ValidationError, before any SQL, for a bad date or id (see expiryArguments).
   *
   * ```ts
   * for (const afk of await db.afk.getExpiredAfkMembers(guildId)) await db.afk.removeMemberAfk(afk.userId, afk.guildId);
   * ```
   */
  getExpiredAfkMembers(guildId: SnowflakeInput, now?: Date): Promise<Afk[]>;
  getExpiredAfkMembers(now?: Date, guildId?: SnowflakeInput): Promise<Afk[]>;
  async getExpiredAfkMembers(first?: SnowflakeInput | Date, second?: SnowflakeInput | Date): Promise<Afk[]> {
    const { now, guildId } = expiryArguments(this.model.entityName, 'getExpiredAfkMembers', first, second);
    return this.findAll({
      filters: { permAfk: false, until: { lte: now }, ...(guildId === undefined ? {} : { guildId }) },
      orderBy: [{ until: 'ASC' }, { guildId: 'ASC' }, { userId: 'ASC' }],
    });
  }

  /** The member's ids, validated. @throws ValidationError for a bad id. */
  private member(userId: unknown, guildId: unknown): MemberIds {
    const [user, guild] = this.memberParams(userId, guildId);
    return { userId: user, guildId: guild };
  }
}
