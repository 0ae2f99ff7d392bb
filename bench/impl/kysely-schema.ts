import type { ColumnType, Generated } from 'kysely';
import type { CaseType } from '../../src/entities/enums';

// Kysely's description of the tables the workloads touch, in camelCase (CamelCasePlugin maps the names); the
// library's migrations created them. bigint columns are strings, as pg returns them.

/** A column the database fills when an insert leaves it out. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;

/** The `guild` table. */
export interface GuildTable {
  readonly guildId: string;
  readonly caseCount: Defaulted<number>;
  readonly updatedAt: Defaulted<Date>;
}

/** The `cases` table. */
export interface CasesTable {
  readonly caseId: Generated<string>;
  readonly caseNumber: number;
  readonly caseType: CaseType;
  readonly caseUserId: string;
  readonly caseModeratorId: string;
  readonly guildId: string;
  readonly caseReason: string | null;
  readonly caseStatus: Defaulted<boolean>;
  readonly caseProcessed: Defaulted<boolean>;
  readonly caseExpiresAt: Defaulted<Date | null>;
  readonly caseUserRoles: Defaulted<unknown>;
  readonly caseMetadata: Defaulted<unknown>;
  readonly modLogMessageId: Defaulted<string | null>;
  readonly caseCreatedAt: Defaulted<Date>;
  readonly caseUpdatedAt: Defaulted<Date>;
}

/** The `reminder` table. */
export interface ReminderTable {
  readonly reminderId: Generated<string>;
  readonly reminderContent: string;
  readonly reminderExpiresAt: Date;
  readonly reminderChannelId: string;
  readonly reminderUserId: string;
  readonly reminderSent: Defaulted<boolean>;
  readonly guildId: string;
}

/** The `levels` table. */
export interface LevelsTable {
  readonly userId: string;
  readonly guildId: string;
  readonly xp: Defaulted<number>;
  readonly level: Defaulted<number>;
  readonly blacklisted: Defaulted<boolean>;
  readonly lastMessage: Defaulted<Date>;
}

/** The database as Kysely sees it. */
export interface KyselyDatabase {
  readonly guild: GuildTable;
  readonly cases: CasesTable;
  readonly reminder: ReminderTable;
  readonly levels: LevelsTable;
}
