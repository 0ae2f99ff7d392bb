import { ensureGuild, GUILD_TABLE } from './ensure-guild';
import { shapedStatement } from './shaped-statement';
import { compile, join, param, raw, sql, type Statement } from './sql';
import type { ColumnModel, TableModel } from './table-model';

/** getConfigField: one row `{ value }` holding the column's value, or none when the guild has no config row. */
export function configFieldStatement(model: TableModel, column: ColumnModel, guildId: unknown): Statement {
  return shapedStatement(model, 'getConfigField', [column], [guildId], () => {
    const guild = param(guildId);
    return compile(sql`SELECT ${raw(column.quoted)} AS "value" FROM ${raw(model.table)} WHERE "guild_id" = ${guild}`, { reads: [model.name], writes: [], guild });
  });
}

/**
 * getJailConfig / getLogChannelIds: one row holding each column under its property name, or none when the guild has
 * no config row. The text is compiled once per set of columns.
 *
 * ```ts
 * configFieldsStatement(configModel, [jailRoleId, jailChannelId], '42');
 * // SELECT "jail_role_id" AS "jailRoleId", "jail_channel_id" AS "jailChannelId" FROM "guild_config" WHERE "guild_id" = $1
 * ```
 */
export function configFieldsStatement(model: TableModel, columns: ReadonlyArray<ColumnModel>, guildId: unknown): Statement {
  return shapedStatement(model, 'getConfigFields', columns, [guildId], () => {
    const list = columns.map((c) => `${c.quoted} AS "${c.property}"`).join(', ');
    const guild = param(guildId);
    return compile(sql`SELECT ${raw(list)} FROM ${raw(model.table)} WHERE "guild_id" = ${guild}`, { reads: [model.name], writes: [], guild });
  });
}

/**
 * updateConfig (`touch`) and getOrCreateConfig: inserts the guild's config row with `set`, or sets those columns of
 * the existing one, creating the guild row when missing; returns the row. With `touch` the update bumps
 * `updated_at`; without it (and no columns) the update changes nothing and only makes RETURNING yield the row.
 *
 * ```ts
 * upsertConfigStatement(configModel, '42', { columns: [prefixColumn], params: ['?'] }, true);
 * // WITH "ensure_guild" AS (… VALUES ($1) …) INSERT INTO "guild_config" ("guild_id", "prefix") VALUES ($1, $2)
 * // ON CONFLICT ("guild_id") DO UPDATE SET "prefix" = EXCLUDED."prefix", "updated_at" = now() RETURNING …
 * ```
 */
export function upsertConfigStatement(
  model: TableModel,
  guildId: unknown,
  set: { readonly columns: ReadonlyArray<ColumnModel>; readonly params: ReadonlyArray<unknown> },
  touch: boolean,
): Statement {
  const guild = param(guildId);
  const names = raw(['"guild_id"', ...set.columns.map((c) => c.quoted)].join(', '));
  const values = join([guild, ...set.params].map((value) => sql`${value}`));
  const assignments = set.columns.map((c) => `${c.quoted} = EXCLUDED.${c.quoted}`);
  assignments.push(touch ? '"updated_at" = now()' : '"guild_id" = EXCLUDED."guild_id"');
  return compile(
    sql`WITH ${ensureGuild(guild)} INSERT INTO ${raw(model.table)} (${names}) VALUES (${values}) ON CONFLICT ("guild_id") DO UPDATE SET ${raw(assignments.join(', '))} RETURNING ${raw(model.selectList)}`,
    { reads: [], writes: [model.name, GUILD_TABLE], guild },
  );
}
