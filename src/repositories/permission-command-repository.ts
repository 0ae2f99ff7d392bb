import { injectable } from 'tsyringe';
import { PermissionCommand } from '../entities/permission-command';
import type { SnowflakeInput } from '../entities/snowflake';
import {
  canRunCommandStatement,
  commandRankStatement,
  deleteCommandRankStatement,
  setCommandRankStatement,
} from '../query/permission-command-statements';
import { DatabaseService } from '../service/database-service';
import { UnitOfWork } from '../service/unit-of-work';
import { BaseRepository } from './base-repository';
import { CREATES_GUILD } from './ensure-guild-sql';
import { roleIdList } from './permission-assignment-repository';
import { preparedValue } from './prepare-values';

/** The permission rank each command requires in a guild (command names match exactly, case included). */
@injectable()
export class PermissionCommandRepository extends BaseRepository<PermissionCommand> {
  constructor(service: DatabaseService, unitOfWork?: UnitOfWork) {
    super(service, PermissionCommand, unitOfWork);
  }

  /**
   * Requires rank `requiredRank` (0–10) for `commandName` in the guild, replacing any earlier requirement:
   * one INSERT … ON CONFLICT statement that also creates the guild row when missing. Returns the row.
   * @throws ValidationError for a bad guild id, command name or rank.
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

  /** The rank `commandName` requires in the guild, or null when it has no requirement. @throws ValidationError. */
  async getCommandRank(guildId: SnowflakeInput, commandName: string): Promise<number | null> {
    const result = await this.runStatement<{ requiredRank: number }>(commandRankStatement(this.model, ...this.keyParams(guildId, commandName)), { prepare: true });
    return result.rows[0]?.requiredRank ?? null;
  }

  /** Removes the command's requirement (anyone may run it again); true when it had one. @throws ValidationError. */
  async deleteCommandRank(guildId: SnowflakeInput, commandName: string): Promise<boolean> {
    const statement = deleteCommandRankStatement(this.model, ...this.keyParams(guildId, commandName));
    return (await this.affectedRows(statement, { prepare: true })) > 0;
  }

  /** Every command requirement of the guild, by command name. @throws ValidationError for a bad guild id. */
  getCommands(guildId: SnowflakeInput): Promise<PermissionCommand[]> {
    return this.findAll({ filters: { guildId }, orderBy: { commandName: 'ASC' } });
  }

  /**
   * Whether a member with `roleIds` may run `commandName`: true when the command has no required rank, or
   * the highest rank held through those roles (see PermissionAssignmentRepository.getUserPermissionRank) is
   * at least the required one; a member with no ranked role may run only unrestricted commands. One statement.
   * @throws ValidationError for bad ids or command name.
   */
  async canRunCommand(guildId: SnowflakeInput, commandName: string, roleIds: ReadonlyArray<SnowflakeInput>): Promise<boolean> {
    const statement = canRunCommandStatement(this.model, ...this.keyParams(guildId, commandName), roleIdList(this.model.entityName, roleIds));
    const result = await this.runStatement<{ allowed: boolean }>(statement, { prepare: true });
    return this.firstRow(result.rows).allowed;
  }

  private keyParams(guildId: unknown, commandName: unknown): [guild: unknown, commandName: unknown] {
    return [this.coerce('guildId', guildId, 'guildId'), this.coerce('commandName', commandName, 'commandName')];
  }
}
