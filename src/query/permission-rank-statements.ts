import { ensureGuild, GUILD_TABLE } from './ensure-guild';
import { compile, join, param, raw, sql, type Statement } from './sql';
import type { ColumnModel, TableModel } from './table-model';

/** The validated values of createRank. */
export interface NewRankValues {
  readonly guildId: unknown;
  readonly rank: unknown;
  readonly name: unknown;
  readonly description: unknown;
}

/** createRank: inserts the rank, creating the guild row when missing; returns it. */
export function createRankStatement(model: TableModel, rank: NewRankValues): Statement {
  const guild = param(rank.guildId);
  const values = join([guild, rank.rank, rank.name, rank.description].map((value) => sql`${value}`));
  return compile(
    sql`WITH ${ensureGuild(guild)} INSERT INTO ${raw(model.table)} ("guild_id", "rank", "name", "description") VALUES (${values}) RETURNING ${raw(model.selectList)}`,
    { reads: [], writes: [model.name, GUILD_TABLE], guild },
  );
}

/** updateRank: sets `set`'s columns (and bumps `updated_at`) of the guild's rank numbered `rank`; returns it, or no row. */
export function updateRankStatement(
  model: TableModel,
  set: { readonly columns: ReadonlyArray<ColumnModel>; readonly params: ReadonlyArray<unknown> },
  guildId: unknown,
  rank: unknown,
): Statement {
  const assignments = join([...set.columns.map((c, i) => sql`${raw(c.quoted)} = ${set.params[i]}`), raw('"updated_at" = now()')]);
  const guild = param(guildId);
  return compile(
    sql`UPDATE ${raw(model.table)} SET ${assignments} WHERE "guild_id" = ${guild} AND "rank" = ${rank} RETURNING ${raw(model.selectList)}`,
    { reads: [], writes: [model.name], guild },
  );
}

/** deleteRank: deletes the guild's rank numbered `rank`. */
export function deleteRankStatement(model: TableModel, guildId: unknown, rank: unknown): Statement {
  const guild = param(guildId);
  return compile(sql`DELETE FROM ${raw(model.table)} WHERE "guild_id" = ${guild} AND "rank" = ${rank}`, { reads: [], writes: [model.name], guild });
}

/** One rank to seed: its number, name and description. */
export interface RankSeed {
  readonly rank: number;
  readonly name: string;
  readonly description: string;
}

/**
 * initializeDefaultRanks: inserts each of `ranks` the guild lacks, creating the guild row when missing, and returns
 * the rows inserted. A rank whose number or name the guild already uses is skipped (ON CONFLICT DO NOTHING, on either
 * unique key), so an existing rank, customised or not, is never changed, and concurrent calls insert each rank once.
 *
 * ```ts
 * seedRanksStatement(rankModel, '42', DEFAULT_RANKS);
 * // WITH "ensure_guild" AS (… $1 …) INSERT INTO "permission_ranks" ("guild_id", "rank", "name", "description")
 * //   SELECT $1, "t"."rank", "t"."name", "t"."description" FROM unnest($2::int[], $3::text[], $4::text[]) AS "t"(…)
 * //   ON CONFLICT DO NOTHING RETURNING …
 * ```
 */
export function seedRanksStatement(model: TableModel, guildId: unknown, ranks: ReadonlyArray<RankSeed>): Statement {
  const guild = param(guildId);
  const source = sql`unnest(${ranks.map((r) => r.rank)}::int[], ${ranks.map((r) => r.name)}::text[], ${ranks.map((r) => r.description)}::text[]) AS "t"("rank", "name", "description")`;
  return compile(
    sql`WITH ${ensureGuild(guild)} INSERT INTO ${raw(model.table)} ("guild_id", "rank", "name", "description") SELECT ${guild}::bigint, "t"."rank", "t"."name", "t"."description" FROM ${source} ORDER BY "t"."rank" ON CONFLICT DO NOTHING RETURNING ${raw(model.selectList)}`,
    { reads: [], writes: [model.name, GUILD_TABLE], guild },
  );
}
