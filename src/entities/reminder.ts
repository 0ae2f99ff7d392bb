import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { IsBoolean, IsDate, MaxLength, MinLength } from 'class-validator';
import { SnowflakeColumn } from './snowflake-column';
import { GuildReference } from './guild-reference';
import type { Guild } from './guild';
import type { Snowflake } from './snowflake';

/** A reminder a user asked for; delivered once (see ReminderRepository.claimDueReminders). */
@Entity({ name: 'reminder' })
// Deleting a guild cascades here by guild_id: without this index each cascade scans the table.
@Index('ix_reminder_guild', ['guildId'])
@Index('ix_reminder_due', ['reminderExpiresAt'], { where: '"reminder_sent" = false' })
export class Reminder {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', name: 'reminder_id', generatedIdentity: 'ALWAYS', primaryKeyConstraintName: 'pk_reminder' })
  reminderId!: string;

  @Column({ type: 'varchar', name: 'reminder_content', length: 2000 })
  @MinLength(1)
  @MaxLength(2000)
  reminderContent!: string;

  @Column({ type: 'timestamptz', name: 'reminder_expires_at' })
  @IsDate()
  reminderExpiresAt!: Date;

  @SnowflakeColumn('reminder_channel_id')
  reminderChannelId!: Snowflake;

  @SnowflakeColumn('reminder_user_id')
  reminderUserId!: Snowflake;

  @Column({ type: 'boolean', name: 'reminder_sent', default: false })
  @IsBoolean()
  reminderSent!: boolean;

  @SnowflakeColumn('guild_id')
  guildId!: Snowflake;

  @GuildReference('reminder')
  guild?: Guild;
}
