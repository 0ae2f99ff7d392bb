import { injectable } from 'tsyringe';
import { PermissionRank } from '../entities/permission-rank';
import type { SnowflakeInput } from '../entities/snowflake';
import { ValidationError } from '../errors/validation-error';
import { createRankStatement, deleteRankStatement, seedRanksStatement, updateRankStatement, type RankSeed } from '../query/permission-rank-statements';
import { DatabaseService } from '../service/database-service';
import { UnitOfWork } from '../service/unit-of-work';
import { BaseRepository } from './base-repository';
import { CREATES_GUILD } from './ensure-guild-sql';
import { preparedValue } from './prepare-values';

/** Fields updateRank may change (a new rank number must be free in the guild). */
export interface PermissionRankPatch {
  /** The new rank number, 0–10; it must be free in the guild. */
  readonly rank?: number;
  /** The new name, 1–100 characters, unique in the guild. */
  readonly name?: string;
  /** The new description, at most 500 characters; null clears it. */
  readonly description?: string | null;
}

/**
 * Tux's DEFAULT_RANKS (src/tux/core/permission_system.py): the ranks 0–7 a guild starts with, names and descriptions
 * as Tux writes them.
 */
export const DEFAULT_RANKS: ReadonlyArray<RankSeed> = Object.freeze([
  { rank: 0, name: 'Member', description: 'Regular community member with standard access to server features and commands' },
  { rank: 1, name: 'Trusted', description: 'Trusted community member who has proven themselves reliable and helpful' },
  { rank: 2, name: 'Junior Moderator', description: 'Entry-level moderation role for those learning and gaining experience' },
  { rank: 3, name: 'Moderator', description: 'Experienced moderator responsible for maintaining order and community standards' },
  { rank: 4, name: 'Senior Moderator', description: 'Senior moderator with additional oversight responsibilities and leadership duties' },
  { rank: 5, name: 'Administrator', description: 'Server administrator with broad management capabilities and configuration access' },
  { rank: 6, name: 'Head Administrator', description: 'Head administrator with comprehensive server oversight and decision-making authority' },
  { rank: 7, name: 'Server Owner', description: 'Server owner with ultimate authority and complete control over all aspects' },
].map((r) => Object.freeze(r)));

const PATCH_FIELDS = ['rank', 'name', 'description'] as const;

/** A guild's named permission ranks (0–10, unique per guild by number and by name); higher ranks may do more. */
@injectable()
export class PermissionRankRepository extends BaseRepository<PermissionRank> {
  /** Its reads of one guild are cached (see DatabaseOptions.cache), as the permissions family. */
  protected override readonly cacheFamily = 'permissions' as const;

  constructor(service: DatabaseService, unitOfWork?: UnitOfWork) {
    super(service, PermissionRank, unitOfWork);
  }

  /**
   * Creates rank `rank` (0–10) named `name` (and the guild row if missing) in one statement and returns it.
   * @throws ValidationError for a rank outside 0–10 or a bad name; UniqueViolationError when the guild already
   * has that rank number (uq_permission_ranks_guild_rank) or name (uq_permission_ranks_guild_name).
   *
   * ```ts
   * const rank = await db.permissionRanks.createRank(guildId, 8, 'Bot Admin'); // { rank: 8, name: 'Bot Admin', description: null, … }
   * ```
   */
  async createRank(guildId: SnowflakeInput, rank: number, name: string, description: string | null = null): Promise<PermissionRank> {
    const prepared = this.prepare({ guildId, rank, name, description }, 'insert');
    const statement = createRankStatement(this.model, {
      guildId: preparedValue(prepared, 'guildId'),
      rank: preparedValue(prepared, 'rank'),
      name: preparedValue(prepared, 'name'),
      description: preparedValue(prepared, 'description'),
    });
    return this.hydrate(this.firstRow((await this.runStatement(statement, CREATES_GUILD)).rows));
  }

  /**
   * Seeds Tux's default ranks 0–7 (DEFAULT_RANKS) in one statement, as Tux's initialize_guild does: only the ranks
   * the guild lacks are created, an existing rank (even renamed) is never changed, and a default whose name a custom
   * rank already uses is skipped. Idempotent and safe to race: returns the ranks this call created (empty the second
   * time). Creates the guild row when missing. Not run on guild creation: call it where the bot sets a guild up.
   * @throws ValidationError for a bad guild id.
   *
   * ```ts
   * client.on('guildCreate', async (guild) => { await db.permissionRanks.initializeDefaultRanks(guild.id); });
   * ```
   */
  async initializeDefaultRanks(guildId: SnowflakeInput): Promise<PermissionRank[]> {
    const statement = seedRanksStatement(this.model, this.coerce('guildId', guildId, 'guildId'), DEFAULT_RANKS);
    return (await this.runStatement(statement, CREATES_GUILD)).rows.map((r) => this.hydrate(r)).sort((a, b) => a.rank - b.rank);
  }

  /**
   * The guild's ranks, lowest rank first; empty when none. @throws ValidationError for a bad guild id.
   *
   * ```ts
   * const numbers = (await db.permissionRanks.getRanks(guildId)).map((r) => r.rank); // [0, 1, 2, 3, 4, 5, 6, 7, 8]
   * ```
   */
  getRanks(guildId: SnowflakeInput): Promise<PermissionRank[]> {
    return this.findAll({ filters: { guildId }, orderBy: { rank: 'ASC' } });
  }

  /**
   * The guild's rank with this number, or null. @throws ValidationError for a bad guild id or rank.
   *
   * ```ts
   * const name = (await db.permissionRanks.getRank(guildId, 3))?.name; // 'Moderator'
   * const none = await db.permissionRanks.getRank(guildId, 10); // null
   * ```
   */
  getRank(guildId: SnowflakeInput, rank: number): Promise<PermissionRank | null> {
    return this.findOne({ filters: { guildId, rank } });
  }

  /**
   * Changes a rank's number, name or description and returns it, or null when the guild has no such rank.
   * @throws ValidationError for bad or unknown fields; UniqueViolationError when the new number or name is taken.
   *
   * ```ts
   * const moved = await db.permissionRanks.updateRank(guildId, 8, { rank: 9, name: 'Bot Manager' }); // { rank: 9, name: 'Bot Manager', … }
   * const gone = await db.permissionRanks.updateRank(guildId, 8, { name: 'Bot Admin' }); // null: the guild has no rank 8 now
   * ```
   */
  async updateRank(guildId: SnowflakeInput, rank: number, values: PermissionRankPatch): Promise<PermissionRank | null> {
    this.checkOptions(values, PATCH_FIELDS, 'updateRank');
    const prepared = this.prepare(values, 'update');
    if (prepared.columns.length === 0) throw ValidationError.forField(this.model.entityName, 'values', 'must set at least one of rank, name, description');
    const statement = updateRankStatement(this.model, prepared, this.coerce('guildId', guildId, 'guildId'), this.coerce('rank', rank, 'rank'));
    const result = await this.runStatement(statement, { prepare: true });
    return this.firstOrNull(result.rows);
  }

  /**
   * Deletes the guild's rank with this number (its role assignments go with it); true when it existed. @throws ValidationError.
   *
   * ```ts
   * const deleted = await db.permissionRanks.deleteRank(guildId, 9); // true; false when the guild has no rank 9
   * ```
   */
  async deleteRank(guildId: SnowflakeInput, rank: number): Promise<boolean> {
    const statement = deleteRankStatement(this.model, this.coerce('guildId', guildId, 'guildId'), this.coerce('rank', rank, 'rank'));
    return (await this.affectedRows(statement, { prepare: true })) > 0;
  }
}
