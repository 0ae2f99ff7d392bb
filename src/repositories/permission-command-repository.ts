import { injectable } from 'tsyringe';
import { PermissionCommand } from '../entities/permission-command';
import type { SnowflakeInput } from '../entities/snowflake';
import { ValidationError } from '../errors/validation-error';
import {
  canRunCommandStatement,
  commandNameChain,
  commandRankStatement,
  deleteCommandRankStatement,
  setCommandRankStatement,
} from '../query/permission-command-statements';
import { DatabaseService } from '../service/database-service';
import { UnitOfWork } from '../service/unit-of-work';
import { BaseRepository } from './base-repository';
import { CREATES_GUILD } from './ensure-guild-sql';
import { roleIdList } from './permission-assignment-repository';
import { preparedValue, type PreparedValues, type WriteMode } from './prepare-values';

/**
 * Tux's RESTRICTED_COMMANDS: owner/sysadmin-only commands no guild may put on a rank (compared in any letter case).
 */
export const RESTRICTED_COMMANDS: ReadonlySet<string> = Object.freeze(new Set(['eval', 'e', 'jsk', 'jishaku']));

/**
 * The permission rank each command requires in a guild (command names match exactly, case included). A subcommand
 * without a requirement of its own takes its nearest parent's, as in Tux: `config ranks init` uses `config ranks`,
 * else `config`. The restricted commands (RESTRICTED_COMMANDS) cannot be given a rank through any write.
 */
@injectable()
export class PermissionCommandRepository extends BaseRepository<PermissionCommand> {
  /** Its reads of one guild are cached (see DatabaseOptions.cache), as the permissions family. */
  protected override readonly cacheFamily = 'permissions' as const;

  constructor(service: DatabaseService, unitOfWork?: UnitOfWork) {
    super(service, PermissionCommand, unitOfWork);
  }

  /**
   * Requires rank `requiredRank` (0–10) for `commandName` in the guild, replacing any earlier requirement:
   * one INSERT … ON CONFLICT statement that also creates the guild row when missing. Returns the row.
   * @throws ValidationError for a bad guild id, command name or rank, and, as Tux refuses them, for the restricted
   * commands eval, e, jsk, jishaku in any letter case (and their subcommands, such as `jsk py`, which Tux's exact-name
   * check lets through).
   *
   * ```ts
   * await db.permissionCommands.setCommandRank(guildId, 'config', 5); // 'config ranks init' now needs rank 5 too
   * ```
   */
  async setCommandRank(guildId: SnowflakeInput, commandName: string, requiredRank: number): Promise<PermissionCommand> {
    const prepared = this.prepare({ guildId, commandName, requiredRank }, 'insert');
    const statement = setCommandRankStatement(this.model, {
      guildId: preparedValue(prepared, 'guildId'),
      commandName: preparedValue(prepared, 'commandName'),
      requiredRank: preparedValue(prepared, 'requiredRank'),
    });
    return this.hydrate(this.firstRow((await this.runStatement(statement, CREATES_GUILD)).rows));
  }

  /**
   * The rank `commandName` requires in the guild: its own requirement, or else its nearest parent's (Tux's
   * get_command_permission fallback: `config ranks init` → `config ranks` → `config`); null when none applies. One
   * statement. The exact row alone: `findOne({ filters: { guildId, commandName } })`.
   * @throws ValidationError for a bad id or command name.
   *
   * ```ts
   * const required = await db.permissionCommands.getCommandRank(guildId, 'config ranks init');
   * ```
   */
  async getCommandRank(guildId: SnowflakeInput, commandName: string): Promise<number | null> {
    const [guild, name] = this.keyParams(guildId, commandName);
    const result = await this.runStatement<{ requiredRank: number }>(commandRankStatement(this.model, guild, commandNameChain(name as string)), { prepare: true });
    return result.rows[0]?.requiredRank ?? null;
  }

  /**
   * Removes the command's requirement (anyone may run it again); true when it had one. @throws ValidationError.
   *
   * ```ts
   * const deleted = await db.permissionCommands.deleteCommandRank(guildId, 'config'); // true; 'config ranks init' needs no rank now
   * ```
   */
  async deleteCommandRank(guildId: SnowflakeInput, commandName: string): Promise<boolean> {
    const statement = deleteCommandRankStatement(this.model, ...this.keyParams(guildId, commandName));
    return (await this.affectedRows(statement, { prepare: true })) > 0;
  }

  /**
   * Every command requirement of the guild, by command name. @throws ValidationError for a bad guild id.
   *
   * ```ts
   * await db.permissionCommands.setCommandRank(guildId, 'warn', 2);
   * await db.permissionCommands.setCommandRank(guildId, 'ban', 3);
   * const names = (await db.permissionCommands.getCommands(guildId)).map((c) => c.commandName); // ['ban', 'warn']
   * ```
   */
  getCommands(guildId: SnowflakeInput): Promise<PermissionCommand[]> {
    return this.findAll({ filters: { guildId }, orderBy: { commandName: 'ASC' } });
  }

  /**
   * Whether a member with `roleIds` may run `commandName`: true when no requirement applies to the command (its
   * own, or else its nearest parent's, as getCommandRank finds it), or the highest rank held through those roles (see PermissionAssignmentRepository.getUserPermissionRank) is
   * at least the required one; a member with no ranked role may run only unrestricted commands. One statement.
   * @throws ValidationError for bad ids or command name.
   *
   * ```ts
   * await db.permissionRanks.initializeDefaultRanks(guildId);
   * await db.permissionAssignments.assignRole(guildId, roleId, 2);
   * const canWarn = await db.permissionCommands.canRunCommand(guildId, 'warn', [roleId]); // true: rank 2 is enough
   * const canBan = await db.permissionCommands.canRunCommand(guildId, 'ban', [roleId]); // false: 'ban' needs rank 3
   * ```
   */
  async canRunCommand(guildId: SnowflakeInput, commandName: string, roleIds: ReadonlyArray<SnowflakeInput>): Promise<boolean> {
    const [guild, name] = this.keyParams(guildId, commandName);
    const statement = canRunCommandStatement(this.model, guild, commandNameChain(name as string), roleIdList(this.model.entityName, roleIds));
    const result = await this.runStatement<{ allowed: boolean }>(statement, { prepare: true });
    return this.firstRow(result.rows).allowed;
  }

  /**
   * Every write's validation (create, createMany, upsert, updateById, updateWhere, bulkUpdate, setCommandRank), plus
   * the refusal of the restricted commands, so no generic write can put one on a rank either.
   */
  protected override prepare(values: unknown, mode: WriteMode, path?: string, provided?: ReadonlySet<string>): PreparedValues {
    const prepared = super.prepare(values, mode, path, provided);
    const name = preparedValue(prepared, 'commandName');
    if (typeof name === 'string' && isRestricted(name)) {
      throw ValidationError.forField(
        this.model.entityName,
        path === undefined ? 'commandName' : `${path}.commandName`,
        `'${name}' is restricted to the bot's owners and sysadmins (Tux's RESTRICTED_COMMANDS: ${[...RESTRICTED_COMMANDS].join(', ')}) and cannot require a rank`,
      );
    }
    return prepared;
  }

  private keyParams(guildId: unknown, commandName: unknown): [guild: unknown, commandName: unknown] {
    return [this.coerce('guildId', guildId, 'guildId'), this.coerce('commandName', commandName, 'commandName')];
  }
}

/** Whether `commandName` is a restricted command or one of its subcommands (first word, any letter case). */
function isRestricted(commandName: string): boolean {
  const first = commandName.trim().split(/\s+/)[0] ?? '';
  return RESTRICTED_COMMANDS.has(first.toLowerCase());
}
