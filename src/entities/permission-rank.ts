import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import { IsInt, IsOptional, Max, MaxLength, Min, MinLength } from 'class-validator';
import { SnowflakeColumn } from './snowflake-column';
import { GuildReference } from './guild-reference';
import type { Guild } from './guild';
import type { Snowflake } from './snowflake';

/** A named permission rank (0–10) of a guild; higher ranks may do more. */
@Entity({ name: 'permission_ranks' })
@Unique('uq_permission_ranks_guild_rank', ['guildId', 'rank'])
@Unique('uq_permission_ranks_guild_name', ['guildId', 'name'])
@Check('permission_rank_range', '"rank" BETWEEN 0 AND 10')
@Check('permission_rank_name_not_empty', 'length("name") > 0')
export class PermissionRank {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', name: 'permission_rank_id', generatedIdentity: 'ALWAYS', primaryKeyConstraintName: 'pk_permission_ranks' })
  permissionRankId!: string;

  @SnowflakeColumn('guild_id')
  guildId!: Snowflake;

  @GuildReference('permission_ranks')
  guild?: Guild;

  @Column({ type: 'int', name: 'rank' })
  @IsInt()
  @Min(0)
  @Max(10)
  rank!: number;

  @Column({ type: 'varchar', name: 'name', length: 100 })
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  @Column({ type: 'varchar', name: 'description', length: 500, nullable: true })
  @IsOptional()
  @MaxLength(500)
  description!: string | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
