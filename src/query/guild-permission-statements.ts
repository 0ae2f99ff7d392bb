import { ensureGuild, GUILD_TABLE } from './ensure-guild';
import { compile, param, raw, sql, type Statement } from './sql';
import type { TableModel } from './table-model';

/** getPermissionLevel: one row `{ level }` of the user in the guild, or none when no level was set. */
export function permissionLevelStatement(model: TableModel, guildId: unknown, userId: unknown): Statement {
  const guild = param(guildId);
  return compile(sql`SELECT "permission_level" AS "level" FROM ${raw(model.table)} WHERE "guild_id" = ${guild} AND "user_id" = ${userId}`, {
    reads: [model.name],
    writes: [],
    guild,
  });
}

/** setPermissionLevel: inserts or replaces the user's level in the guild, creating the guild row when missing; returns the row. */
export function setPermissionLevelStatement(model: TableModel, guildId: unknown, userId: unknown, level: unknown): Statement {
  const guild = param(guildId);
  const update = raw('ON CONFLICT ("guild_id", "user_id") DO UPDATE SET "permission_level" = EXCLUDED."permission_level"');
  return compile(
    sql`WITH ${ensureGuild(guild)} INSERT INTO ${raw(model.table)} ("guild_id", "user_id", "permission_level") VALUES (${guild}, ${userId}, ${level}) ${update} RETURNING ${raw(model.selectList)}`,
    { reads: [], writes: [model.name, GUILD_TABLE], guild },
  );
}
