import { injectable } from 'tsyringe';
import { PermissionRank } from '../entities/permission-rank';
import type { SnowflakeInput } from '../entities/snowflake';
import { ValidationError } from '../errors/validation-error';
import { DatabaseService } from '../service/database-service';
import { UnitOfWork } from '../service/unit-of-work';
import { BaseRepository } from './base-repository';
import { CREATES_GUILD, ensureGuildCte } from './ensure-guild-sql';
import { preparedValue } from './prepare-values';

/** Fields updateRank may change (a new rank number must be free in the guild). */
export interface PermissionRankPatch {
  readonly rank?: number;
  readonly name?: string;
  readonly description?: string | null;
}

const PATCH_FIELDS = ['rank', 'name', 'description'] as const;


/** A guild's named permission ranks (0–10, unique per guild by number and by name); higher ranks may do more. */
@injectable()
export class PermissionRankRepository extends BaseRepository<PermissionRank> {
  constructor(service: DatabaseService, unitOfWork?: UnitOfWork) {
    super(service, PermissionRank, unitOfWork);
  }

  /**
   * Creates rank `rank` (0–10) named `name` (and the guild row if missing) in one statement and returns it.
   * @throws ValidationError for a rank outside 0–10 or a bad name; UniqueViolationError when the guild already
   * has that rank number (uq_permission_ranks_guild_rank) or name (uq_permission_ranks_guild_name).
   */
  async createRank(guildId: SnowflakeInput, rank: number, name: string, description: string | null = null): Promise<PermissionRank> {
    const prepared = this.prepare({ guildId, rank, name, description }, 'insert');
    const sql = this.cachedSql('createRank', () =>
      `WITH ${ensureGuildCte('$1')} INSERT INTO ${this.model.table} ("guild_id", "rank", "name", "description") VALUES ($1, $2, $3, $4) RETURNING ${this.model.selectList}`,
    );
    const params = [preparedValue(prepared, 'guildId'), preparedValue(prepared, 'rank'), preparedValue(prepared, 'name'), preparedValue(prepared, 'description')];
    return this.hydrate(this.firstRow((await this.run(sql, params, CREATES_GUILD)).rows));
  }

  /** The guild's ranks, lowest rank first; empty when none. @throws ValidationError for a bad guild id. */
  getRanks(guildId: SnowflakeInput): Promise<PermissionRank[]> {
    return this.findAll({ filters: { guildId }, orderBy: { rank: 'ASC' } });
  }

  /** The guild's rank with this number, or null. @throws ValidationError for a bad guild id or rank. */
  getRank(guildId: SnowflakeInput, rank: number): Promise<PermissionRank | null> {
    return this.findOne({ filters: { guildId, rank } });
  }

  /**
   * Changes a rank's number, name or description and returns it, or null when the guild has no such rank.
   * @throws ValidationError for bad or unknown fields; UniqueViolationError when the new number or name is taken.
   */
  async updateRank(guildId: SnowflakeInput, rank: number, values: PermissionRankPatch): Promise<PermissionRank | null> {
    this.checkOptions(values, PATCH_FIELDS, 'updateRank');
    const prepared = this.prepare(values, 'update');
    if (prepared.columns.length === 0) throw ValidationError.forField(this.model.entityName, 'values', 'must set at least one of rank, name, description');
    const params = [...prepared.params, this.coerce('guildId', guildId, 'guildId'), this.coerce('rank', rank, 'rank')];
    const sets = prepared.columns.map((c, i) => `${c.quoted} = $${i + 1}`).concat('"updated_at" = now()').join(', ');
    const sql = this.cachedSql(`updateRank:${prepared.columns.map((c) => c.property).join(',')}`, () =>
      `UPDATE ${this.model.table} SET ${sets} WHERE "guild_id" = $${params.length - 1} AND "rank" = $${params.length} RETURNING ${this.model.selectList}`,
    );
    const result = await this.run(sql, params, { prepare: true });
    return this.firstOrNull(result.rows);
  }

  /** Deletes the guild's rank with this number (its role assignments go with it); true when it existed. @throws ValidationError. */
  async deleteRank(guildId: SnowflakeInput, rank: number): Promise<boolean> {
    const params = [this.coerce('guildId', guildId, 'guildId'), this.coerce('rank', rank, 'rank')];
    const sql = this.cachedSql('deleteRank', () => `DELETE FROM ${this.model.table} WHERE "guild_id" = $1 AND "rank" = $2`);
    return (await this.affectedRows(sql, params, { prepare: true })) > 0;
  }

}
