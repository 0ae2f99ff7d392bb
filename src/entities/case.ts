import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import { IsBoolean, IsDate, IsEnum, IsInt, IsObject, IsOptional, MaxLength, Min } from 'class-validator';
import { SnowflakeColumn, SnowflakeListColumn } from './snowflake-column';
import { GuildReference } from './guild-reference';
import { RowId } from './row-id';
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
  /** Database-generated id, a bigint returned as a string; the primary key with guildId, and unique by itself (see RowId). */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', name: 'case_id', generatedIdentity: 'ALWAYS', primaryKeyConstraintName: 'pk_cases' })
  @RowId()
  caseId!: string;

  /** The case's number within its guild: 1, 2, 3, … with no gap (assigned by the database; never given or changed). */
  @Column({ type: 'int', name: 'case_number' })
  @Assigned('is assigned by the database from the guild counter (createCase, createCases); it is never given or changed')
  @IsInt()
  @Min(1)
  caseNumber!: number;

  /** What the case records: BAN, TEMPBAN, WARN, JAIL, … (CaseType). */
  @Column({ type: 'enum', name: 'case_type', enum: CaseType, enumName: 'case_type' })
  @IsEnum(CaseType)
  caseType!: CaseType;

  /** The member the case is about: Discord snowflake, as a string. */
  @SnowflakeColumn('case_user_id')
  caseUserId!: Snowflake;

  /** The moderator who made the case: Discord snowflake, as a string. */
  @SnowflakeColumn('case_moderator_id')
  caseModeratorId!: Snowflake;

  /** The guild the case belongs to: Discord snowflake, as a string; never changes (its counter numbered the case). Part of the primary key. */
  @SnowflakeColumn('guild_id', { primaryKey: 'pk_cases' })
  @InsertOnly('cannot change: a case stays in the guild whose counter numbered it')
  guildId!: Snowflake;

  /** The owning Guild as a TypeORM relation (guild_id, ON DELETE CASCADE); the repositories never load it: read `guildId`. */
  @GuildReference('cases')
  guild?: Guild;

  /** The moderator's reason, at most 2000 characters; null when none was given. */
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

  /** When a temporary action (tempban, timeout, …) ends; null when the case does not expire. */
  @Column({ type: 'timestamptz', name: 'case_expires_at', nullable: true })
  @IsOptional()
  @IsDate()
  caseExpiresAt!: Date | null;

  /** Role ids the user had when the case was made (restored by unjail); snowflake strings. */
  @SnowflakeListColumn('case_user_roles')
  caseUserRoles!: Snowflake[];

  /** Extra data about the case, a JSON object; null when there is none. */
  @Column({ type: 'jsonb', name: 'case_metadata', nullable: true })
  @IsOptional()
  @IsObject()
  caseMetadata!: Record<string, unknown> | null;

  /** The case's message in the mod-log channel: Discord snowflake, as a string; null when none was posted. */
  @SnowflakeColumn('mod_log_message_id', { nullable: true })
  @IsOptional()
  modLogMessageId!: Snowflake | null;

  /** When the case was made (set by the database). */
  @CreateDateColumn({ type: 'timestamptz', name: 'case_created_at' })
  caseCreatedAt!: Date;

  /** When the case last changed (set by the database on every update). */
  @UpdateDateColumn({ type: 'timestamptz', name: 'case_updated_at' })
  caseUpdatedAt!: Date;
}
