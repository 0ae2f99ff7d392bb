import { Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { SnowflakeColumn } from './snowflake-column';
import { GuildReference } from './guild-reference';
import { RowId } from './row-id';
import { PermissionRank } from './permission-rank';
import type { Guild } from './guild';
import type { Snowflake } from './snowflake';

/** A Discord role granted a permission rank in a guild (one rank per role). */
@Entity({ name: 'permission_assignments' })
@Unique('uq_permission_assignments_guild_role', ['guildId', 'roleId'])
export class PermissionAssignment {
  /** Database-generated id, a bigint returned as a string; the primary key with guildId, and unique by itself (see RowId). */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', name: 'assignment_id', generatedIdentity: 'ALWAYS', primaryKeyConstraintName: 'pk_permission_assignments' })
  @RowId()
  assignmentId!: string;

  /** The guild the assignment belongs to: Discord snowflake, as a string. Part of the primary key. */
  @SnowflakeColumn('guild_id', { primaryKey: 'pk_permission_assignments' })
  guildId!: Snowflake;

  /** The owning Guild as a TypeORM relation (guild_id, ON DELETE CASCADE); the repositories never load it: read `guildId`. */
  @GuildReference('permission_assignments')
  guild?: Guild;

  /** The rank's key (a database-generated bigint, as a string). */
  @SnowflakeColumn('permission_rank_id')
  permissionRankId!: string;

  /**
   * The assigned PermissionRank (ON DELETE CASCADE); loaded only by getAssignments, undefined otherwise. The foreign
   * key is (permission_rank_id, guild_id), so a role can only hold a rank of its own guild.
   */
  @ManyToOne(() => PermissionRank, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn([
    { name: 'permission_rank_id', referencedColumnName: 'permissionRankId', foreignKeyConstraintName: 'fk_permission_assignments_rank' },
    { name: 'guild_id', referencedColumnName: 'guildId' },
  ])
  permissionRank?: PermissionRank;

  /** The role granted the rank: Discord snowflake, as a string; one rank per role in a guild. */
  @SnowflakeColumn('role_id')
  roleId!: Snowflake;
}
