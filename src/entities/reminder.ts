import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { IsBoolean, IsDate, MaxLength, MinLength } from 'class-validator';
import { SnowflakeColumn } from './snowflake-column';
import { GuildReference } from './guild-reference';
import { RowId } from './row-id';
import type { Guild } from './guild';
import type { Snowflake } from './snowflake';

/** A reminder a user asked for; delivered once (see ReminderRepository.claimDueReminders). */
@Entity({ name: 'reminder' })
// Deleting a guild cascades here by guild_id: without this index each cascade scans the table.
@Index('ix_reminder_guild', ['guildId'])
@Index('ix_reminder_due', ['reminderExpiresAt'], { where: '"reminder_sent" = false' })
export class Reminder {
  /** Database-generated id, a bigint returned as a string; the primary key with guildId, and unique by itself (see RowId). */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', name: 'reminder_id', generatedIdentity: 'ALWAYS', primaryKeyConstraintName: 'pk_reminder' })
  @RowId()
  reminderId!: string;

  /** What to remind the user of, 1–2000 characters. */
  @Column({ type: 'varchar', name: 'reminder_content', length: 2000 })
  @MinLength(1)
  @MaxLength(2000)
  reminderContent!: string;

  /** When the reminder is due. */
  @Column({ type: 'timestamptz', name: 'reminder_expires_at' })
  @IsDate()
  reminderExpiresAt!: Date;

  /** The channel to deliver the reminder in: Discord snowflake, as a string. */
  @SnowflakeColumn('reminder_channel_id')
  reminderChannelId!: Snowflake;

  /** The user to remind: Discord snowflake, as a string. */
  @SnowflakeColumn('reminder_user_id')
  reminderUserId!: Snowflake;

  /** True once the reminder was delivered (claimDueReminders sets it); a new reminder is unsent. */
  @Column({ type: 'boolean', name: 'reminder_sent', default: false })
  @IsBoolean()
  reminderSent!: boolean;

  /** The guild the reminder was set in: Discord snowflake, as a string. Part of the primary key. */
  @SnowflakeColumn('guild_id', { primaryKey: 'pk_reminder' })
  guildId!: Snowflake;

  /** The owning Guild as a TypeORM relation (guild_id, ON DELETE CASCADE); the repositories never load it: read `guildId`. */
  @GuildReference('reminder')
  guild?: Guild;
}
