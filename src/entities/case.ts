import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import { IsArray, IsBoolean, IsDate, IsEnum, IsInt, IsObject, IsOptional, MaxLength, Min } from 'class-validator';
import { IsSnowflake, SnowflakeColumn } from './snowflake-column';
import { GuildReference } from './guild-reference';
import { Assigned, InsertOnly } from './write-rule';
import { CaseType } from './enums';
import type { Guild } from './guild';
import type { Snowflake } from './snowflake';

/** A moderation case: numbered 1, 2, 3, … per guild with no gap (see CaseRepository.createCase). */
@Entity({ name: 'cases' })
@Unique('uq_cases_guild_case_number', ['guildId', 'caseNumber'])
@Check('case_number_positive', '"case_number" >= 1')
@Index('ix_cases_guild_user', ['guildId', 'caseUserId'])
@Index('ix_cases_guild_moderator', ['guildId', 'caseModeratorId'])
@Index('ix_cases_guild_created', ['guildId', 'caseCreatedAt'])
@Index('ix_cases_unprocessed_expiry', ['caseExpiresAt'], { where: '"case_processed" = false AND "case_expires_at" IS NOT NULL' })
export class Case {
  /** Database-generated key, a bigint returned as a string. */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', name: 'case_id', generatedIdentity: 'ALWAYS', primaryKeyConstraintName: 'pk_cases' })
  caseId!: string;

  @Column({ type: 'int', name: 'case_number' })
  @Assigned('is assigned by the database from the guild counter (createCase, createCases); it is never given or changed')
  @IsInt()
  @Min(1)
  caseNumber!: number;

  @Column({ type: 'enum', name: 'case_type', enum: CaseType, enumName: 'case_type' })
  @IsEnum(CaseType)
  caseType!: CaseType;

  @SnowflakeColumn('case_user_id')
  caseUserId!: Snowflake;

  @SnowflakeColumn('case_moderator_id')
  caseModeratorId!: Snowflake;

  @SnowflakeColumn('guild_id')
  @InsertOnly('cannot change: a case stays in the guild whose counter numbered it')
  guildId!: Snowflake;

  @GuildReference('cases')
  guild?: Guild;

  @Column({ type: 'varchar', name: 'case_reason', length: 2000, nullable: true })
  @IsOptional()
  @MaxLength(2000)
  caseReason!: string | null;

  /** False once the case is closed (soft delete). */
  @Column({ type: 'boolean', name: 'case_status', default: true })
  @IsBoolean()
  caseStatus!: boolean;

  /** True once an expiring case (tempban, timeout) has been acted on. */
  @Column({ type: 'boolean', name: 'case_processed', default: false })
  @IsBoolean()
  caseProcessed!: boolean;

  @Column({ type: 'timestamptz', name: 'case_expires_at', nullable: true })
  @IsOptional()
  @IsDate()
  caseExpiresAt!: Date | null;

  /** Role ids the user had when the case was made (restored by unjail); snowflake strings. */
  @Column({ type: 'jsonb', name: 'case_user_roles', default: () => "'[]'" })
  @IsArray()
  @IsSnowflake({ each: true })
  caseUserRoles!: Snowflake[];

  @Column({ type: 'jsonb', name: 'case_metadata', nullable: true })
  @IsOptional()
  @IsObject()
  caseMetadata!: Record<string, unknown> | null;

  @SnowflakeColumn('mod_log_message_id', { nullable: true })
  @IsOptional()
  modLogMessageId!: Snowflake | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'case_created_at' })
  caseCreatedAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'case_updated_at' })
  caseUpdatedAt!: Date;
}
