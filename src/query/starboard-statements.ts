import { ensureGuild, GUILD_TABLE } from './ensure-guild';
import { compile, join, param, raw, sql, type Statement } from './sql';
import type { ColumnModel, TableModel } from './table-model';

/**
 * createOrUpdateStarboard: inserts the guild's starboard with `settings`, or sets those columns of the one it has,
 * creating the guild row when missing; returns the row. `settings` holds at least one column besides the guild id.
 */
export function upsertStarboardStatement(
  model: TableModel,
  guildId: unknown,
  settings: { readonly columns: ReadonlyArray<ColumnModel>; readonly params: ReadonlyArray<unknown> },
): Statement {
  const guild = param(guildId);
  const names = raw(['"guild_id"', ...settings.columns.map((c) => c.quoted)].join(', '));
  const values = join([guild, ...settings.params].map((value) => sql`${value}`));
  const update = raw(`ON CONFLICT ("guild_id") DO UPDATE SET ${settings.columns.map((c) => `${c.quoted} = EXCLUDED.${c.quoted}`).join(', ')}`);
  return compile(sql`WITH ${ensureGuild(guild)} INSERT INTO ${raw(model.table)} (${names}) VALUES (${values}) ${update} RETURNING ${raw(model.selectList)}`, {
    reads: [],
    writes: [model.name, GUILD_TABLE],
    guild,
  });
}
