import { sql, type SqlFragment } from './sql';

/** A member's validated ids, ready to bind (the key of the per-member tables, levels and afk). */
export interface MemberIds {
  readonly userId: unknown;
  readonly guildId: unknown;
}

/**
 * `"user_id" = $n AND "guild_id" = $m`: the condition that picks one member's row. Pass Params to name ids the
 * statement binds elsewhere too.
 *
 * ```ts
 * compile(sql`SELECT 1 FROM "afk" WHERE ${memberCondition({ userId: '10', guildId: '20' })}`);
 * // { text: 'SELECT 1 FROM "afk" WHERE "user_id" = $1 AND "guild_id" = $2', values: ['10', '20'] }
 * ```
 */
export function memberCondition(member: MemberIds): SqlFragment {
  return sql`"user_id" = ${member.userId} AND "guild_id" = ${member.guildId}`;
}
