import { groupByColumns, unnestColumns, unnestSource, type RowGroup } from './bulk-insert';
import { ensureGuilds, GUILD_TABLE } from './ensure-guild';
import { compile, join, raw, sql, type Param, type SqlFragment, type Statement } from './sql';
import type { TableModel } from './table-model';
import { columnNames, type ColumnValues } from './write-statements';

/** A createMany statement and the groups its rows were split into (the rows come back labelled by group). */
export interface InsertMany {
  readonly statement: Statement;
  /** One INSERT each, in the statement's order; with several, each returned row has `__group`, its group's index. */
  readonly groups: ReadonlyArray<RowGroup>;
  /** The statement starts by creating the rows' missing guilds (ensureGuilds). */
  readonly createsGuild: boolean;
}

/**
 * createMany: every row in one statement, one `INSERT … SELECT … FROM unnest(…)` per group of rows writing the same
 * fields (groupByColumns), returning the inserted rows. One group is a plain INSERT; several are WITH items whose rows
 * come back as `SELECT k AS "__group", *` UNION ALL. Guild-owned rows create their missing guilds first, from the
 * guild column's own arrays. The arrays are numbered in group and column order, whatever names them first.
 *
 * ```ts
 * insertManyStatement(reminderModel, rows).statement;
 * // WITH "ensure_guild" AS (… unnest($1::bigint[]) …) INSERT INTO "reminder" ("guild_id", …) SELECT "t"."guildId", …
 * //   FROM unnest($1::bigint[], …) AS "t"("guildId", …) RETURNING …
 * ```
 */
export function insertManyStatement(model: TableModel, rows: ReadonlyArray<ColumnValues>): InsertMany {
  const groups = groupByColumns(rows);
  const sources = groups.map((group) => unnestSource(group, rows));
  const guildKey = model.guildKey;
  const guildArrays: Param[] = [];
  const inserts = groups.map((group, k) => {
    const source = sources[k] as (typeof sources)[number];
    const guildAt = guildKey ? group.columns.indexOf(guildKey) : -1;
    if (guildAt >= 0) guildArrays.push(source.arrays[guildAt] as Param);
    return sql`INSERT INTO ${raw(model.table)} (${columnNames(group.columns)}) SELECT ${unnestColumns(group)} FROM ${source.from} RETURNING ${raw(model.selectList)}`;
  });
  const ctes: SqlFragment[] = guildArrays.length > 0 ? [ensureGuilds(guildArrays)] : [];
  const order = sources.flatMap((source) => source.arrays);
  const createsGuild = ctes.length > 0;
  // The guild ids are bound as arrays: the rows may span guilds, so no one guild is declared.
  const options = { bindFirst: order, reads: [], writes: createsGuild ? [model.name, GUILD_TABLE] : [model.name] };
  if (inserts.length === 1) {
    const statement = compile(sql`${createsGuild ? sql`WITH ${join(ctes)} ` : raw('')}${inserts[0] as SqlFragment}`, options);
    return { statement, groups, createsGuild };
  }
  const items = inserts.map((insert, k) => sql`${raw(`"rows${k}"`)} AS (${insert})`);
  const selects = inserts.map((_, k) => raw(`SELECT ${k} AS "__group", * FROM "rows${k}"`));
  return { statement: compile(sql`WITH ${join([...ctes, ...items])} ${join(selects, ' UNION ALL ')}`, options), groups, createsGuild };
}
