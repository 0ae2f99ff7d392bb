import { Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { SnowflakeColumn } from './snowflake-column';
import { GuildReference } from './guild-reference';
import { PermissionRank } from './permission-rank';
import type { Guild } from './guild';
import type { Snowflake } from './snowflake';

/** A Discord role granted a permission rank in a guild (one rank per role). */
@Entity({ name: 'permission_assignments' })
@Unique('uq_permission_assignments_guild_role', ['guildId', 'roleId'])
export class PermissionAssignment {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', name: 'assignment_id', generatedIdentity: 'ALWAYS', primaryKeyConstraintName: 'pk_permission_assignments' })
  assignmentId!: string;

  @SnowflakeColumn('guild_id')
  guildId!: Snowflake;

  @GuildReference('permission_assignments')
  guild?: Guild;

  /** The rank's key (a database-generated bigint, as a string). */
  @SnowflakeColumn('permission_rank_id')
  permissionRankId!: string;

  @ManyToOne(() => PermissionRank, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'permission_rank_id', foreignKeyConstraintName: 'fk_permission_assignments_rank' })
  permissionRank?: PermissionRank;

  @SnowflakeColumn('role_id')
  roleId!: Snowflake;
}
