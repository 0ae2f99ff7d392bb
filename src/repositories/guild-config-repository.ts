import { injectable } from 'tsyringe';
import { OnboardingStage } from '../entities/enums';
import { GuildConfig } from '../entities/guild-config';
import type { Snowflake, SnowflakeInput } from '../entities/snowflake';
import { ValidationError } from '../errors/validation-error';
import { coerceValue } from '../query/coerce-value';
import { configFieldsStatement, configFieldStatement, upsertConfigStatement } from '../query/guild-config-statements';
import type { ColumnModel } from '../query/table-model';
import { NO_FIELD } from '../query/write-statements';
import { DatabaseService } from '../service/database-service';
import { UnitOfWork } from '../service/unit-of-work';
import { BaseRepository } from './base-repository';
import { CREATES_GUILD } from './ensure-guild-sql';
import { preparedValue, type PreparedValues, type WriteMode } from './prepare-values';
import type { ColumnKeys, Values } from './repository-types';

/** The prefix a guild without a config row uses. */
export const DEFAULT_PREFIX = '!';

/** The jail's role and channel (getJailConfig); null where unset. */
export interface JailConfig {
  /** The role given to jailed members: Discord snowflake, as a string; null when unset. */
  readonly jailRoleId: Snowflake | null;
  /** The jail channel: Discord snowflake, as a string; null when unset. */
  readonly jailChannelId: Snowflake | null;
}

/** The audit-log and mod-log channels (getLogChannelIds); null where unset. */
export interface LogChannelIds {
  /** The audit-log channel: Discord snowflake, as a string; null when unset. */
  readonly auditLogId: Snowflake | null;
  /** The mod-log channel: Discord snowflake, as a string; null when unset. */
  readonly modLogId: Snowflake | null;
}

/** The kinds of log channel a guild configures. */
export const LOG_KINDS = ['mod', 'audit', 'join', 'private', 'report', 'dev'] as const;

/** A kind of log channel: `mod` is the mod log, `audit` the audit log, and so on. */
export type LogKind = (typeof LOG_KINDS)[number];

/** A GuildConfig field name (what getConfigField takes). */
export type GuildConfigField = ColumnKeys<GuildConfig>;

/** What updateConfig may change: the guild is the first argument and timestamps are the database's. */
export type GuildConfigPatch = Omit<Values<GuildConfig>, 'guildId' | 'createdAt' | 'updatedAt'>;

const LOG_FIELDS: Readonly<Record<LogKind, 'modLogId' | 'auditLogId' | 'joinLogId' | 'privateLogId' | 'reportLogId' | 'devLogId'>> = {
  mod: 'modLogId',
  audit: 'auditLogId',
  join: 'joinLogId',
  private: 'privateLogId',
  report: 'reportLogId',
  dev: 'devLogId',
};

/**
 * Per-guild settings (the seed's guild config controller). Writes create the guild and config rows when
 * they are missing, in the same statement. The field readers of a guild without a row return the defaults (getPrefix
 * the default prefix, getJailConfig and the log channel getters nulls, isOnboardingComplete false); the row readers
 * (getConfigByGuildId, getById) return null, and getOrCreateConfig creates it.
 */
@injectable()
export class GuildConfigRepository extends BaseRepository<GuildConfig> {
  /** Its reads of one guild are cached (see DatabaseOptions.cache), as the guildConfig family. */
  protected override readonly cacheFamily = 'guildConfig' as const;

  constructor(service: DatabaseService, unitOfWork?: UnitOfWork) {
    super(service, GuildConfig, unitOfWork);
  }

  /**
   * Every write, the generic ones too, keeps onboarding consistent as setOnboardingStage does: a write of stage
   * COMPLETED marks onboarding complete (`onboardingCompleted: true` when not given).
   * @throws ValidationError for stage COMPLETED with `onboardingCompleted: false`.
   */
  protected override prepare(values: unknown, mode: WriteMode, path?: string, provided?: ReadonlySet<string>): PreparedValues {
    const prepared = super.prepare(values, mode, path, provided);
    if (preparedValue(prepared, 'onboardingStage') !== OnboardingStage.COMPLETED) return prepared;
    const completed = preparedValue(prepared, 'onboardingCompleted');
    if (completed === false) throw ValidationError.forField(this.model.entityName, 'onboardingCompleted', 'must be true with onboardingStage COMPLETED');
    return completed === true ? prepared : { columns: [...prepared.columns, this.column('onboardingCompleted')], params: [...prepared.params, true] };
  }

  /**
   * The guild's config, or null when it has none. @throws ValidationError for a bad id.
   *
   * ```ts
   * const config = await db.guildConfig.getConfigByGuildId(guildId); // null when the guild has no config row (the field getters then give defaults)
   * ```
   */
  async getConfigByGuildId(guildId: SnowflakeInput): Promise<GuildConfig | null> {
    return this.getById(guildId);
  }

  /**
   * The guild's config, created with the defaults (and the guild row too) when missing; one statement.
   * @throws ValidationError for a bad id.
   *
   * ```ts
   * const { prefix, onboardingStage, onboardingCompleted } = await db.guildConfig.getOrCreateConfig(guildId); // '!', null, false on a new row
   * ```
   */
  async getOrCreateConfig(guildId: SnowflakeInput): Promise<GuildConfig> {
    return this.upsertConfig(guildId, {}, false);
  }

  /**
   * Sets config fields and returns the config. Creates the guild row and the config row when missing:
   * one `INSERT … ON CONFLICT DO UPDATE` statement with the guild insert in a CTE.
   * @throws ValidationError, before any SQL, for a bad id, an unknown field or a bad value.
   *
   * ```ts
   * const config = await db.guildConfig.updateConfig(guildId, { auditLogId: channelId, jailRoleId: roleId });
   * config.auditLogId; // channelId; the fields not given keep their values
   * await db.guildConfig.updateConfig(guildId, { prefix: '' }); // throws ValidationError, nothing written
   * ```
   */
  async updateConfig(guildId: SnowflakeInput, values: GuildConfigPatch): Promise<GuildConfig> {
    return this.upsertConfig(guildId, values, true);
  }

  /**
   * The value of one config field, or `defaultValue` when the guild has no config row or the field is null.
   * @throws ValidationError, before any SQL, when `field` is not a GuildConfig field or the id is bad.
   *
   * ```ts
   * await db.guildConfig.getConfigField(guildId, 'prefix'); // '!'
   * await db.guildConfig.getConfigField(guildId, 'devLogId', 'none'); // 'none': the default, as devLogId is null
   * ```
   */
  async getConfigField<K extends GuildConfigField, D = null>(
    guildId: SnowflakeInput,
    field: K,
    defaultValue: D = null as D,
  ): Promise<Exclude<GuildConfig[K], null> | D> {
    const statement = configFieldStatement(this.model, this.fieldColumn(field), this.value('guildId', guildId));
    const result = await this.runStatement<{ value: Exclude<GuildConfig[K], null> | null }>(statement, { prepare: true });
    return result.rows[0]?.value ?? defaultValue;
  }

  /**
   * The channel id of a kind of log (`'mod'`, `'audit'`, `'join'`, `'private'`, `'report'`, `'dev'`), or null when unset.
   * @throws ValidationError for an unknown kind or a bad id.
   *
   * ```ts
   * const reportLogId = await db.guildConfig.getLogChannel(guildId, 'report'); // null when unset
   * ```
   */
  async getLogChannel(guildId: SnowflakeInput, kind: LogKind): Promise<Snowflake | null> {
    return this.getConfigField(guildId, this.logField(kind));
  }

  /**
   * Sets (or, with null, clears) the channel of a kind of log and returns the config.
   * @throws ValidationError for an unknown kind, a bad guild id or a bad channel id.
   *
   * ```ts
   * const { modLogId } = await db.guildConfig.setLogChannel(guildId, 'mod', channelId); // channelId
   * await db.guildConfig.setLogChannel(guildId, 'join', null); // null clears it
   * ```
   */
  async setLogChannel(guildId: SnowflakeInput, kind: LogKind, channelId: SnowflakeInput | null): Promise<GuildConfig> {
    return this.updateConfig(guildId, { [this.logField(kind)]: channelId });
  }

  /**
   * The mod-log channel id, or null. @throws ValidationError for a bad id.
   *
   * ```ts
   * const modLogId = await db.guildConfig.getModLogId(guildId); // channelId after setLogChannel(guildId, 'mod', channelId); null when unset
   * ```
   */
  async getModLogId(guildId: SnowflakeInput): Promise<Snowflake | null> {
    return this.getLogChannel(guildId, 'mod');
  }

  /**
   * The audit-log channel id, or null. @throws ValidationError for a bad id.
   *
   * ```ts
   * const auditLogId = await db.guildConfig.getAuditLogId(guildId); // channelId after updateConfig(guildId, { auditLogId: channelId }); null when unset
   * ```
   */
  async getAuditLogId(guildId: SnowflakeInput): Promise<Snowflake | null> {
    return this.getLogChannel(guildId, 'audit');
  }

  /**
   * The join-log channel id, or null. @throws ValidationError for a bad id.
   *
   * ```ts
   * const joinLogId = await db.guildConfig.getJoinLogId(guildId); // null when unset, or when the guild has no config row
   * ```
   */
  async getJoinLogId(guildId: SnowflakeInput): Promise<Snowflake | null> {
    return this.getLogChannel(guildId, 'join');
  }

  /**
   * The private-log channel id, or null. @throws ValidationError for a bad id.
   *
   * ```ts
   * await db.guildConfig.setLogChannel(guildId, 'private', channelId);
   * const privateLogId = await db.guildConfig.getPrivateLogId(guildId); // channelId
   * ```
   */
  async getPrivateLogId(guildId: SnowflakeInput): Promise<Snowflake | null> {
    return this.getLogChannel(guildId, 'private');
  }

  /**
   * The report-log channel id, or null. @throws ValidationError for a bad id.
   *
   * ```ts
   * const reportLogId = await db.guildConfig.getReportLogId(guildId); // null when unset
   * ```
   */
  async getReportLogId(guildId: SnowflakeInput): Promise<Snowflake | null> {
    return this.getLogChannel(guildId, 'report');
  }

  /**
   * The dev-log channel id, or null. @throws ValidationError for a bad id.
   *
   * ```ts
   * const devLogId = await db.guildConfig.getDevLogId(guildId); // null when unset
   * ```
   */
  async getDevLogId(guildId: SnowflakeInput): Promise<Snowflake | null> {
    return this.getLogChannel(guildId, 'dev');
  }

  /**
   * The jail channel id, or null. @throws ValidationError for a bad id.
   *
   * ```ts
   * const jailChannelId = await db.guildConfig.getJailChannelId(guildId); // null when unset
   * ```
   */
  async getJailChannelId(guildId: SnowflakeInput): Promise<Snowflake | null> {
    return this.getConfigField(guildId, 'jailChannelId');
  }

  /**
   * Sets (or, with null, clears) the jail channel; returns the config. @throws ValidationError for a bad id.
   *
   * ```ts
   * const { jailChannelId } = await db.guildConfig.setJailChannelId(guildId, channelId); // channelId; pass null to clear it
   * ```
   */
  async setJailChannelId(guildId: SnowflakeInput, channelId: SnowflakeInput | null): Promise<GuildConfig> {
    return this.updateConfig(guildId, { jailChannelId: channelId });
  }

  /**
   * The jail role id, or null. @throws ValidationError for a bad id.
   *
   * ```ts
   * const jailRoleId = await db.guildConfig.getJailRoleId(guildId); // roleId after updateConfig(guildId, { jailRoleId: roleId }); null when unset
   * ```
   */
  async getJailRoleId(guildId: SnowflakeInput): Promise<Snowflake | null> {
    return this.getConfigField(guildId, 'jailRoleId');
  }

  /**
   * Sets (or, with null, clears) the jail role; returns the config. @throws ValidationError for a bad id.
   *
   * ```ts
   * const { jailRoleId } = await db.guildConfig.setJailRoleId(guildId, roleId); // roleId; pass null to clear it
   * ```
   */
  async setJailRoleId(guildId: SnowflakeInput, roleId: SnowflakeInput | null): Promise<GuildConfig> {
    return this.updateConfig(guildId, { jailRoleId: roleId });
  }

  /**
   * The jail role and jail channel in one statement (Tux's get_jail_config). Tux returns the tuple
   * `(jail_role_id, jail_channel_id)`; this returns an object, so the two ids cannot be swapped by position.
   * Both null when the guild has no config row.
   * @throws ValidationError for a bad id.
   *
   * ```ts
   * const { jailRoleId, jailChannelId } = await db.guildConfig.getJailConfig(guildId);
   * ```
   */
  async getJailConfig(guildId: SnowflakeInput): Promise<JailConfig> {
    const row = await this.fields<JailConfig>(guildId, ['jailRoleId', 'jailChannelId']);
    return { jailRoleId: row?.jailRoleId ?? null, jailChannelId: row?.jailChannelId ?? null };
  }

  /**
   * The audit-log and mod-log channels in one statement (Tux's get_log_channel_ids). Tux returns the tuple
   * `(audit_log_id, mod_log_id)`; this returns `{ auditLogId, modLogId }`, so the two cannot be swapped by position.
   * Both null when the guild has no config row.
   * @throws ValidationError for a bad id.
   *
   * ```ts
   * const { auditLogId, modLogId } = await db.guildConfig.getLogChannelIds(guildId);
   * ```
   */
  async getLogChannelIds(guildId: SnowflakeInput): Promise<LogChannelIds> {
    const row = await this.fields<LogChannelIds>(guildId, ['auditLogId', 'modLogId']);
    return { auditLogId: row?.auditLogId ?? null, modLogId: row?.modLogId ?? null };
  }

  /**
   * Restarts onboarding as Tux's reset_onboarding does: stage NOT_STARTED *and* onboardingCompleted false (setting
   * the stage alone leaves the completed flag). Returns the config, or null when the guild has no config row (Tux
   * updates by id and creates nothing).
   * @throws ValidationError for a bad id.
   *
   * ```ts
   * await db.guildConfig.resetOnboarding(guildId);
   * ```
   */
  async resetOnboarding(guildId: SnowflakeInput): Promise<GuildConfig | null> {
    return this.updateById(guildId, { onboardingStage: OnboardingStage.NOT_STARTED, onboardingCompleted: false });
  }

  /**
   * The guild's command prefix; DEFAULT_PREFIX (`!`) when it has no config row. @throws ValidationError for a bad id.
   *
   * ```ts
   * const prefix = await db.guildConfig.getPrefix(guildId); // '!' (DEFAULT_PREFIX) until setPrefix, with or without a config row
   * ```
   */
  async getPrefix(guildId: SnowflakeInput): Promise<string> {
    return this.getConfigField(guildId, 'prefix', DEFAULT_PREFIX);
  }

  /**
   * Sets the command prefix (1–10 characters); returns the config. @throws ValidationError for a bad prefix or id.
   *
   * ```ts
   * const { prefix } = await db.guildConfig.setPrefix(guildId, '?'); // '?'
   * await db.guildConfig.setPrefix(guildId, 'a-long-prefix'); // throws ValidationError: more than 10 characters
   * ```
   */
  async setPrefix(guildId: SnowflakeInput, prefix: string): Promise<GuildConfig> {
    return this.updateConfig(guildId, { prefix });
  }

  /**
   * The onboarding stage, or null when onboarding never started. @throws ValidationError for a bad id.
   *
   * ```ts
   * const stage = await db.guildConfig.getOnboardingStage(guildId); // OnboardingStage.NOT_STARTED after resetOnboarding; null before onboarding starts
   * ```
   */
  async getOnboardingStage(guildId: SnowflakeInput): Promise<OnboardingStage | null> {
    return this.getConfigField(guildId, 'onboardingStage');
  }

  /**
   * Records the onboarding stage (COMPLETED also marks onboarding complete); returns the config.
   * @throws ValidationError for an unknown stage or a bad id.
   *
   * ```ts
   * const config = await db.guildConfig.setOnboardingStage(guildId, OnboardingStage.CONFIGURED);
   * config.onboardingCompleted; // false: only stage COMPLETED sets it (to true)
   * ```
   */
  async setOnboardingStage(guildId: SnowflakeInput, stage: OnboardingStage): Promise<GuildConfig> {
    return this.updateConfig(guildId, { onboardingStage: stage });
  }

  /**
   * Marks onboarding complete (stage COMPLETED); returns the config. @throws ValidationError for a bad id.
   *
   * ```ts
   * const { onboardingStage, onboardingCompleted } = await db.guildConfig.completeOnboarding(guildId); // OnboardingStage.COMPLETED, true
   * ```
   */
  async completeOnboarding(guildId: SnowflakeInput): Promise<GuildConfig> {
    return this.setOnboardingStage(guildId, OnboardingStage.COMPLETED);
  }

  /**
   * Whether the guild finished onboarding; false when it has no config row. @throws ValidationError for a bad id.
   *
   * ```ts
   * const done = await db.guildConfig.isOnboardingComplete(guildId); // true after completeOnboarding; false when the guild has no config row
   * ```
   */
  async isOnboardingComplete(guildId: SnowflakeInput): Promise<boolean> {
    return this.getConfigField(guildId, 'onboardingCompleted', false);
  }

  private async upsertConfig(guildId: SnowflakeInput, values: unknown, touch: boolean): Promise<GuildConfig> {
    const guild = this.value('guildId', guildId);
    // As an update, so the guild (the first argument) and the timestamps are refused among the values.
    const prepared = this.prepare(values, 'update');
    // updateConfig(guildId, {}) would only create the rows and move updated_at; getOrCreateConfig is that call.
    if (touch && prepared.columns.length === 0) throw ValidationError.forField(this.model.entityName, 'values', NO_FIELD);
    const result = await this.runStatement(upsertConfigStatement(this.model, guild, prepared, touch), CREATES_GUILD);
    return this.hydrate(this.firstRow(result.rows));
  }

  /** One row of `properties` of the guild's config, or undefined when it has none. */
  private async fields<R extends object>(guildId: SnowflakeInput, properties: ReadonlyArray<string>): Promise<R | undefined> {
    const statement = configFieldsStatement(this.model, properties.map((p) => this.fieldColumn(p)), this.value('guildId', guildId));
    return (await this.runStatement<R & Record<string, unknown>>(statement, { prepare: true })).rows[0];
  }

  private fieldColumn(field: unknown): ColumnModel {
    const column = typeof field === 'string' ? this.model.columns.get(field) : undefined;
    if (column === undefined) {
      throw ValidationError.forField(this.model.entityName, 'field', `must be a ${this.model.entityName} field: ${[...this.model.columns.keys()].join(', ')}`);
    }
    return column;
  }

  private logField(kind: unknown): (typeof LOG_FIELDS)[LogKind] {
    if (typeof kind !== 'string' || !Object.hasOwn(LOG_FIELDS, kind)) {
      throw ValidationError.forField(this.model.entityName, 'kind', `must be one of ${LOG_KINDS.join(', ')}`);
    }
    return LOG_FIELDS[kind as LogKind];
  }

  private value(property: string, value: unknown): unknown {
    return coerceValue(this.model, this.fieldColumn(property), value, property);
  }
}
