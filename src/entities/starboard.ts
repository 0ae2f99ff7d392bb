import { Check, Column, Entity } from 'typeorm';
import { IsInt, MaxLength, Min, MinLength } from 'class-validator';
import { SnowflakeColumn } from './snowflake-column';
import { GuildReference } from './guild-reference';
import type { Guild } from './guild';
import type { Snowflake } from './snowflake';

/** A guild's starboard settings: where starred messages go, which emoji counts, how many stars it takes. */
@Entity({ name: 'starboard' })
@Check('starboard_threshold_positive', '"starboard_threshold" >= 1')
export class Starboard {
  @SnowflakeColumn('guild_id', { primaryKey: 'pk_starboard' })
  guildId!: Snowflake;

  @GuildReference('starboard')
  guild?: Guild;

  @SnowflakeColumn('starboard_channel_id')
  starboardChannelId!: Snowflake;

  @Column({ type: 'varchar', name: 'starboard_emoji', length: 64 })
  @MinLength(1)
  @MaxLength(64)
  starboardEmoji!: string;

  @Column({ type: 'int', name: 'starboard_threshold', default: 1 })
  @IsInt()
  @Min(1)
  starboardThreshold!: number;
}
