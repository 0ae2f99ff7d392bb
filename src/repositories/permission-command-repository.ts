import { injectable } from 'tsyringe';
import { PermissionCommand } from '../entities/permission-command';
import type { SnowflakeInput } from '../entities/snowflake';
import { DatabaseService } from '../service/database-service';
import { UnitOfWork } from '../service/unit-of-work';
import { BaseRepository } from './base-repository';
import { CREATES_GUILD, ensureGuildCte } from './ensure-guild-sql';
import { highestRankSql, roleIdList } from './permission-assignment-repository';
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
    const sql = this.cachedSql('setCommandRank', () =>
      `WITH ${ensureGuildCte('$1')} INSERT INTO ${this.model.table} ("guild_id", "command_name", "required_rank") VALUES ($1, $2, $3) ` +
      `ON CONFLICT ("guild_id", "command_name") DO UPDATE SET "required_rank" = EXCLUDED."required_rank", "updated_at" = now() ` +
      `RETURNING ${this.model.selectList}`,
    );
    const params = [preparedValue(prepared, 'guildId'), preparedValue(prepared, 'commandName'), preparedValue(prepared, 'requiredRank')];
    return this.hydrate(this.firstRow((await this.run(sql, params, CREATES_GUILD)).rows));
  }

  /** The rank `commandName` requires in the guild, or null when it has no requirement. @throws ValidationError. */
  async getCommandRank(guildId: SnowflakeInput, commandName: string): Promise<number | null> {
    const sql = this.cachedSql('getCommandRank', () =>
      `SELECT "required_rank" AS "requiredRank" FROM ${this.model.table} WHERE "guild_id" = $1 AND "command_name" = $2`,
    );
    const result = await this.run<{ requiredRank: number }>(sql, this.keyParams(guildId, commandName), { prepare: true });
    return result.rows[0]?.requiredRank ?? null;
  }

  /** Removes the command's requirement (anyone may run it again); true when it had one. @throws ValidationError. */
  async deleteCommandRank(guildId: SnowflakeInput, commandName: string): Promise<boolean> {
    const sql = this.cachedSql('deleteCommandRank', () => `DELETE FROM ${this.model.table} WHERE "guild_id" = $1 AND "command_name" = $2`);
    return (await this.affectedRows(sql, this.keyParams(guildId, commandName), { prepare: true })) > 0;
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
    const params = [...this.keyParams(guildId, commandName), roleIdList(this.model.entityName, roleIds)];
    const sql = this.cachedSql('canRunCommand', () =>
      `SELECT NOT EXISTS (SELECT 1 FROM ${this.model.table} c WHERE c."guild_id" = $1 AND c."command_name" = $2 ` +
      `AND c."required_rank" > COALESCE(${highestRankSql('$1', '$3')}, -1)) AS "allowed"`,
    );
    const result = await this.run<{ allowed: boolean }>(sql, params, { prepare: true });
    return this.firstRow(result.rows).allowed;
  }

  private keyParams(guildId: unknown, commandName: unknown): unknown[] {
    return [this.coerce('guildId', guildId, 'guildId'), this.coerce('commandName', commandName, 'commandName')];
  }

}
