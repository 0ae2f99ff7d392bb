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
  /** The guild these settings belong to (the primary key): Discord snowflake, as a string. */
  @SnowflakeColumn('guild_id', { primaryKey: 'pk_starboard' })
  guildId!: Snowflake;

  /** The owning Guild as a TypeORM relation (guild_id, ON DELETE CASCADE); the repositories never load it: read `guildId`. */
  @GuildReference('starboard')
  guild?: Guild;

  /** The channel starred messages are reposted in: Discord snowflake, as a string. */
  @SnowflakeColumn('starboard_channel_id')
  starboardChannelId!: Snowflake;

  /** The emoji whose reactions count as stars, 1–64 characters. */
  @Column({ type: 'varchar', name: 'starboard_emoji', length: 64 })
  @MinLength(1)
  @MaxLength(64)
  starboardEmoji!: string;

  /** How many stars a message needs to reach the starboard, ≥ 1 (default 1). */
  @Column({ type: 'int', name: 'starboard_threshold', default: 1 })
  @IsInt()
  @Min(1)
  starboardThreshold!: number;
}
