import { join, compile, param, raw, sql, type Statement } from './sql';
import type { ColumnModel, TableModel } from './table-model';
import { columnNames, guildPrefix, inserting, type ColumnValues } from './write-statements';

/** What an upsert writes: the unique key it conflicts on, the row it inserts, and the columns it updates. */
export interface UpsertInput {
  /** One of the model's unique keys: the ON CONFLICT target. */
  readonly key: ReadonlyArray<ColumnModel>;
  /** filters + defaults + values, validated for insert. */
  readonly inserted: ColumnValues;
  /** The columns of `values` (their new values come from EXCLUDED): none to return the existing row unchanged. */
  readonly updated: ReadonlyArray<ColumnModel>;
}

/**
 * upsert / getOrCreate: one `INSERT … ON CONFLICT (key) DO UPDATE` returning the row and `(xmax = 0) AS "__created"`
 * (true when it was inserted). DO UPDATE sets only the `updated` columns; with none, it sets the key's first column to
 * the value it already holds, a no-op that still makes RETURNING yield the existing row. `updated_at` is bumped only
 * when a column outside every unique key changes. Guild-owned rows create their guild first, as insertStatement does.
 *
 * ```ts
 * upsertStatement(guildModel, { key: [guildId], inserted: { columns: [guildId], params: ['7'] }, updated: [] });
 * // INSERT INTO "guild" ("guild_id") VALUES ($1) ON CONFLICT ("guild_id") DO UPDATE SET "guild_id" = EXCLUDED."guild_id"
 * //   RETURNING …, (xmax = 0) AS "__created"
 * ```
 */
export function upsertStatement(model: TableModel, input: UpsertInput): Statement {
  const { key, inserted } = input;
  const values = inserted.params.map(param);
  const set = input.updated.length > 0 ? input.updated : key.slice(0, 1);
  const assignments = set.map((c) => `${c.quoted} = EXCLUDED.${c.quoted}`);
  if (model.updatedAtColumn && set.some((c) => !model.uniqueKeys.some((k) => k.some((u) => u.property === c.property)))) {
    assignments.push(`${model.updatedAtColumn} = now()`);
  }
  const insert = sql`${guildPrefix(model, inserted.columns, values)}INSERT INTO ${raw(model.table)} (${columnNames(inserted.columns)}) VALUES (${join(values)})`;
  return compile(
    sql`${insert} ON CONFLICT (${columnNames(key)}) DO UPDATE SET ${raw(assignments.join(', '))} RETURNING ${raw(model.selectList)}, (xmax = 0) AS "__created"`,
    inserting(model, inserted.columns, values),
  );
}
