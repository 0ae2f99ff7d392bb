import { unnestColumns, unnestSource, type ColumnArrays } from './bulk-insert';
import { ensureGuilds, GUILD_TABLE } from './ensure-guild';
import { compile, join, raw, sql, type Param, type SqlFragment, type Statement } from './sql';
import { shapedStatement } from './shaped-statement';
import type { TableModel } from './table-model';
import { columnNames } from './write-statements';

/** A createMany statement: with several groups, each returned row has `__group`, the index of its group. */
export interface InsertMany {
  readonly statement: Statement;
  /** The statement starts by creating the rows' missing guilds (ensureGuilds). */
  readonly createsGuild: boolean;
}

/**
 * createMany: every row in one statement, one `INSERT … SELECT … FROM unnest(…)` per group of rows writing the same
 * fields (see groupByColumns), returning the inserted rows. One group is a plain INSERT; several are WITH items whose rows
 * come back as `SELECT k AS "__group", *` UNION ALL. Guild-owned rows create their missing guilds first, from the
 * guild column's own arrays. The arrays are numbered in group and column order, whatever names them first.
 *
 * ```ts
 * insertManyStatement(reminderModel, [{ columns: [guildId, reminderContent], arrays: [['7', '7'], ['a', 'b']] }]).statement;
 * // WITH "ensure_guild" AS (… unnest($1::bigint[]) …) INSERT INTO "reminder" ("guild_id", …) SELECT "t"."guildId", …
 * //   FROM unnest($1::bigint[], …) AS "t"("guildId", …) RETURNING …
 * ```
 */
export function insertManyStatement(model: TableModel, groups: ReadonlyArray<ColumnArrays>): InsertMany {
  const guildKey = model.guildKey;
  const createsGuild = guildKey !== undefined && groups.some((group) => group.columns.includes(guildKey));
  const [only] = groups;
  if (groups.length === 1 && only !== undefined) {
    // One group's text depends only on its fields: built once per field list, then reused with new arrays.
    return { statement: shapedStatement(model, 'createMany', only.columns, [...only.arrays], () => buildInsertMany(model, groups, createsGuild)), createsGuild };
  }
  return { statement: buildInsertMany(model, groups, createsGuild), createsGuild };
}

function buildInsertMany(model: TableModel, groups: ReadonlyArray<ColumnArrays>, createsGuild: boolean): Statement {
  const sources = groups.map((group) => unnestSource(group));
  const guildKey = model.guildKey;
  const guildArrays: Param[] = [];
  const inserts = groups.map((group, k) => {
    const source = sources[k] as (typeof sources)[number];
    const guildAt = guildKey ? group.columns.indexOf(guildKey) : -1;
    if (guildAt >= 0) guildArrays.push(source.arrays[guildAt] as Param);
    return sql`INSERT INTO ${raw(model.table)} (${columnNames(group.columns)}) SELECT ${unnestColumns(group.columns)} FROM ${source.from} RETURNING ${raw(model.selectList)}`;
  });
  const ctes: SqlFragment[] = createsGuild ? [ensureGuilds(guildArrays)] : [];
  // The guild ids are bound as arrays: the rows may span guilds, so no one guild is declared.
  const options = { bindFirst: sources.flatMap((source) => source.arrays), reads: [], writes: createsGuild ? [model.name, GUILD_TABLE] : [model.name] };
  if (inserts.length === 1) return compile(sql`${createsGuild ? sql`WITH ${join(ctes)} ` : raw('')}${inserts[0] as SqlFragment}`, options);
  const items = inserts.map((insert, k) => sql`${raw(`"rows${k}"`)} AS (${insert})`);
  const selects = inserts.map((_, k) => raw(`SELECT ${k} AS "__group", * FROM "rows${k}"`));
  return compile(sql`WITH ${join([...ctes, ...items])} ${join(selects, ' UNION ALL ')}`, options);
}
