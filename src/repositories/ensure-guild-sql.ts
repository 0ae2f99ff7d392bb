import type { StatementOptions } from '../service/statement-runner';
import { join, sql, type Param, type SqlFragment } from '../query/sql';

/**
 * A WITH item that creates the guild row when it is missing, so a guild-owned row can be written in the
 * same statement (one round trip, race-free). `guildParam` is a placeholder such as `$2`, never input.
 * The guild-owned insert's FK check runs at the end of the statement, after this insert, so it passes.
 */
export function ensureGuildCte(guildParam: string): string {
  return `"ensure_guild" AS (INSERT INTO "guild" ("guild_id") VALUES (${guildParam}) ON CONFLICT ("guild_id") DO NOTHING)`;
}

/** Like ensureGuildCte for every distinct id in bigint[] parameters such as `$7` (bulk inserts). */
export function ensureGuildsCte(guildArrayParams: ReadonlyArray<string>): string {
  const ids = guildArrayParams.map((p) => `SELECT DISTINCT unnest(${p}::bigint[])`).join(' UNION ');
  return `"ensure_guild" AS (INSERT INTO "guild" ("guild_id") ${ids} ON CONFLICT ("guild_id") DO NOTHING)`;
}

/**
 * Statement options of a statement that starts with ensureGuildCte: prepared, and marked as creating its guild,
 * so a foreign-key failure (a concurrent deleteGuild removed the row between the CTE and the insert's check)
 * runs the statement, or its unit of work, again, which recreates the guild.
 */
export const CREATES_GUILD: StatementOptions = { prepare: true, createsGuild: true };

/**
 * The ensureGuildCte WITH item as a fragment: `guild` is bound once, however often the statement also names it
 * (pass the same Param to the row's values).
 *
 * ```ts
 * const guild = param(guildId);
 * sql`WITH ${ensureGuild(guild)} INSERT INTO "afk" ("guild_id", …) VALUES (${guild}, …)`;
 * ```
 */
export function ensureGuild(guild: Param): SqlFragment {
  return sql`"ensure_guild" AS (INSERT INTO "guild" ("guild_id") VALUES (${guild}) ON CONFLICT ("guild_id") DO NOTHING)`;
}

/**
 * The ensureGuildsCte WITH item as a fragment: every distinct id of each bigint[] value (a Param, or a plain
 * value bound here) becomes a guild row when missing.
 */
export function ensureGuilds(guildArrays: ReadonlyArray<unknown>): SqlFragment {
  const ids = join(
    guildArrays.map((ids) => sql`SELECT DISTINCT unnest(${ids}::bigint[])`),
    ' UNION ',
  );
  return sql`"ensure_guild" AS (INSERT INTO "guild" ("guild_id") ${ids} ON CONFLICT ("guild_id") DO NOTHING)`;
}
