import { join, sql, type Param, type SqlFragment } from './sql';
import type { ColumnModel, TableModel } from './table-model';

/** The guild table's SQL name: ensureGuild writes it, so a statement that starts with ensureGuild lists it in its writes. */
export const GUILD_TABLE = 'guild';

/**
 * A WITH item that creates the guild row when it is missing, so a guild-owned row can be written in the same
 * statement (one round trip, race-free). `guild` is bound once, however often the statement also names it: pass the
 * same Param to the row's values. The row's FK check runs at the end of the statement, after this insert, so it passes.
 *
 * ```ts
 * const guild = param(guildId);
 * compile(sql`WITH ${ensureGuild(guild)} INSERT INTO "afk" ("guild_id", …) VALUES (${guild}, …)`);
 * // WITH "ensure_guild" AS (INSERT INTO "guild" ("guild_id") VALUES ($1) ON CONFLICT ("guild_id") DO NOTHING) INSERT … VALUES ($1, …)
 * ```
 */
export function ensureGuild(guild: Param): SqlFragment {
  return sql`"ensure_guild" AS (INSERT INTO "guild" ("guild_id") VALUES (${guild}) ON CONFLICT ("guild_id") DO NOTHING)`;
}

/**
 * Like ensureGuild for every distinct id of each bigint[] value (bulk inserts): pass the Params the rows' guild
 * column is bound as, so each array is bound once.
 */
export function ensureGuilds(guildArrays: ReadonlyArray<Param>): SqlFragment {
  const ids = join(
    guildArrays.map((ids) => sql`SELECT DISTINCT unnest(${ids}::bigint[])`),
    ' UNION ',
  );
  return sql`"ensure_guild" AS (INSERT INTO "guild" ("guild_id") ${ids} ON CONFLICT ("guild_id") DO NOTHING)`;
}

/** Whether an insert of `columns` writes the guild column, so its statement begins with ensureGuild (or ensureGuilds). */
export function writesGuild(model: TableModel, columns: ReadonlyArray<ColumnModel>): boolean {
  return model.guildKey !== undefined && columns.includes(model.guildKey);
}
