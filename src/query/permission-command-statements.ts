import { ensureGuild, GUILD_TABLE } from './ensure-guild';
import { HIGHEST_RANK_READS, highestRank } from './permission-assignment-statements';
import { NO_PARTS, shapedStatement } from './shaped-statement';
import { compile, param, raw, sql, type SqlFragment, type Statement } from './sql';
import type { TableModel } from './table-model';

/** The validated values of setCommandRank. */
export interface CommandRankValues {
  readonly guildId: unknown;
  readonly commandName: unknown;
  readonly requiredRank: unknown;
}

/**
 * setCommandRank: inserts the command's required rank, or replaces it (bumping `updated_at`), creating the guild
 * row when missing; returns the row.
 */
export function setCommandRankStatement(model: TableModel, values: CommandRankValues): Statement {
  const guild = param(values.guildId);
  const update = raw('ON CONFLICT ("guild_id", "command_name") DO UPDATE SET "required_rank" = EXCLUDED."required_rank", "updated_at" = now()');
  return compile(
    sql`WITH ${ensureGuild(guild)} INSERT INTO ${raw(model.table)} ("guild_id", "command_name", "required_rank") VALUES (${guild}, ${values.commandName}, ${values.requiredRank}) ${update} RETURNING ${raw(model.selectList)}`,
    { reads: [], writes: [model.name, GUILD_TABLE], guild },
  );
}

/**
 * The requirement that applies to a command: the row of the first of `names` (the command, then its parents, most
 * specific first; see commandNameChain) that has one. `c` is the permission_commands row.
 */
function effectiveRequirement(model: TableModel, guild: unknown, names: unknown, columns: string): SqlFragment {
  return sql`SELECT ${raw(columns)} FROM ${raw(model.table)} c WHERE c."guild_id" = ${guild} AND c."command_name" = ANY(${names}::text[]) ORDER BY array_position(${names}::text[], c."command_name"::text) LIMIT 1`;
}

/**
 * getCommandRank: one row `{ commandName, requiredRank }` of the requirement that applies to the command (its own, or
 * else its nearest parent's), or none when neither it nor a parent has one. `names` is commandNameChain's list.
 */
export function commandRankStatement(model: TableModel, guildId: unknown, names: ReadonlyArray<string>): Statement {
  return shapedStatement(model, 'getCommandRank', NO_PARTS, [guildId, names], () => {
    const [guild, chain] = [param(guildId), param(names)];
    const columns = 'c."command_name" AS "commandName", c."required_rank" AS "requiredRank"';
    return compile(sql`${effectiveRequirement(model, guild, chain, columns)}`, { reads: [model.name], writes: [], guild });
  });
}

/** deleteCommandRank: deletes the command's requirement. */
export function deleteCommandRankStatement(model: TableModel, guildId: unknown, commandName: unknown): Statement {
  const guild = param(guildId);
  return compile(sql`DELETE FROM ${raw(model.table)} WHERE "guild_id" = ${guild} AND "command_name" = ${commandName}`, { reads: [], writes: [model.name], guild });
}

/**
 * canRunCommand: one row `{ allowed }`, true unless the requirement that applies to the command (its own, or else its
 * nearest parent's: `names` is commandNameChain's list) is above the highest rank the roles hold (a member with no
 * ranked role counts as rank -1).
 */
export function canRunCommandStatement(model: TableModel, guildId: unknown, names: ReadonlyArray<string>, roleIds: ReadonlyArray<string>): Statement {
  return shapedStatement(model, 'canRunCommand', NO_PARTS, [guildId, names, roleIds], () => {
    const [guild, chain] = [param(guildId), param(names)];
    const requirement = effectiveRequirement(model, guild, chain, 'c."required_rank"');
    return compile(sql`SELECT COALESCE((${requirement}) <= COALESCE(${highestRank(guild, roleIds)}, -1), true) AS "allowed"`, {
      reads: [model.name, ...HIGHEST_RANK_READS],
      writes: [],
      guild,
    });
  });
}

/**
 * The names whose requirement applies to `commandName`, most specific first, as Tux's get_command_permission
 * checks them: the name itself, then each parent (words split on whitespace, joined by one space).
 *
 * ```ts
 * commandNameChain('config ranks init'); // ['config ranks init', 'config ranks', 'config']
 * ```
 */
export function commandNameChain(commandName: string): string[] {
  const parts = commandName.split(/\s+/).filter((p) => p !== '');
  const chain = [commandName];
  for (let i = parts.length - 1; i > 0; i--) chain.push(parts.slice(0, i).join(' '));
  return chain;
}
