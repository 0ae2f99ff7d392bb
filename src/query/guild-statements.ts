import { columnOf } from './column-of';
import { compile, param, raw, sql, type Statement } from './sql';
import type { TableModel } from './table-model';

/**
 * getOrCreateGuild: inserts the guild row, or returns the existing one; a non-null `guildName` replaces the stored
 * name (and bumps `updated_at` when it changes it), null keeps it.
 */
export function getOrCreateGuildStatement(model: TableModel, guildId: unknown, guildName: unknown): Statement {
  const name = columnOf(model, 'guildName').quoted;
  const renamed = `EXCLUDED.${name} IS DISTINCT FROM "g".${name} AND EXCLUDED.${name} IS NOT NULL`;
  const update = raw(
    `ON CONFLICT ("guild_id") DO UPDATE SET ${name} = COALESCE(EXCLUDED.${name}, "g".${name}), "updated_at" = CASE WHEN ${renamed} THEN now() ELSE "g"."updated_at" END`,
  );
  const guild = param(guildId);
  return compile(sql`INSERT INTO ${raw(model.table)} AS "g" ("guild_id", ${raw(name)}) VALUES (${guild}, ${guildName}) ${update} RETURNING ${raw(model.selectList)}`, {
    reads: [],
    writes: [model.name],
    guild,
  });
}
