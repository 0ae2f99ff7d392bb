import { Check, Column, Entity, Index } from 'typeorm';
import { IsDate, IsInt, MaxLength, Min } from 'class-validator';
import { SnowflakeColumn } from './snowflake-column';
import { GuildReference } from './guild-reference';
import { RowId } from './row-id';
import type { Guild } from './guild';
import type { Snowflake } from './snowflake';

/** A message that reached a starboard, keyed by the original message's id. */
@Entity({ name: 'starboard_message' })
@Check('star_count_non_negative', '"star_count" >= 0')
// (guild_id, star_count DESC): TypeORM cannot express DESC, so the migration owns it.
@Index('ix_starboard_message_top', { synchronize: false })
export class StarboardMessage {
  /**
   * The original message's id: Discord snowflake, as a string; the primary key with guildId (see RowId). Discord hands
   * each message id out once, so it names one entry and the lookups by id take it alone; the database does not check
   * that, so one id written under two guilds makes two rows, which the lookups by id alone then both see.
   */
  @SnowflakeColumn('message_id', { primaryKey: 'pk_starboard_message' })
  @RowId()
  messageId!: Snowflake;

  /** The guild of the original message: Discord snowflake, as a string. Part of the primary key. */
  @SnowflakeColumn('guild_id', { primaryKey: 'pk_starboard_message' })
  guildId!: Snowflake;

  /** The owning Guild as a TypeORM relation (guild_id, ON DELETE CASCADE); the repositories never load it: read `guildId`. */
  @GuildReference('starboard_message')
  guild?: Guild;

  /** The channel of the original message: Discord snowflake, as a string. */
  @SnowflakeColumn('message_channel_id')
  messageChannelId!: Snowflake;

  /** The original message's author: Discord snowflake, as a string. */
  @SnowflakeColumn('message_user_id')
  messageUserId!: Snowflake;

  /** The original message's text, at most 4000 characters. */
  @Column({ type: 'varchar', name: 'message_content', length: 4000 })
  @MaxLength(4000)
  messageContent!: string;

  /** When the starboard entry expires (Tux's message_expires_at): stored as given; no method here acts on it. */
  @Column({ type: 'timestamptz', name: 'message_expires_at' })
  @IsDate()
  messageExpiresAt!: Date;

  /** How many stars the message has, ≥ 0 (default 0); incrementStarCount changes it in SQL. */
  @Column({ type: 'int', name: 'star_count', default: 0 })
  @IsInt()
  @Min(0)
  starCount!: number;

  /** The bot's copy of the message in the starboard channel. */
  @SnowflakeColumn('starboard_message_id')
  starboardMessageId!: Snowflake;
}
