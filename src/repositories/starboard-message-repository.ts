import { injectable } from 'tsyringe';
import { StarboardMessage } from '../entities/starboard-message';
import { incrementStarCountStatement } from '../query/starboard-message-statements';
import type { SnowflakeInput } from '../entities/snowflake';
import { DatabaseService } from '../service/database-service';
import { UnitOfWork } from '../service/unit-of-work';
import { BaseRepository } from './base-repository';

/** What createOrUpdateStarboardMessage takes (starCount defaults to 0 on create). */
export interface NewStarboardMessage {
  /** The original message's id (the primary key with guildId; Discord's, so unique, which the database does not check: see StarboardMessage.messageId). */
  readonly messageId: SnowflakeInput;
  /** The guild of the original message: Discord snowflake (a string; a bigint or safe-integer number is accepted). */
  readonly guildId: SnowflakeInput;
  /** The channel of the original message: Discord snowflake (a string; a bigint or safe-integer number is accepted). */
  readonly messageChannelId: SnowflakeInput;
  /** The original message's author: Discord snowflake (a string; a bigint or safe-integer number is accepted). */
  readonly messageUserId: SnowflakeInput;
  /** The original message's text, at most 4000 characters. */
  readonly messageContent: string;
  /** When the starboard entry expires (stored as given). */
  readonly messageExpiresAt: Date;
  /** How many stars the message has, ≥ 0: 0 when omitted on create, unchanged when omitted on update. */
  readonly starCount?: number;
  /** The bot's copy in the starboard channel. */
  readonly starboardMessageId: SnowflakeInput;
}

const NEW_STARBOARD_MESSAGE_KEYS = [
  'messageId', 'guildId', 'messageChannelId', 'messageUserId', 'messageContent', 'messageExpiresAt', 'starCount', 'starboardMessageId',
] as const;

/**
 * Messages that reached a starboard, looked up by the original message's id. The table's key is (message id, guild)
 * for distribution by guild; the by-id methods take the id alone, since Discord never hands out one id twice (a
 * bot that writes one id under two guilds gets two rows, and the by-id methods then act on both).
 */
@injectable()
export class StarboardMessageRepository extends BaseRepository<StarboardMessage> {
  constructor(service: DatabaseService, unitOfWork?: UnitOfWork) {
    super(service, StarboardMessage, unitOfWork);
  }

  /**
   * Stores a starboard message, or updates the stored one with the same messageId in that guild (every given field
   * except guildId; starCount only when given). One INSERT … ON CONFLICT statement that also creates the guild row
   * when missing. Returns the stored row.
   * @throws ValidationError for bad input or a key that is not a NewStarboardMessage field.
   *
   * ```ts
   * const entry = await db.starboardMessage.createOrUpdateStarboardMessage({
   *   messageId, guildId, messageChannelId: channelId, messageUserId: userId, messageContent: 'Nice one',
   *   messageExpiresAt: new Date(Date.now() + 7 * 86_400_000), starboardMessageId: '1200000000000000001', // the bot's copy
   * }); // entry.starCount: 0, since none was given
   * ```
   */
  async createOrUpdateStarboardMessage(values: NewStarboardMessage): Promise<StarboardMessage> {
    this.checkOptions(values, NEW_STARBOARD_MESSAGE_KEYS, 'createOrUpdateStarboardMessage');
    // The key is (message_id, guild_id): the guild names the row and is only inserted, so a message never moves.
    const { messageId, guildId, ...changes } = values;
    const [row] = await this.upsert({ filters: { messageId, guildId }, values: changes });
    return row;
  }

  /**
   * The starboard entry of an original message, or null. @throws ValidationError for a bad id.
   *
   * ```ts
   * const entry = await db.starboardMessage.getStarboardMessageById(messageId); // { messageContent: 'Nice one', starCount: 0, … }
   * ```
   */
  getStarboardMessageById(messageId: SnowflakeInput): Promise<StarboardMessage | null> {
    return this.getById(messageId);
  }

  /**
   * The entry whose copy in the starboard channel has this id (optionally within one guild), or null. @throws ValidationError.
   *
   * ```ts
   * const entry = await db.starboardMessage.getStarboardMessageByStarboardMessageId('1200000000000000001', guildId); // the entry of messageId
   * ```
   */
  getStarboardMessageByStarboardMessageId(starboardMessageId: SnowflakeInput, guildId?: SnowflakeInput): Promise<StarboardMessage | null> {
    return this.findOne({ filters: { starboardMessageId, ...(guildId === undefined ? {} : { guildId }) } });
  }

  /**
   * Sets the star count to `starCount` (≥ 0) and returns the entry, or null when there is none. @throws ValidationError.
   *
   * ```ts
   * const entry = await db.starboardMessage.setStarCount(messageId, 4); // starCount 4
   * ```
   */
  setStarCount(messageId: SnowflakeInput, starCount: number): Promise<StarboardMessage | null> {
    return this.updateById(messageId, { starCount });
  }

  /**
   * Adds `delta` stars (negative removes) atomically in one statement, clamped to 0–2147483647: removals never
   * drive the count below 0 (a reaction removed twice is clamped, not an error), and the count saturates at the
   * int4 maximum instead of overflowing. Returns the new count, or null when the message has no entry.
   * @throws ValidationError, before any SQL, for a bad id or a delta that is not an integer within int4.
   *
   * ```ts
   * const stars = await db.starboardMessage.incrementStarCount(messageId); // 5
   * const clamped = await db.starboardMessage.incrementStarCount(messageId, -10); // 0, not -5
   * ```
   */
  async incrementStarCount(messageId: SnowflakeInput, delta = 1): Promise<number | null> {
    const [message] = this.idParams(messageId);
    const statement = incrementStarCountStatement(this.model, message, this.coerce('starCount', delta, 'delta'));
    const result = await this.runStatement<{ starCount: number }>(statement, { prepare: true });
    return result.rows[0]?.starCount ?? null;
  }

  /**
   * The guild's most starred messages, most stars first (ties: older message id first), at most `limit` (default 10). @throws ValidationError.
   *
   * ```ts
   * const top = await db.starboardMessage.getTopStarredMessages(guildId, 5); // [the entry of messageId]
   * ```
   */
  getTopStarredMessages(guildId: SnowflakeInput, limit = 10): Promise<StarboardMessage[]> {
    return this.findAll({ filters: { guildId }, orderBy: { starCount: 'DESC', messageId: 'ASC' }, limit });
  }

  /**
   * Deletes the entry of an original message; true when there was one. @throws ValidationError for a bad id.
   *
   * ```ts
   * const deleted = await db.starboardMessage.deleteStarboardMessage(messageId); // true; false when there was no entry
   * ```
   */
  deleteStarboardMessage(messageId: SnowflakeInput): Promise<boolean> {
    return this.deleteById(messageId);
  }
}
