import { injectable } from 'tsyringe';
import { Guild } from '../entities/guild';
import type { SnowflakeInput } from '../entities/snowflake';
import { getOrCreateGuildStatement } from '../query/guild-statements';
import { DatabaseService } from '../service/database-service';
import { UnitOfWork } from '../service/unit-of-work';
import { BaseRepository } from './base-repository';

/**
 * Guilds and their case counters. Every other table belongs to a guild (ON DELETE CASCADE), so
 * deleting a guild removes all of its rows. `caseCount` is written only by CaseRepository's counter statement,
 * and by whoever creates the guild row: to continue numbering imported from elsewhere, create the guild with it
 * (`create({ guildId, caseCount })`, or `getOrCreate({ guildId }, { caseCount })`); every update refuses it.
 */
@injectable()
export class GuildRepository extends BaseRepository<Guild> {
  constructor(service: DatabaseService, unitOfWork?: UnitOfWork) {
    super(service, Guild, unitOfWork);
  }

  /**
   * The guild's row, created when missing, in one race-free `INSERT … ON CONFLICT` statement (concurrent
   * callers all get the same single row). A given `guildName` is stored (Discord names change); without
   * one, the stored name is kept.
   * @throws ValidationError for a bad id or a name over 100 characters.
   *
   * ```ts
   * (await db.guild.getOrCreateGuild(guildId, 'Tux Lounge')).caseCount; // 0: created on the first call
   * (await db.guild.getOrCreateGuild(guildId)).guildName; // 'Tux Lounge': the same row; without a name, the stored one is kept
   * ```
   */
  async getOrCreateGuild(guildId: SnowflakeInput, guildName?: string | null): Promise<Guild> {
    const name = guildName === undefined || guildName === null ? null : this.value('guildName', guildName);
    const result = await this.runStatement(getOrCreateGuildStatement(this.model, this.value('guildId', guildId), name), { prepare: true });
    return this.hydrate(this.firstRow(result.rows));
  }

  /**
   * The guild with this id, or null.
   * @throws ValidationError for a bad id.
   *
   * ```ts
   * const guild = await db.guild.getGuildById(guildId);
   * guild?.guildName; // 'Tux Lounge'
   * await db.guild.getGuildById('1300000000000000001'); // null: no row for that guild (no throw)
   * ```
   */
  async getGuildById(guildId: SnowflakeInput): Promise<Guild | null> {
    return this.getById(guildId);
  }

  /**
   * Every guild, oldest member of the bot first.
   *
   * ```ts
   * await db.guild.getOrCreateGuild('1300000000000000001');
   * const guilds = await db.guild.getAllGuilds();
   * guilds.map((g) => g.guildId); // [guildId, '1300000000000000001']: the guild the bot joined first comes first
   * ```
   */
  async getAllGuilds(): Promise<Guild[]> {
    return this.findAll({ orderBy: [{ guildJoinedAt: 'ASC' }, { guildId: 'ASC' }] });
  }

  /**
   * Renames a guild; returns it, or null when it has no row.
   * @throws ValidationError for a bad id or name.
   *
   * ```ts
   * const renamed = await db.guild.updateGuildName(guildId, 'Tux HQ');
   * renamed?.guildName; // 'Tux HQ'
   * await db.guild.updateGuildName('1400000000000000001', 'Tux HQ'); // null: that guild has no row, and none is created
   * ```
   */
  async updateGuildName(guildId: SnowflakeInput, guildName: string | null): Promise<Guild | null> {
    return this.updateById(guildId, { guildName });
  }

  /**
   * Deletes the guild and, through ON DELETE CASCADE, every row it owns (cases, config, AFK, levels, …).
   * @returns true when the guild existed. @throws ValidationError for a bad id.
   *
   * ```ts
   * await db.case.createCase({ guildId: '1300000000000000001', caseType: CaseType.WARN, caseUserId: userId, caseModeratorId: moderatorId });
   * await db.guild.deleteGuild('1300000000000000001'); // true; its case went with it
   * await db.case.countCasesByGuild('1300000000000000001'); // 0
   * ```
   */
  async deleteGuild(guildId: SnowflakeInput): Promise<boolean> {
    return this.deleteById(guildId);
  }

  /**
   * How many guilds have a row.
   *
   * ```ts
   * await db.guild.countGuilds(); // 1
   * ```
   */
  async countGuilds(): Promise<number> {
    return this.count();
  }

  private value(property: string, value: unknown): unknown {
    return this.coerce(property, value, property);
  }
}
