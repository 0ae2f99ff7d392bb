import { injectable } from 'tsyringe';
import { snowflakeProblem, type SnowflakeInput } from '../entities/snowflake';
import { PermissionAssignment } from '../entities/permission-assignment';
import { PermissionRank } from '../entities/permission-rank';
import { NotFoundError } from '../errors/not-found-error';
import { ValidationError } from '../errors/validation-error';
import { buildTableModel } from '../query/build-table-model';
import {
  assignmentsStatement,
  assignRoleStatement,
  RANK_PREFIX,
  unassignRoleStatement,
  userPermissionRankStatement,
} from '../query/permission-assignment-statements';
import type { TableModel } from '../query/table-model';
import { DatabaseService } from '../service/database-service';
import { UnitOfWork } from '../service/unit-of-work';
import { BaseRepository } from './base-repository';

/**
 * Validates a member's role ids (strings, bigints or safe-integer numbers) and returns them as strings.
 * @throws ValidationError naming `roleIds[i]` for the first bad id.
 */
export function roleIdList(entity: string, roleIds: unknown): string[] {
  if (!Array.isArray(roleIds)) throw ValidationError.forField(entity, 'roleIds', 'must be an array of role ids');
  // Every index, not map: a hole in a sparse array is a missing id to refuse.
  return Array.from(roleIds, (id: unknown, i) => {
    const problem = snowflakeProblem(id);
    if (problem !== undefined) throw ValidationError.forField(entity, `roleIds[${i}]`, problem);
    return String(id);
  });
}

/** Roles granted a permission rank: one rank per role in a guild; a member holds the highest rank of their roles. */
@injectable()
export class PermissionAssignmentRepository extends BaseRepository<PermissionAssignment> {
  /** Its reads of one guild are cached (see DatabaseOptions.cache), as the permissions family. */
  protected override readonly cacheFamily = 'permissions' as const;

  private cachedRankModel: TableModel | undefined;

  constructor(service: DatabaseService, unitOfWork?: UnitOfWork) {
    super(service, PermissionAssignment, unitOfWork);
  }

  /**
   * Grants `roleId` the guild's rank `rank`, moving the role if it already had another rank. One statement
   * that looks the rank up and upserts on (guild_id, role_id). Returns the assignment, its rank loaded.
   * @throws NotFoundError when the guild has no rank `rank`; ValidationError for bad ids or rank.
   *
   * ```ts
   * await db.permissionRanks.initializeDefaultRanks(guildId); // ranks 0–7
   * const assignment = await db.permissionAssignments.assignRole(guildId, roleId, 3); // assignment.permissionRank?.name: 'Moderator'
   * ```
   */
  async assignRole(guildId: SnowflakeInput, roleId: SnowflakeInput, rank: number): Promise<PermissionAssignment> {
    const values = { guildId: this.coerce('guildId', guildId, 'guildId'), roleId: this.coerce('roleId', roleId, 'roleId'), rank: this.rankValue(rank) };
    const result = await this.runStatement(assignRoleStatement(this.model, this.rankModel, values), { prepare: true });
    if (result.rows.length === 0) throw NotFoundError.forId(this.rankModel.entityName, { guildId: String(values.guildId), rank });
    return this.hydrateJoined(this.firstRow(result.rows));
  }

  /**
   * Removes the role's rank; true when it had one. @throws ValidationError for bad ids.
   *
   * ```ts
   * const removed = await db.permissionAssignments.unassignRole(guildId, roleId); // true; false when the role had no rank
   * ```
   */
  async unassignRole(guildId: SnowflakeInput, roleId: SnowflakeInput): Promise<boolean> {
    const statement = unassignRoleStatement(this.model, this.coerce('guildId', guildId, 'guildId'), this.coerce('roleId', roleId, 'roleId'));
    return (await this.affectedRows(statement, { prepare: true })) > 0;
  }

  /**
   * The guild's role assignments with their ranks loaded (`permissionRank`), highest rank first. @throws ValidationError.
   *
   * ```ts
   * await db.permissionAssignments.assignRole(guildId, guildId, 0); // the @everyone role: its id is the guild id
   * await db.permissionAssignments.assignRole(guildId, roleId, 3);
   * const ranks = (await db.permissionAssignments.getAssignments(guildId)).map((a) => a.permissionRank?.rank); // [3, 0]
   * ```
   */
  async getAssignments(guildId: SnowflakeInput): Promise<PermissionAssignment[]> {
    const result = await this.runStatement(assignmentsStatement(this.model, this.rankModel, this.coerce('guildId', guildId, 'guildId')), { prepare: true });
    return result.rows.map((r) => this.hydrateJoined(r));
  }

  /**
   * The highest rank the member holds through any of `roleIds` (the member's Discord roles; include the
   * `@everyone` role, whose id is the guild id, to count a rank given to everyone), in one statement.
   * Returns **null** when none of the roles has a rank — never 0, since 0 is a real rank. `userId` is
   * validated and kept for the seed's signature: ranks come from roles only. No statement for an empty list.
   * @throws ValidationError for bad ids.
   *
   * ```ts
   * const rank = await db.permissionAssignments.getUserPermissionRank(guildId, userId, [roleId, guildId]); // 3: the highest of the two
   * const everyone = await db.permissionAssignments.getUserPermissionRank(guildId, userId, [guildId]); // 0: the rank of @everyone
   * const none = await db.permissionAssignments.getUserPermissionRank(guildId, userId, []); // null, not 0: no ranked role
   * ```
   */
  async getUserPermissionRank(guildId: SnowflakeInput, userId: SnowflakeInput, roleIds: ReadonlyArray<SnowflakeInput>): Promise<number | null> {
    const guild = this.coerce('guildId', guildId, 'guildId');
    this.coerce('roleId', userId, 'userId');
    const roles = roleIdList(this.model.entityName, roleIds);
    if (roles.length === 0) return null;
    const result = await this.runStatement<{ rank: number | null }>(userPermissionRankStatement(this.model, guild, roles), { prepare: true });
    return result.rows[0]?.rank ?? null;
  }

  private get rankModel(): TableModel {
    return (this.cachedRankModel ??= buildTableModel(this.runner.metadata(PermissionRank)));
  }

  private hydrateJoined(row: Record<string, unknown>): PermissionAssignment {
    const own: Record<string, unknown> = {};
    const rank: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(row)) {
      if (key.startsWith(RANK_PREFIX)) rank[key.slice(RANK_PREFIX.length)] = value;
      else own[key] = value;
    }
    const assignment = this.hydrate(own);
    assignment.permissionRank = Object.assign(new PermissionRank(), rank);
    return assignment;
  }

  private rankValue(rank: unknown): number {
    if (typeof rank !== 'number' || !Number.isInteger(rank) || rank < 0 || rank > 10) {
      throw ValidationError.forField(this.model.entityName, 'rank', 'must be an integer from 0 to 10');
    }
    return rank;
  }
}
