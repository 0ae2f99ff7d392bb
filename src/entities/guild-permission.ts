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
  /** The guild: Discord snowflake, as a string (the primary key with userId). */
  @SnowflakeColumn('guild_id', { primaryKey: 'pk_guild_permissions' })
  guildId!: Snowflake;

  /** The owning Guild as a TypeORM relation (guild_id, ON DELETE CASCADE); the repositories never load it: read `guildId`. */
  @GuildReference('guild_permissions')
  guild?: Guild;

  /** The user: Discord snowflake, as a string (the primary key with guildId). */
  @SnowflakeColumn('user_id', { primaryKey: 'pk_guild_permissions' })
  userId!: Snowflake;

  /** The user's permission level in the guild (PermissionLevel, default MEMBER). */
  @Column({ type: 'enum', name: 'permission_level', enum: PermissionLevel, enumName: 'permission_level', default: PermissionLevel.MEMBER })
  @IsEnum(PermissionLevel)
  permissionLevel!: PermissionLevel;
}
