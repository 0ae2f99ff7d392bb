import { Check, Column, Entity, Index } from 'typeorm';
import { IsBoolean, IsDate, IsInt, IsNumber, Min } from 'class-validator';
import { SnowflakeColumn } from './snowflake-column';
import { GuildReference } from './guild-reference';
import type { Guild } from './guild';
import type { Snowflake } from './snowflake';

/** A member's XP and level in a guild. */
@Entity({ name: 'levels' })
// Deleting a guild cascades here by guild_id: without this index each cascade scans the table.
@Index('ix_levels_guild', ['guildId'])
@Check('xp_non_negative', '"xp" >= 0')
@Check('level_non_negative', '"level" >= 0')
// (guild_id, xp DESC) WHERE NOT blacklisted: TypeORM cannot express DESC, so the migration owns it.
@Index('ix_levels_leaderboard', { synchronize: false })
export class Levels {
  /** The member: Discord snowflake, as a string (the primary key with guildId). */
  @SnowflakeColumn('user_id', { primaryKey: 'pk_levels' })
  userId!: Snowflake;

  /** The guild: Discord snowflake, as a string (the primary key with userId). */
  @SnowflakeColumn('guild_id', { primaryKey: 'pk_levels' })
  guildId!: Snowflake;

  /** The owning Guild as a TypeORM relation (guild_id, ON DELETE CASCADE); the repositories never load it: read `guildId`. */
  @GuildReference('levels')
  guild?: Guild;

  /** The member's experience points, a double ≥ 0 (default 0); addXp adds to it in SQL, so concurrent awards add up. */
  @Column({ type: 'double precision', name: 'xp', default: 0 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  xp!: number;

  /** The member's level, ≥ 0: follows from xp by the level formula on every write of xp that gives no level (setLevel writes the XP of a level). */
  @Column({ type: 'int', name: 'level', default: 0 })
  @IsInt()
  @Min(0)
  level!: number;

  /** A blacklisted member earns no XP and is left out of ranks and leaderboards (default false). */
  @Column({ type: 'boolean', name: 'blacklisted', default: false })
  @IsBoolean()
  blacklisted!: boolean;

  /** When the member last earned XP (the cooldown reference). */
  @Column({ type: 'timestamptz', name: 'last_message', default: () => 'now()' })
  @IsDate()
  lastMessage!: Date;
}
