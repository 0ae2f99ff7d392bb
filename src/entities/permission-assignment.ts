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
  /** Database-generated key, a bigint returned as a string. */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', name: 'assignment_id', generatedIdentity: 'ALWAYS', primaryKeyConstraintName: 'pk_permission_assignments' })
  assignmentId!: string;

  /** The guild the assignment belongs to: Discord snowflake, as a string. */
  @SnowflakeColumn('guild_id')
  guildId!: Snowflake;

  /** The owning Guild as a TypeORM relation (guild_id, ON DELETE CASCADE); the repositories never load it: read `guildId`. */
  @GuildReference('permission_assignments')
  guild?: Guild;

  /** The rank's key (a database-generated bigint, as a string). */
  @SnowflakeColumn('permission_rank_id')
  permissionRankId!: string;

  /** The assigned PermissionRank (ON DELETE CASCADE); loaded only by getAssignments, undefined otherwise. */
  @ManyToOne(() => PermissionRank, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'permission_rank_id', foreignKeyConstraintName: 'fk_permission_assignments_rank' })
  permissionRank?: PermissionRank;

  /** The role granted the rank: Discord snowflake, as a string; one rank per role in a guild. */
  @SnowflakeColumn('role_id')
  roleId!: Snowflake;
}
