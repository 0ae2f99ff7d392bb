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
  @SnowflakeColumn('guild_id', { primaryKey: 'pk_guild_config' })
  guildId!: Snowflake;

  @GuildReference('guild_config')
  guild?: Guild;

  @Column({ type: 'varchar', name: 'prefix', length: 10, default: '!' })
  @MinLength(1)
  @MaxLength(10)
  prefix!: string;

  @SnowflakeColumn('log_channel_id', { nullable: true })
  @IsOptional()
  logChannelId!: Snowflake | null;

  @SnowflakeColumn('mod_log_id', { nullable: true })
  @IsOptional()
  modLogId!: Snowflake | null;

  @SnowflakeColumn('audit_log_id', { nullable: true })
  @IsOptional()
  auditLogId!: Snowflake | null;

  @SnowflakeColumn('join_log_id', { nullable: true })
  @IsOptional()
  joinLogId!: Snowflake | null;

  @SnowflakeColumn('private_log_id', { nullable: true })
  @IsOptional()
  privateLogId!: Snowflake | null;

  @SnowflakeColumn('report_log_id', { nullable: true })
  @IsOptional()
  reportLogId!: Snowflake | null;

  @SnowflakeColumn('dev_log_id', { nullable: true })
  @IsOptional()
  devLogId!: Snowflake | null;

  @SnowflakeColumn('jail_channel_id', { nullable: true })
  @IsOptional()
  jailChannelId!: Snowflake | null;

  @SnowflakeColumn('jail_role_id', { nullable: true })
  @IsOptional()
  jailRoleId!: Snowflake | null;

  @Column({ type: 'boolean', name: 'onboarding_completed', default: false })
  @IsBoolean()
  onboardingCompleted!: boolean;

  @Column({ type: 'enum', name: 'onboarding_stage', enum: OnboardingStage, enumName: 'onboarding_stage', nullable: true })
  @IsOptional()
  @IsEnum(OnboardingStage)
  onboardingStage!: OnboardingStage | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
