import { quoteIdent } from './build-table-model';
import { NO_PARTS, shapedStatement } from './shaped-statement';
import { compile, param, raw, sql, type SqlFragment, type Statement } from './sql';
import type { TableModel } from './table-model';

/** The prefix of the rank's columns in a row of assignRole and getAssignments (`rank__name`, …). */
export const RANK_PREFIX = 'rank__';

/**
 * The highest rank held in the guild `guild` through any role in the bigint[] `roles`, or NULL when none of them has
 * a rank: a scalar subquery. Pass Params to name values the statement binds elsewhere too.
 *
 * ```ts
 * compile(sql`SELECT ${highestRank(guildId, roleIds)} AS "rank"`);
 * // SELECT (SELECT max(r."rank") FROM … WHERE a."guild_id" = $1 AND a."role_id" = ANY($2::bigint[])) AS "rank"
 * ```
 */
export function highestRank(guild: unknown, roles: unknown): SqlFragment {
  // The tables named here are HIGHEST_RANK_READS.
  return sql`(SELECT max(r."rank") FROM "permission_assignments" a JOIN "permission_ranks" r ON r."permission_rank_id" = a."permission_rank_id" AND r."guild_id" = a."guild_id" WHERE a."guild_id" = ${guild} AND a."role_id" = ANY(${roles}::bigint[]))`;
}

/** The tables highestRank reads: a statement using it lists them in its reads. */
export const HIGHEST_RANK_READS: ReadonlyArray<string> = ['permission_assignments', 'permission_ranks'];

/** The validated values of assignRole. */
export interface RoleRankValues {
  readonly guildId: unknown;
  readonly roleId: unknown;
  readonly rank: number;
}

/**
 * assignRole: looks up the guild's rank numbered `rank` and gives it to the role (replacing the role's rank, if any);
 * returns the assignment's columns and the rank's (prefixed RANK_PREFIX), or no row when the guild has no such rank.
 */
export function assignRoleStatement(model: TableModel, rankModel: TableModel, values: RoleRankValues): Statement {
  const [guild, role, rank] = [param(values.guildId), param(values.roleId), param(values.rank)];
  const found = sql`SELECT * FROM ${raw(rankModel.table)} WHERE "guild_id" = ${guild} AND "rank" = ${rank}`;
  const insert = sql`INSERT INTO ${raw(model.table)} ("guild_id", "role_id", "permission_rank_id") SELECT ${guild}::bigint, ${role}::bigint, r."permission_rank_id" FROM r`;
  const update = raw('ON CONFLICT ("guild_id", "role_id") DO UPDATE SET "permission_rank_id" = EXCLUDED."permission_rank_id" RETURNING *');
  const joined = raw(`${joinedSelectList(model, rankModel)} FROM a JOIN r ON r."permission_rank_id" = a."permission_rank_id" AND r."guild_id" = a."guild_id"`);
  // Bound in the order of the arguments: the guild, the role, then the rank.
  return compile(sql`WITH r AS (${found}), a AS (${insert} ${update}) SELECT ${joined}`, {
    bindFirst: [guild, role, rank],
    reads: [rankModel.name],
    writes: [model.name],
    guild,
  });
}

/** getAssignments: the guild's role assignments joined with their ranks (prefixed RANK_PREFIX), highest rank first. */
export function assignmentsStatement(model: TableModel, rankModel: TableModel, guildId: unknown): Statement {
  const from = raw(`${model.table} a JOIN ${rankModel.table} r ON r."permission_rank_id" = a."permission_rank_id" AND r."guild_id" = a."guild_id"`);
  const guild = param(guildId);
  return compile(sql`SELECT ${raw(joinedSelectList(model, rankModel))} FROM ${from} WHERE a."guild_id" = ${guild} ORDER BY r."rank" DESC, a."role_id"`, {
    reads: [model.name, rankModel.name],
    writes: [],
    guild,
  });
}

/** getUserPermissionRank: one row `{ rank }`, the highest rank the roles hold in the guild (null when none). */
export function userPermissionRankStatement(model: TableModel, guildId: unknown, roleIds: ReadonlyArray<string>): Statement {
  return shapedStatement(model, 'getUserPermissionRank', NO_PARTS, [guildId, roleIds], () => {
    const guild = param(guildId);
    return compile(sql`SELECT ${highestRank(guild, roleIds)} AS "rank"`, { reads: HIGHEST_RANK_READS, writes: [], guild });
  });
}

/** unassignRole: deletes the role's assignment in the guild. */
export function unassignRoleStatement(model: TableModel, guildId: unknown, roleId: unknown): Statement {
  const guild = param(guildId);
  return compile(sql`DELETE FROM ${raw(model.table)} WHERE "guild_id" = ${guild} AND "role_id" = ${roleId}`, { reads: [], writes: [model.name], guild });
}

// The assignment's columns as properties and the rank's as `rank__property`, from the aliases a (assignment) and r (rank).
function joinedSelectList(model: TableModel, rankModel: TableModel): string {
  const own = [...model.columns.values()].map((c) => `a.${c.quoted} AS ${quoteIdent(c.property)}`);
  const rank = [...rankModel.columns.values()].map((c) => `r.${c.quoted} AS ${quoteIdent(RANK_PREFIX + c.property)}`);
  return [...own, ...rank].join(', ');
}
