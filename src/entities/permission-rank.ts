import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import { IsInt, IsOptional, Max, MaxLength, Min, MinLength } from 'class-validator';
import { SnowflakeColumn } from './snowflake-column';
import { GuildReference } from './guild-reference';
import { RowId } from './row-id';
import type { Guild } from './guild';
import type { Snowflake } from './snowflake';

/** A named permission rank (0–10) of a guild; higher ranks may do more. */
@Entity({ name: 'permission_ranks' })
@Unique('uq_permission_ranks_guild_rank', ['guildId', 'rank'])
@Unique('uq_permission_ranks_guild_name', ['guildId', 'name'])
@Check('permission_rank_range', '"rank" BETWEEN 0 AND 10')
@Check('permission_rank_name_not_empty', 'length("name") > 0')
export class PermissionRank {
  /** Database-generated id, a bigint returned as a string; the primary key with guildId, and unique by itself (see RowId). */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', name: 'permission_rank_id', generatedIdentity: 'ALWAYS', primaryKeyConstraintName: 'pk_permission_ranks' })
  @RowId()
  permissionRankId!: string;

  /** The guild the rank belongs to: Discord snowflake, as a string. Part of the primary key. */
  @SnowflakeColumn('guild_id', { primaryKey: 'pk_permission_ranks' })
  guildId!: Snowflake;

  /** The owning Guild as a TypeORM relation (guild_id, ON DELETE CASCADE); the repositories never load it: read `guildId`. */
  @GuildReference('permission_ranks')
  guild?: Guild;

  /** The rank's number, 0–10, unique in its guild; a higher rank may do more. */
  @Column({ type: 'int', name: 'rank' })
  @IsInt()
  @Min(0)
  @Max(10)
  rank!: number;

  /** The rank's name, 1–100 characters, unique in its guild. */
  @Column({ type: 'varchar', name: 'name', length: 100 })
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  /** What the rank is for, at most 500 characters; null when none. */
  @Column({ type: 'varchar', name: 'description', length: 500, nullable: true })
  @IsOptional()
  @MaxLength(500)
  description!: string | null;

  /** When the row was created (set by the database). */
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  /** When the row last changed (set by the database on every update). */
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
