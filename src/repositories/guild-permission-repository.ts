import { injectable } from 'tsyringe';
import { PermissionLevel } from '../entities/enums';
import { GuildPermission } from '../entities/guild-permission';
import type { SnowflakeInput } from '../entities/snowflake';
import { ValidationError } from '../errors/validation-error';
import { permissionLevelStatement, setPermissionLevelStatement } from '../query/guild-permission-statements';
import { DatabaseService } from '../service/database-service';
import { UnitOfWork } from '../service/unit-of-work';
import { BaseRepository } from './base-repository';
import { CREATES_GUILD } from './ensure-guild-sql';
import { preparedValue } from './prepare-values';
import type { MemberKey } from './repository-types';

/** Per-user permission levels (the seed's guild permissions); a user without a row is a MEMBER. */
@injectable()
export class GuildPermissionRepository extends BaseRepository<GuildPermission, MemberKey> {
  /** Its reads of one guild are cached (see DatabaseOptions.cache), as the permissions family. */
  protected override readonly cacheFamily = 'permissions' as const;

  constructor(service: DatabaseService, unitOfWork?: UnitOfWork) {
    super(service, GuildPermission, unitOfWork);
  }

  /**
   * The user's permission level in the guild: MEMBER when none was set. @throws ValidationError for bad ids.
   *
   * ```ts
   * const level = await db.guildPermissions.getPermissionLevel(guildId, userId); // PermissionLevel.MEMBER: none set yet
   * ```
   */
  async getPermissionLevel(guildId: SnowflakeInput, userId: SnowflakeInput): Promise<PermissionLevel> {
    const statement = permissionLevelStatement(this.model, this.coerce('guildId', guildId, 'guildId'), this.coerce('userId', userId, 'userId'));
    const result = await this.runStatement<{ level: PermissionLevel }>(statement, { prepare: true });
    return result.rows[0]?.level ?? PermissionLevel.MEMBER;
  }

  /**
   * Sets the user's permission level in the guild and returns the row: one INSERT … ON CONFLICT DO UPDATE
   * statement that also creates the guild row when missing.
   * @throws ValidationError for bad ids or a level that is not a PermissionLevel.
   *
   * ```ts
   * await db.guildPermissions.setPermissionLevel(guildId, userId, PermissionLevel.MODERATOR);
   * const level = await db.guildPermissions.getPermissionLevel(guildId, userId); // PermissionLevel.MODERATOR
   * ```
   */
  async setPermissionLevel(guildId: SnowflakeInput, userId: SnowflakeInput, level: PermissionLevel): Promise<GuildPermission> {
    // An insert may leave permissionLevel out (the column has a default); this call must not.
    if (level === undefined) throw ValidationError.forField(this.model.entityName, 'level', 'is undefined: give a PermissionLevel');
    const prepared = this.prepare({ guildId, userId, permissionLevel: level }, 'insert');
    const statement = setPermissionLevelStatement(
      this.model,
      preparedValue(prepared, 'guildId'),
      preparedValue(prepared, 'userId'),
      preparedValue(prepared, 'permissionLevel'),
    );
    const result = await this.runStatement(statement, CREATES_GUILD);
    return this.hydrate(this.firstRow(result.rows));
  }

  /**
   * Removes the user's level (back to MEMBER); true when one was set. @throws ValidationError for bad ids.
   *
   * ```ts
   * const removed = await db.guildPermissions.removePermissionLevel(guildId, userId); // true; false when none was set
   * ```
   */
  removePermissionLevel(guildId: SnowflakeInput, userId: SnowflakeInput): Promise<boolean> {
    return this.deleteById({ guildId, userId });
  }
}
