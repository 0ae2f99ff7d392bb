import { Check, Column, Entity, Index } from 'typeorm';
import { IsBoolean, IsDate, IsOptional, MaxLength } from 'class-validator';
import { SnowflakeColumn } from './snowflake-column';
import { GuildReference } from './guild-reference';
import type { Guild } from './guild';
import type { Snowflake } from './snowflake';

/** A member marked AFK in a guild: temporary (`until`), permanent (`permAfk`) or enforced by a moderator. */
@Entity({ name: 'afk' })
// Deleting a guild cascades here by guild_id: without this index each cascade scans the table.
@Index('ix_afk_guild', ['guildId'])
@Check('afk_until_after_since', '"until" IS NULL OR "until" > "since"')
@Check('afk_permanent_without_until', 'NOT "perm_afk" OR "until" IS NULL')
@Index('ix_afk_until_temporary', ['until'], { where: '"perm_afk" = false AND "until" IS NOT NULL' })
export class Afk {
  /** The AFK member: Discord snowflake, as a string (the primary key with guildId). */
  @SnowflakeColumn('user_id', { primaryKey: 'pk_afk' })
  userId!: Snowflake;

  /** The guild the member is AFK in: Discord snowflake, as a string (the primary key with userId). */
  @SnowflakeColumn('guild_id', { primaryKey: 'pk_afk' })
  guildId!: Snowflake;

  /** The owning Guild as a TypeORM relation (guild_id, ON DELETE CASCADE); the repositories never load it: read `guildId`. */
  @GuildReference('afk')
  guild?: Guild;

  /** The member's nickname before the bot prefixed it with [AFK]. */
  @Column({ type: 'varchar', name: 'nickname', length: 100, nullable: true })
  @IsOptional()
  @MaxLength(100)
  nickname!: string | null;

  /** The member's AFK message (Tux's reason), at most 500 characters. */
  @Column({ type: 'varchar', name: 'afk_message', length: 500 })
  @MaxLength(500)
  afkMessage!: string;

  /** When the member went AFK (default: the database's now()). */
  @Column({ type: 'timestamptz', name: 'since', default: () => 'now()' })
  @IsDate()
  since!: Date;

  /** When a temporary AFK ends (always after `since`); null when it has no end, as a permanent AFK. */
  @Column({ type: 'timestamptz', name: 'until', nullable: true })
  @IsOptional()
  @IsDate()
  until!: Date | null;

  /** Set by a moderator: the member stays AFK until a moderator removes it. */
  @Column({ type: 'boolean', name: 'enforced', default: false })
  @IsBoolean()
  enforced!: boolean;

  /** A permanent AFK: never expires and has no `until` (default false). */
  @Column({ type: 'boolean', name: 'perm_afk', default: false })
  @IsBoolean()
  permAfk!: boolean;
}
