import { Column, Entity } from 'typeorm';
import { IsEnum } from 'class-validator';
import { SnowflakeColumn } from './snowflake-column';
import { GuildReference } from './guild-reference';
import { PermissionLevel } from './enums';
import type { Guild } from './guild';
import type { Snowflake } from './snowflake';

/** A user's permission level in a guild (the seed's per-user permissions). */
@Entity({ name: 'guild_permissions' })
export class GuildPermission {
  @SnowflakeColumn('guild_id', { primaryKey: 'pk_guild_permissions' })
  guildId!: Snowflake;

  @GuildReference('guild_permissions')
  guild?: Guild;

  @SnowflakeColumn('user_id', { primaryKey: 'pk_guild_permissions' })
  userId!: Snowflake;

  @Column({ type: 'enum', name: 'permission_level', enum: PermissionLevel, enumName: 'permission_level', default: PermissionLevel.MEMBER })
  @IsEnum(PermissionLevel)
  permissionLevel!: PermissionLevel;
}
