import { ensureGuild } from './ensure-guild';
import { highestRank } from './permission-assignment-statements';
import { shapedStatement } from './shaped-statement';
import { compile, param, raw, sql, type Statement } from './sql';
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
  );
}

/** getCommandRank: one row `{ requiredRank }` of the command, or none when it has no requirement. */
export function commandRankStatement(model: TableModel, guildId: unknown, commandName: unknown): Statement {
  return shapedStatement(model, 'getCommandRank', [guildId, commandName], () =>
    compile(sql`SELECT "required_rank" AS "requiredRank" FROM ${raw(model.table)} WHERE "guild_id" = ${guildId} AND "command_name" = ${commandName}`),
  );
}

/** deleteCommandRank: deletes the command's requirement. */
export function deleteCommandRankStatement(model: TableModel, guildId: unknown, commandName: unknown): Statement {
  return compile(sql`DELETE FROM ${raw(model.table)} WHERE "guild_id" = ${guildId} AND "command_name" = ${commandName}`);
}

/**
 * canRunCommand: one row `{ allowed }`, true unless the command requires a rank above the highest the roles hold
 * (a member with no ranked role counts as rank -1).
 */
export function canRunCommandStatement(model: TableModel, guildId: unknown, commandName: unknown, roleIds: ReadonlyArray<string>): Statement {
  return shapedStatement(model, 'canRunCommand', [guildId, commandName, roleIds], () => {
    const guild = param(guildId);
    const required = sql`c."required_rank" > COALESCE(${highestRank(guild, roleIds)}, -1)`;
    return compile(
      sql`SELECT NOT EXISTS (SELECT 1 FROM ${raw(model.table)} c WHERE c."guild_id" = ${guild} AND c."command_name" = ${commandName} AND ${required}) AS "allowed"`,
    );
  });
}
