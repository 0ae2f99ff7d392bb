import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import { IsInt, Max, MaxLength, Min, MinLength } from 'class-validator';
import { SnowflakeColumn } from './snowflake-column';
import { GuildReference } from './guild-reference';
import type { Guild } from './guild';
import type { Snowflake } from './snowflake';

/** The permission rank a command requires in a guild. */
@Entity({ name: 'permission_commands' })
@Unique('uq_permission_commands_guild_command', ['guildId', 'commandName'])
@Check('permission_command_rank_range', '"required_rank" BETWEEN 0 AND 10')
@Check('permission_command_name_not_empty', 'length("command_name") > 0')
export class PermissionCommand {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', name: 'command_id', generatedIdentity: 'ALWAYS', primaryKeyConstraintName: 'pk_permission_commands' })
  commandId!: string;

  @SnowflakeColumn('guild_id')
  guildId!: Snowflake;

  @GuildReference('permission_commands')
  guild?: Guild;

  @Column({ type: 'varchar', name: 'command_name', length: 100 })
  @MinLength(1)
  @MaxLength(100)
  commandName!: string;

  @Column({ type: 'int', name: 'required_rank' })
  @IsInt()
  @Min(0)
  @Max(10)
  requiredRank!: number;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
