import { Check, Column, Entity, Index } from 'typeorm';
import { IsDate, IsInt, MaxLength, Min } from 'class-validator';
import { SnowflakeColumn } from './snowflake-column';
import { GuildReference } from './guild-reference';
import type { Guild } from './guild';
import type { Snowflake } from './snowflake';

/** A message that reached a starboard, keyed by the original message's id. */
@Entity({ name: 'starboard_message' })
@Check('star_count_non_negative', '"star_count" >= 0')
// (guild_id, star_count DESC): TypeORM cannot express DESC, so the migration owns it.
@Index('ix_starboard_message_top', { synchronize: false })
export class StarboardMessage {
  @SnowflakeColumn('message_id', { primaryKey: 'pk_starboard_message' })
  messageId!: Snowflake;

  @SnowflakeColumn('guild_id')
  guildId!: Snowflake;

  @GuildReference('starboard_message')
  guild?: Guild;

  @SnowflakeColumn('message_channel_id')
  messageChannelId!: Snowflake;

  @SnowflakeColumn('message_user_id')
  messageUserId!: Snowflake;

  @Column({ type: 'varchar', name: 'message_content', length: 4000 })
  @MaxLength(4000)
  messageContent!: string;

  @Column({ type: 'timestamptz', name: 'message_expires_at' })
  @IsDate()
  messageExpiresAt!: Date;

  @Column({ type: 'int', name: 'star_count', default: 0 })
  @IsInt()
  @Min(0)
  starCount!: number;

  /** The bot's copy of the message in the starboard channel. */
  @SnowflakeColumn('starboard_message_id')
  starboardMessageId!: Snowflake;
}
