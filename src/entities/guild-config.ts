import { Check, Column, CreateDateColumn, Entity, UpdateDateColumn } from 'typeorm';
import { IsBoolean, IsEnum, IsOptional, MaxLength, MinLength } from 'class-validator';
import { SnowflakeColumn } from './snowflake-column';
import { GuildReference } from './guild-reference';
import { OnboardingStage } from './enums';
import type { Guild } from './guild';
import type { Snowflake } from './snowflake';

/** Per-guild bot settings: prefix, log channels, jail, onboarding progress. */
@Entity({ name: 'guild_config' })
@Check('prefix_not_empty', 'length("prefix") > 0')
export class GuildConfig {
  /** The guild these settings belong to (the primary key): Discord snowflake, as a string. */
  @SnowflakeColumn('guild_id', { primaryKey: 'pk_guild_config' })
  guildId!: Snowflake;

  /** The owning Guild as a TypeORM relation (guild_id, ON DELETE CASCADE); the repositories never load it: read `guildId`. */
  @GuildReference('guild_config')
  guild?: Guild;

  /** The bot's command prefix in the guild, 1–10 characters (default '!'). */
  @Column({ type: 'varchar', name: 'prefix', length: 10, default: '!' })
  @MinLength(1)
  @MaxLength(10)
  prefix!: string;

  /** The general log channel: Discord snowflake, as a string; null when unset. */
  @SnowflakeColumn('log_channel_id', { nullable: true })
  @IsOptional()
  logChannelId!: Snowflake | null;

  /** The mod-log channel: Discord snowflake, as a string; null when unset. */
  @SnowflakeColumn('mod_log_id', { nullable: true })
  @IsOptional()
  modLogId!: Snowflake | null;

  /** The audit-log channel: Discord snowflake, as a string; null when unset. */
  @SnowflakeColumn('audit_log_id', { nullable: true })
  @IsOptional()
  auditLogId!: Snowflake | null;

  /** The join-log channel: Discord snowflake, as a string; null when unset. */
  @SnowflakeColumn('join_log_id', { nullable: true })
  @IsOptional()
  joinLogId!: Snowflake | null;

  /** The private-log channel: Discord snowflake, as a string; null when unset. */
  @SnowflakeColumn('private_log_id', { nullable: true })
  @IsOptional()
  privateLogId!: Snowflake | null;

  /** The report-log channel: Discord snowflake, as a string; null when unset. */
  @SnowflakeColumn('report_log_id', { nullable: true })
  @IsOptional()
  reportLogId!: Snowflake | null;

  /** The developer-log channel: Discord snowflake, as a string; null when unset. */
  @SnowflakeColumn('dev_log_id', { nullable: true })
  @IsOptional()
  devLogId!: Snowflake | null;

  /** The jail channel: Discord snowflake, as a string; null when unset. */
  @SnowflakeColumn('jail_channel_id', { nullable: true })
  @IsOptional()
  jailChannelId!: Snowflake | null;

  /** The role given to jailed members: Discord snowflake, as a string; null when unset. */
  @SnowflakeColumn('jail_role_id', { nullable: true })
  @IsOptional()
  jailRoleId!: Snowflake | null;

  /** Whether the guild has finished the bot's onboarding (default false). */
  @Column({ type: 'boolean', name: 'onboarding_completed', default: false })
  @IsBoolean()
  onboardingCompleted!: boolean;

  /** How far the guild's onboarding has got (OnboardingStage); null when not recorded. */
  @Column({ type: 'enum', name: 'onboarding_stage', enum: OnboardingStage, enumName: 'onboarding_stage', nullable: true })
  @IsOptional()
  @IsEnum(OnboardingStage)
  onboardingStage!: OnboardingStage | null;

  /** When the row was created (set by the database). */
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  /** When the row last changed (set by the database on every update). */
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
