import { expect } from 'chai';
import { PermissionAssignment } from '../../../src/entities/permission-assignment';
import { PermissionRank } from '../../../src/entities/permission-rank';
import { buildTableModel } from '../../../src/query/build-table-model';
import {
  assignmentsStatement,
  assignRoleStatement,
  highestRank,
  unassignRoleStatement,
  userPermissionRankStatement,
} from '../../../src/query/permission-assignment-statements';
import { compile, param, sql } from '../../../src/query/sql';
import type { TableModel } from '../../../src/query/table-model';
import { entityMetadata } from '../../support/entity-metadata';
import { textAndValues } from './text-and-values';

const HIGHEST = (guild: string, roles: string): string =>
  '(SELECT max(r."rank") FROM "permission_assignments" a JOIN "permission_ranks" r ON r."permission_rank_id" = a."permission_rank_id" ' +
  `AND r."guild_id" = a."guild_id" WHERE a."guild_id" = ${guild} AND a."role_id" = ANY(${roles}::bigint[]))`;

describe('permission assignment statements', () => {
  let assignments: TableModel;
  let ranks: TableModel;
  let joined: string;
  before(async () => {
    assignments = buildTableModel(await entityMetadata(PermissionAssignment));
    ranks = buildTableModel(await entityMetadata(PermissionRank));
    joined =
      'a."assignment_id" AS "assignmentId", a."guild_id" AS "guildId", a."permission_rank_id" AS "permissionRankId", a."role_id" AS "roleId", ' +
      'r."permission_rank_id" AS "rank__permissionRankId", r."guild_id" AS "rank__guildId", r."rank" AS "rank__rank", r."name" AS "rank__name", ' +
      'r."description" AS "rank__description", r."created_at" AS "rank__createdAt", r."updated_at" AS "rank__updatedAt"';
  });

  it('highestRank is the max rank of the roles in the guild, a Param guild bound once', () => {
    const guild = param('42');
    expect(textAndValues(compile(sql`SELECT ${guild}, ${highestRank(guild, ['7', '8'])}`))).to.deep.equal({
      text: `SELECT $1, ${HIGHEST('$1', '$2')}`,
      values: ['42', ['7', '8']],
    });
  });

  it('assignRoleStatement looks the rank up and upserts the role’s assignment, returning both joined', () => {
    expect(textAndValues(assignRoleStatement(assignments, ranks, { guildId: '42', roleId: '7', rank: 3 }))).to.deep.equal({
      text:
        'WITH r AS (SELECT * FROM "permission_ranks" WHERE "guild_id" = $1 AND "rank" = $3), ' +
        'a AS (INSERT INTO "permission_assignments" ("guild_id", "role_id", "permission_rank_id") SELECT $1::bigint, $2::bigint, r."permission_rank_id" FROM r ' +
        'ON CONFLICT ("guild_id", "role_id") DO UPDATE SET "permission_rank_id" = EXCLUDED."permission_rank_id" RETURNING *) ' +
        `SELECT ${joined} FROM a JOIN r ON r."permission_rank_id" = a."permission_rank_id" AND r."guild_id" = a."guild_id"`,
      values: ['42', '7', 3],
    });
  });

  it('assignmentsStatement lists the guild’s assignments with their ranks, highest first', () => {
    expect(textAndValues(assignmentsStatement(assignments, ranks, '42'))).to.deep.equal({
      text:
        `SELECT ${joined} FROM "permission_assignments" a JOIN "permission_ranks" r ON r."permission_rank_id" = a."permission_rank_id" AND r."guild_id" = a."guild_id" ` +
        'WHERE a."guild_id" = $1 ORDER BY r."rank" DESC, a."role_id"',
      values: ['42'],
    });
  });

  it('userPermissionRankStatement selects the highest rank, the roles bound as one array', () => {
    expect(textAndValues(userPermissionRankStatement(assignments, '42', ['7', '8']))).to.deep.equal({ text: `SELECT ${HIGHEST('$1', '$2')} AS "rank"`, values: ['42', ['7', '8']] });
  });

  it('unassignRoleStatement deletes the role’s assignment', () => {
    expect(textAndValues(unassignRoleStatement(assignments, '42', '7'))).to.deep.equal({
      text: 'DELETE FROM "permission_assignments" WHERE "guild_id" = $1 AND "role_id" = $2',
      values: ['42', '7'],
    });
  });

  it('userPermissionRankStatement reuses its text, binding each call’s own guild and roles', () => {
    const first = userPermissionRankStatement(assignments, '42', ['7']);
    expect(textAndValues(userPermissionRankStatement(assignments, '43', ['8', '9']))).to.deep.equal({ text: first.text, values: ['43', ['8', '9']] });
  });
});
