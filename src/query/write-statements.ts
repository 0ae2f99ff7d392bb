import { ValidationError } from '../errors/validation-error';
import { compileFilter, filterGuild } from './compile-filter';
import { ensureGuild, GUILD_TABLE, writesGuild } from './ensure-guild';
import { bindKey, keyCondition } from './key-condition';
import { NO_PARTS, shapedStatement } from './shaped-statement';
import { compile, join, param, raw, sql, type CompileOptions, type Param, type SqlFragment, type Statement } from './sql';
import type { ColumnModel, TableModel } from './table-model';

/** The columns a write sets and their validated values, in the same order (what prepareValues returns). */
export interface ColumnValues {
  readonly columns: ReadonlyArray<ColumnModel>;
  readonly params: ReadonlyArray<unknown>;
}

const NOTHING = raw('');

/**
 * create: inserts one row and returns it (`DEFAULT VALUES` when it sets no column). A row of a guild-owned table
 * creates its guild row first, in the same statement (ensureGuild); the values keep their column order ($1, $2, …)
 * and the CTE names the guild's. The text is compiled once per set of columns (see shapedStatement). It declares the
 * guild of the row when the row sets its guild column.
 *
 * ```ts
 * insertStatement(afkModel, { columns: [userId, guildId, nickname], params: ['5', '7', 'Bob'] });
 * // WITH "ensure_guild" AS (… VALUES ($2) …) INSERT INTO "afk" ("user_id", "guild_id", "nickname") VALUES ($1, $2, $3) RETURNING …
 * ```
 */
export function insertStatement(model: TableModel, row: ColumnValues): Statement {
  return shapedStatement(model, 'insert', row.columns, [...row.params], () => {
    if (row.columns.length === 0) {
      return compile(sql`INSERT INTO ${raw(model.table)} DEFAULT VALUES RETURNING ${raw(model.selectList)}`, { reads: [], writes: [model.name] });
    }
    const values = row.params.map(param);
    return compile(
      sql`${guildPrefix(model, row.columns, values)}INSERT INTO ${raw(model.table)} (${columnNames(row.columns)}) VALUES (${join(values)}) RETURNING ${raw(model.selectList)}`,
      inserting(model, row.columns, values),
    );
  });
}

/** Why an update that sets no field is refused; a field given as undefined sets nothing (see prepareValues). */
export const NO_FIELD = 'must set at least one field (a field given as undefined is left out)';

/**
 * An UPDATE of the rows matching `condition`: `set` first, then the model's `updated_at` column bumped. With
 * `returning` the updated rows come back keyed by property name. `guild` is the Param `condition` binds the one
 * guild's id as, if any; an update that sets the guild column itself moves rows between guilds and declares none.
 * @throws ValidationError when `set` holds no field (bumping `updated_at` alone is no update).
 *
 * ```ts
 * updateStatement(caseModel, { columns: [caseReason], params: ['spam'] }, keyCondition(caseKey, ['7', 3]), true);
 * // UPDATE "cases" SET "case_reason" = $1, "case_updated_at" = now() WHERE "guild_id" = $2 AND "case_number" = $3 RETURNING …
 * ```
 */
export function updateStatement(model: TableModel, set: ColumnValues, condition: SqlFragment, returning: boolean, guild?: Param): Statement {
  // Checked before updated_at joins the list: an update of no field would only move updated_at (on every row, for
  // updateWhere), which no caller means.
  if (set.columns.length === 0) throw ValidationError.forField(model.entityName, 'values', NO_FIELD);
  const assignments: SqlFragment[] = set.columns.map((column, i) => sql`${raw(column.quoted)} = ${set.params[i]}`);
  if (model.updatedAtColumn) assignments.push(raw(`${model.updatedAtColumn} = now()`));
  const returned = returning ? sql` RETURNING ${raw(model.selectList)}` : NOTHING;
  const movesGuild = model.guildColumn !== undefined && set.columns.includes(model.guildColumn);
  return compile(sql`UPDATE ${raw(model.table)} SET ${join(assignments)} WHERE ${condition}${returned}`, {
    reads: [],
    writes: [model.name],
    guild: movesGuild ? undefined : guild,
  });
}

/** updateById: updates the row whose key (model.idKeys) equals `key` and returns it. @throws ValidationError (see updateStatement). */
export function updateByIdStatement(model: TableModel, set: ColumnValues, key: ReadonlyArray<unknown>): Statement {
  const { values, guild } = bindKey(model.idKeys, key, model.guildColumn);
  return updateStatement(model, set, keyCondition(model.idKeys, values), true, guild);
}

/** updateWhere: updates every row matching `filters`, returning nothing. @throws ValidationError for a bad filter, or see updateStatement. */
export function updateWhereStatement(model: TableModel, set: ColumnValues, filters: unknown): Statement {
  const condition = compileFilter(model, filters);
  return updateStatement(model, set, condition, false, filterGuild(condition, model.guildColumn));
}

/** deleteById: deletes the row whose key (model.idKeys) equals `key`; the text is compiled once per model (see shapedStatement). */
export function deleteByIdStatement(model: TableModel, key: unknown[]): Statement {
  return shapedStatement(model, 'deleteById', NO_PARTS, key, () => {
    const { values, guild } = bindKey(model.idKeys, key, model.guildColumn);
    return compile(sql`DELETE FROM ${raw(model.table)} WHERE ${keyCondition(model.idKeys, values)}`, { reads: [], writes: [model.name], guild });
  });
}

/** deleteWhere: deletes every row matching `filters`. @throws ValidationError for a bad filter. */
export function deleteWhereStatement(model: TableModel, filters: unknown): Statement {
  const condition = compileFilter(model, filters);
  return compile(sql`DELETE FROM ${raw(model.table)} WHERE ${condition}`, { reads: [], writes: [model.name], guild: filterGuild(condition, model.guildColumn) });
}

/** `"col1", "col2"`: quoted names from the model. */
export function columnNames(columns: ReadonlyArray<ColumnModel>): SqlFragment {
  return raw(columns.map((c) => c.quoted).join(', '));
}

/** `WITH ensure_guild … ` when the row writes the guild column (its value among `values`, in column order), else nothing. */
export function guildPrefix(model: TableModel, columns: ReadonlyArray<ColumnModel>, values: ReadonlyArray<Param>): SqlFragment {
  if (!writesGuild(model, columns)) return NOTHING;
  return sql`WITH ${ensureGuild(values[columns.indexOf(model.guildKey as ColumnModel)] as Param)} `;
}

/**
 * compile's options for an insert of `columns` bound as `values` (in column order, numbered first): it writes the
 * model's table, and the guild table when it starts with ensureGuild (see guildPrefix); its guild is the row's, when
 * the row sets it.
 */
export function inserting(model: TableModel, columns: ReadonlyArray<ColumnModel>, values: ReadonlyArray<Param>): CompileOptions {
  const at = model.guildColumn === undefined ? -1 : columns.indexOf(model.guildColumn);
  return {
    bindFirst: values,
    reads: [],
    writes: writesGuild(model, columns) ? [model.name, GUILD_TABLE] : [model.name],
    guild: at < 0 ? undefined : values[at],
  };
}
