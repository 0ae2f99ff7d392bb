// The one public barrel: named exports only. Files inside src/ import each other directly, never this.
// tsyringe and TypeORM's decorators need the Reflect metadata API before any entity or repository loads.
import 'reflect-metadata';

export { createDatabase, registerDatabase } from './container';
export { DatabaseCoordinator, REPOSITORIES } from './coordinator';
export { resolveOptions, DATABASE_OPTION_KEYS, MAX_TIMEOUT_MS, type DatabaseOptions, type ResolvedOptions, type ReadYourWritesScope, type CacheOption, type CacheFamily, type ResolvedCacheOptions, DEFAULT_CACHE_TTL_SECONDS } from './config';
export { redactUrl } from './redact-secrets';
export { DatabaseService, type QueryListener } from './service/database-service';
export type { StatementOptions, StatementRunner } from './service/statement-runner';
export { UnitOfWork, ISOLATION_LEVELS, type IsolationLevel, type UnitOfWorkOptions } from './service/unit-of-work';
export type { HealthReport, HealthSchema, HealthServer } from './service/health';
export type { ReplicaHealth } from './service/replica-set';
export type { CacheHealth } from './cache/statement-cache';
export type { QueryEvent, QueryEventListener, QueryServer } from './service/query-event';
export {
  instrumentOpenTelemetry,
  TRACER_NAME,
  type OpenTelemetryOptions,
  type OpenTelemetryTracer,
  type OpenTelemetrySpan,
  type OpenTelemetryApi,
  type SpanAttributeValue,
} from './observability/otel';

export { BaseRepository, MAX_PER_PAGE } from './repositories/base-repository';
export { CaseRepository, type NewCase, type NewGuildCase, type CasePatch, type GuildCasesOptions } from './repositories/case-repository';
export { GuildRepository } from './repositories/guild-repository';
export { GuildConfigRepository, DEFAULT_PREFIX, LOG_KINDS, type LogKind, type GuildConfigField, type GuildConfigPatch, type JailConfig, type LogChannelIds } from './repositories/guild-config-repository';
export { AfkRepository, type NewAfk } from './repositories/afk-repository';
export { LevelsRepository, type AddXpResult, type AddXpOptions, type LevelFormulaMismatch, type GuildLevelStats } from './repositories/levels-repository';
export { DEFAULT_LEVEL_FORMULA, squareRootLevelFormula, tuxLevelFormula, MAX_XP, MIN_POSITIVE_XP, MAX_LEVEL, type LevelFormula } from './entities/level-formula';
export { SnippetRepository, type NewSnippet, type NewAliasOptions } from './repositories/snippet-repository';
export { StarboardRepository, type StarboardSettings, type StarboardPatch } from './repositories/starboard-repository';
export { StarboardMessageRepository, type NewStarboardMessage } from './repositories/starboard-message-repository';
export { ReminderRepository, MAX_CLAIM_BATCH, type NewReminder } from './repositories/reminder-repository';
export { GuildPermissionRepository } from './repositories/guild-permission-repository';
export { PermissionRankRepository, DEFAULT_RANKS, type PermissionRankPatch } from './repositories/permission-rank-repository';
export { PermissionAssignmentRepository } from './repositories/permission-assignment-repository';
export { PermissionCommandRepository, RESTRICTED_COMMANDS } from './repositories/permission-command-repository';
export { ALL_REPOSITORIES } from './repositories/all-repositories';
export { REPOSITORY_TABLE, type Repositories, type RepositoryName, type RepositoryRow, type RepositoryClass } from './repositories/repository-table';
// BulkUpdate (bulkUpdate's rows) is among these.
export type * from './repositories/repository-types';

export { Guild } from './entities/guild';
export { GuildConfig } from './entities/guild-config';
export { Case } from './entities/case';
export { Afk } from './entities/afk';
export { Levels } from './entities/levels';
export { Snippet } from './entities/snippet';
export { Starboard } from './entities/starboard';
export { StarboardMessage } from './entities/starboard-message';
export { Reminder } from './entities/reminder';
export { GuildPermission } from './entities/guild-permission';
export { PermissionRank } from './entities/permission-rank';
export { PermissionAssignment } from './entities/permission-assignment';
export { PermissionCommand } from './entities/permission-command';
export { ALL_ENTITIES } from './entities/all-entities';
export { CaseType, PermissionLevel, OnboardingStage } from './entities/enums';
export { isSnowflake, toSnowflake, type Snowflake, type SnowflakeInput } from './entities/snowflake';
export { ALL_MIGRATIONS } from './migrations/all-migrations';

export { importTux, type ImportTuxOptions } from './import/import-tux';
export { TUX_IMPORT_TABLES, type TuxImportReport, type TuxImportIssue, type TuxIssueAction, type TuxTableCounts, type TuxImportTable } from './import/tux-import-report';

export { DatabaseError, isDatabaseError } from './errors/database-error';
export { DatabaseConnectionError, DatabaseTimeoutError } from './errors/connection-error';
export { ValidationError, isValidationError, type FieldError } from './errors/validation-error';
export { DataError } from './errors/data-error';
export { NotFoundError } from './errors/not-found-error';
export { ConstraintViolationError, UniqueViolationError, ForeignKeyViolationError, CheckViolationError } from './errors/constraint-errors';
export { SerializationFailureError, TransactionError, DatabaseClosedError } from './errors/transaction-errors';
export { convertError } from './errors/convert-error';
export { EmbeddedServerError } from './embedded/embedded-server-error';
export { TuxImportError } from './import/tux-import-error';

export type { Filter, OrderBy } from './query/filter-types';
export { escapeLike } from './query/escape-like';
export { MAX_FILTER_DEPTH, FILTER_OPERATORS } from './query/compile-filter';
