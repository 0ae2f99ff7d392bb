import { columnOf } from './column-of';
import { ensureGuild, GUILD_TABLE } from './ensure-guild';
import { memberCondition, type MemberIds } from './member-condition';
import { NO_PARTS, shapedStatement } from './shaped-statement';
import { compile, join, param, raw, sql, type Statement } from './sql';
import type { TableModel } from './table-model';

/** Every column setMemberAfk writes, in the order it binds them: the member's key first. */
export const AFK_ROW = ['userId', 'guildId', 'nickname', 'afkMessage', 'since', 'until', 'enforced', 'permAfk'] as const;

/** A value for each column of AFK_ROW, validated; a null `since` is the database's now(). */
export type AfkRow = Readonly<Record<(typeof AFK_ROW)[number], unknown>>;

/**
 * setMemberAfk: inserts the member's AFK row, or replaces every other column of the one they have, creating the
 * guild row when missing; returns the row.
 */
export function setMemberAfkStatement(model: TableModel, row: AfkRow): Statement {
  const guild = param(row.guildId);
  const values = AFK_ROW.map((property) => (property === 'guildId' ? guild : param(row[property])));
  const names = raw(AFK_ROW.map((property) => columnOf(model, property).quoted).join(', '));
  const inserted = join(AFK_ROW.map((property, i) => (property === 'since' ? sql`COALESCE(${values[i]}::timestamptz, now())` : sql`${values[i]}`)));
  // Every column but the key, which the conflict matched.
  const replaced = AFK_ROW.filter((property) => property !== 'userId' && property !== 'guildId').map((property) => columnOf(model, property).quoted);
  const update = raw(`ON CONFLICT ("user_id", "guild_id") DO UPDATE SET ${replaced.map((name) => `${name} = EXCLUDED.${name}`).join(', ')}`);
  return compile(
    sql`WITH ${ensureGuild(guild)} INSERT INTO ${raw(model.table)} (${names}) VALUES (${inserted}) ${update} RETURNING ${raw(model.selectList)}`,
    { bindFirst: values, reads: [], writes: [model.name, GUILD_TABLE], guild },
  );
}

/** isMemberAfk: one row `{ afk }`, whether the member has an AFK row (expired or not). */
export function isMemberAfkStatement(model: TableModel, member: MemberIds): Statement {
  return shapedStatement(model, 'isMemberAfk', NO_PARTS, [member.userId, member.guildId], () => {
    const guild = param(member.guildId);
    const condition = memberCondition({ userId: member.userId, guildId: guild });
    return compile(sql`SELECT EXISTS (SELECT 1 FROM ${raw(model.table)} WHERE ${condition}) AS "afk"`, { reads: [model.name], writes: [], guild });
  });
}

/** isMemberPermAfk: one row `{ perm }`, whether the member's AFK is permanent (false when they have none). */
export function isMemberPermAfkStatement(model: TableModel, member: MemberIds): Statement {
  return shapedStatement(model, 'isMemberPermAfk', NO_PARTS, [member.userId, member.guildId], () => {
    const guild = param(member.guildId);
    const condition = memberCondition({ userId: member.userId, guildId: guild });
    return compile(sql`SELECT EXISTS (SELECT 1 FROM ${raw(model.table)} WHERE ${condition} AND "perm_afk") AS "perm"`, { reads: [model.name], writes: [], guild });
  });
}
