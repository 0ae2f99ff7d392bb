import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import { IsInt, Max, MaxLength, Min, MinLength } from 'class-validator';
import { SnowflakeColumn } from './snowflake-column';
import { GuildReference } from './guild-reference';
import { RowId } from './row-id';
import type { Guild } from './guild';
import type { Snowflake } from './snowflake';

/** The permission rank a command requires in a guild. */
@Entity({ name: 'permission_commands' })
@Unique('uq_permission_commands_guild_command', ['guildId', 'commandName'])
@Check('permission_command_rank_range', '"required_rank" BETWEEN 0 AND 10')
@Check('permission_command_name_not_empty', 'length("command_name") > 0')
export class PermissionCommand {
  /** Database-generated id, a bigint returned as a string; the primary key with guildId, and unique by itself (see RowId). */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', name: 'command_id', generatedIdentity: 'ALWAYS', primaryKeyConstraintName: 'pk_permission_commands' })
  @RowId()
  commandId!: string;

  /** The guild the rule belongs to: Discord snowflake, as a string. Part of the primary key. */
  @SnowflakeColumn('guild_id', { primaryKey: 'pk_permission_commands' })
  guildId!: Snowflake;

  /** The owning Guild as a TypeORM relation (guild_id, ON DELETE CASCADE); the repositories never load it: read `guildId`. */
  @GuildReference('permission_commands')
  guild?: Guild;

  /** The command's name, 1–100 characters, unique in its guild. */
  @Column({ type: 'varchar', name: 'command_name', length: 100 })
  @MinLength(1)
  @MaxLength(100)
  commandName!: string;

  /** The lowest rank, 0–10, that may run the command in the guild. */
  @Column({ type: 'int', name: 'required_rank' })
  @IsInt()
  @Min(0)
  @Max(10)
  requiredRank!: number;

  /** When the row was created (set by the database). */
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  /** When the row last changed (set by the database on every update). */
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
