import { injectable } from 'tsyringe';
import { Starboard } from '../entities/starboard';
import { upsertStarboardStatement } from '../query/starboard-statements';
import type { SnowflakeInput } from '../entities/snowflake';
import { DatabaseService } from '../service/database-service';
import { UnitOfWork } from '../service/unit-of-work';
import { BaseRepository } from './base-repository';
import { CREATES_GUILD } from './ensure-guild-sql';
import { preparedValue } from './prepare-values';

/** A guild's starboard settings as createOrUpdateStarboard takes them (threshold defaults to 1). */
export interface StarboardSettings {
  /** The channel starred messages are reposted in: Discord snowflake (a string; a bigint or safe-integer number is accepted). */
  readonly starboardChannelId: SnowflakeInput;
  /** The emoji whose reactions count as stars, 1–64 characters. */
  readonly starboardEmoji: string;
  /** Stars a message needs, ≥ 1: 1 when omitted on create, unchanged when omitted on update. */
  readonly starboardThreshold?: number;
}

/** Fields updateStarboard may change. */
export type StarboardPatch = Partial<StarboardSettings>;

const SETTINGS = ['starboardChannelId', 'starboardEmoji', 'starboardThreshold'] as const;

/** Starboard settings, one row per guild (primary key guild_id). */
@injectable()
export class StarboardRepository extends BaseRepository<Starboard> {
  constructor(service: DatabaseService, unitOfWork?: UnitOfWork) {
    super(service, Starboard, unitOfWork);
  }

  /**
   * Creates the guild's starboard, or replaces its channel and emoji (and threshold, when given; an omitted
   * threshold is 1 on create and unchanged on update). One INSERT … ON CONFLICT statement that also creates
   * the guild row when missing. Returns the stored settings.
   * @throws ValidationError for bad or unknown fields.
   *
   * ```ts
   * await db.starboard.createOrUpdateStarboard(guildId, { starboardChannelId: channelId, starboardEmoji: '⭐', starboardThreshold: 3 });
   * const starboard = await db.starboard.createOrUpdateStarboard(guildId, { starboardChannelId: channelId, starboardEmoji: '🌟' }); // threshold still 3
   * ```
   */
  async createOrUpdateStarboard(guildId: SnowflakeInput, settings: StarboardSettings): Promise<Starboard> {
    this.checkOptions(settings, SETTINGS, 'createOrUpdateStarboard');
    const prepared = this.prepare({ ...settings, guildId }, 'insert');
    const others = prepared.columns.map((c, i) => [c, prepared.params[i]] as const).filter(([c]) => c.property !== 'guildId');
    const settingsValues = { columns: others.map(([c]) => c), params: others.map(([, p]) => p) };
    const statement = upsertStarboardStatement(this.model, preparedValue(prepared, 'guildId'), settingsValues);
    const result = await this.runStatement(statement, CREATES_GUILD);
    return this.hydrate(this.firstRow(result.rows));
  }

  /**
   * The guild's starboard settings, or null when it has none. @throws ValidationError for a bad guild id.
   *
   * ```ts
   * const starboard = await db.starboard.getStarboardByGuildId(guildId); // { starboardEmoji: '🌟', starboardThreshold: 3, … }
   * ```
   */
  getStarboardByGuildId(guildId: SnowflakeInput): Promise<Starboard | null> {
    return this.getById(guildId);
  }

  /**
   * Changes some settings and returns them, or null when the guild has no starboard. @throws ValidationError (the guild id cannot change).
   *
   * ```ts
   * const starboard = await db.starboard.updateStarboard(guildId, { starboardThreshold: 5 }); // threshold 5, the rest unchanged
   * ```
   */
  async updateStarboard(guildId: SnowflakeInput, values: StarboardPatch): Promise<Starboard | null> {
    this.checkOptions(values, SETTINGS, 'updateStarboard');
    return this.updateById(guildId, values);
  }

  /**
   * Deletes the guild's starboard; true when it had one. @throws ValidationError for a bad guild id.
   *
   * ```ts
   * const deleted = await db.starboard.deleteStarboard(guildId); // true; false when the guild had none
   * ```
   */
  deleteStarboard(guildId: SnowflakeInput): Promise<boolean> {
    return this.deleteById(guildId);
  }
}
