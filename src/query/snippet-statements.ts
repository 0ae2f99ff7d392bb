import { INT4_MAX } from './coerce-value';
import { NO_PARTS, shapedStatement } from './shaped-statement';
import { compile, param, raw, sql, type Statement } from './sql';
import type { TableModel } from './table-model';

/**
 * getSnippetByName: the guild's snippet named `name` in any letter case, or, when it is an alias, the snippet it
 * points at (the alias itself when its target is gone); no row when there is none.
 */
export function snippetByNameStatement(model: TableModel, guildId: unknown, name: unknown): Statement {
  return shapedStatement(model, 'getSnippetByName', NO_PARTS, [guildId, name], () => {
    const table = raw(model.table);
    const guild = param(guildId);
    // Every read of the table names the guild (the outer join's side too): one guild's rows, one shard on Citus.
    const target = sql`LEFT JOIN ${table} t ON s."alias" IS NOT NULL AND t."guild_id" = ${guild} AND lower(t."snippet_name") = lower(s."alias")`;
    const resolved = sql`SELECT COALESCE(t."snippet_id", s."snippet_id") FROM ${table} s ${target} WHERE s."guild_id" = ${guild} AND lower(s."snippet_name") = lower(${name})`;
    return compile(sql`SELECT ${raw(model.selectList)} FROM ${table} WHERE "guild_id" = ${guild} AND "snippet_id" = (${resolved})`, { reads: [model.name], writes: [], guild });
  });
}

/** The validated values of createAlias. */
export interface NewAlias {
  readonly guildId: unknown;
  readonly aliasName: unknown;
  /** The alias's author; null: the author of the snippet it points at (Tux's create_snippet_alias). */
  readonly userId: unknown;
  /** The name of the snippet (or alias) to point at, any letter case. */
  readonly targetName: unknown;
}

/**
 * createAlias: inserts `aliasName` as an alias of the snippet `targetName` resolves to (an alias's own target, so
 * aliases never chain) and returns it; no row when the guild has no snippet of that name. A null `userId` makes the
 * alias's author the target row's author.
 */
export function createAliasStatement(model: TableModel, alias: NewAlias): Statement {
  const [guild, name, user, target] = [param(alias.guildId), param(alias.aliasName), param(alias.userId), param(alias.targetName)];
  const table = raw(model.table);
  const targetRow = sql`SELECT COALESCE("alias", "snippet_name") AS name, "snippet_user_id" AS author FROM ${table} WHERE "guild_id" = ${guild} AND lower("snippet_name") = lower(${target}::varchar)`;
  const insert = sql`INSERT INTO ${table} ("guild_id", "snippet_name", "snippet_user_id", "alias") SELECT ${guild}::bigint, ${name}::varchar, COALESCE(${user}::bigint, target.author), target.name FROM target`;
  // Bound in the order of the inserted row, the target's name last.
  return compile(sql`WITH target AS (${targetRow}) ${insert} RETURNING ${raw(model.selectList)}`, {
    bindFirst: [guild, name, user, target],
    reads: [model.name],
    writes: [model.name],
    guild,
  });
}

/** getAliases: the guild's aliases of the snippet named `targetName` (any letter case), by name. */
export function aliasesStatement(model: TableModel, guildId: unknown, targetName: unknown): Statement {
  const guild = param(guildId);
  return compile(
    sql`SELECT ${raw(model.selectList)} FROM ${raw(model.table)} WHERE "guild_id" = ${guild} AND lower("alias") = lower(${targetName}) ORDER BY "snippet_name"`,
    { reads: [model.name], writes: [], guild },
  );
}

/** deleteSnippetByName: deletes the guild's snippet or alias named `name`, any letter case. */
export function deleteSnippetByNameStatement(model: TableModel, guildId: unknown, name: unknown): Statement {
  const guild = param(guildId);
  return compile(sql`DELETE FROM ${raw(model.table)} WHERE "guild_id" = ${guild} AND lower("snippet_name") = lower(${name})`, { reads: [], writes: [model.name], guild });
}

/**
 * incrementUses: adds one use and returns `{ uses }`, saturating at the int4 maximum. The sum is taken in int8: an
 * int4 sum would overflow on the server (22003) at the maximum and abort the caller's unit of work.
 */
export function incrementUsesStatement(model: TableModel, snippetId: unknown): Statement {
  return shapedStatement(model, 'incrementUses', NO_PARTS, [snippetId], () =>
    compile(sql`UPDATE ${raw(model.table)} SET "uses" = LEAST("uses"::int8 + 1, ${raw(String(INT4_MAX))})::int WHERE "snippet_id" = ${snippetId} RETURNING "uses"`, {
      reads: [],
      writes: [model.name],
    }),
  );
}

/** toggleLock: flips `locked` in SQL, bumps `updated_at`, and returns the snippet. */
export function toggleLockStatement(model: TableModel, snippetId: unknown): Statement {
  return compile(
    sql`UPDATE ${raw(model.table)} SET "locked" = NOT "locked", "updated_at" = now() WHERE "snippet_id" = ${snippetId} RETURNING ${raw(model.selectList)}`,
    { reads: [], writes: [model.name] },
  );
}
