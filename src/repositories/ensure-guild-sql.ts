import type { StatementOptions } from '../service/statement-runner';

// The fragment forms live beside the builders in src/query (which may not import this folder); named here too.
export { ensureGuild, ensureGuilds } from '../query/ensure-guild';

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

