import { Afk } from '../entities/afk';
import { Case } from '../entities/case';
import { Guild } from '../entities/guild';
import { GuildConfig } from '../entities/guild-config';
import { GuildPermission } from '../entities/guild-permission';
import { Levels } from '../entities/levels';
import { PermissionAssignment } from '../entities/permission-assignment';
import { PermissionCommand } from '../entities/permission-command';
import { PermissionRank } from '../entities/permission-rank';
import { Reminder } from '../entities/reminder';
import { Snippet } from '../entities/snippet';
import { Starboard } from '../entities/starboard';
import { StarboardMessage } from '../entities/starboard-message';
import { AfkRepository } from './afk-repository';
import type { BaseRepository } from './base-repository';
import { CaseRepository } from './case-repository';
import { GuildConfigRepository } from './guild-config-repository';
import { GuildPermissionRepository } from './guild-permission-repository';
import { GuildRepository } from './guild-repository';
import { LevelsRepository } from './levels-repository';
import { PermissionAssignmentRepository } from './permission-assignment-repository';
import { PermissionCommandRepository } from './permission-command-repository';
import { PermissionRankRepository } from './permission-rank-repository';
import { ReminderRepository } from './reminder-repository';
import { SnippetRepository } from './snippet-repository';
import { StarboardMessageRepository } from './starboard-message-repository';
import { StarboardRepository } from './starboard-repository';

/** A repository class storing `E`, however its constructor is declared: the container or the stub kit builds it, never the table. */
export type RepositoryClass<E extends object = object> = new (...args: never[]) => BaseRepository<E, unknown>;

/** One row of the repository table: the coordinator's property (`db.case`), the repository class and its entity. */
export interface RepositoryRow<N extends string = string, E extends object = object, C extends RepositoryClass<E> = RepositoryClass<E>> {
  /** The coordinator's property for the repository (`'case'` for `db.case`). */
  readonly name: N;
  /** The repository class. */
  readonly repository: C;
  /** The entity class the repository stores. */
  readonly entity: new () => E;
}

// Keeps each class's own type (`typeof CaseRepository`, which the container accepts) and ties it to its entity at
// compile time: `{ repository: CaseRepository, entity: Guild }` does not type-check.
function row<const N extends string, E extends object, C extends RepositoryClass<E>>(value: RepositoryRow<N, E, C>): RepositoryRow<N, E, C> {
  return value;
}

/**
 * Every repository, once: the coordinator's properties, the container's registrations, the stub kit's stubs and
 * ALL_REPOSITORIES are all derived from this table. Adding a repository is one row here plus the export of its class
 * and entity from src/index.ts (test/repositories/repository-table.spec.ts fails until they agree). An array rather
 * than an object keyed by name, so the order is written down and ALL_REPOSITORIES keeps its tuple type.
 *
 * ```ts
 * for (const { name, repository, entity } of REPOSITORY_TABLE) console.log(`db.${name}`, repository.name, entity.name);
 * ```
 */
export const REPOSITORY_TABLE = [
  row({ name: 'case', repository: CaseRepository, entity: Case }),
  row({ name: 'guild', repository: GuildRepository, entity: Guild }),
  row({ name: 'guildConfig', repository: GuildConfigRepository, entity: GuildConfig }),
  row({ name: 'afk', repository: AfkRepository, entity: Afk }),
  row({ name: 'levels', repository: LevelsRepository, entity: Levels }),
  row({ name: 'snippet', repository: SnippetRepository, entity: Snippet }),
  row({ name: 'starboard', repository: StarboardRepository, entity: Starboard }),
  row({ name: 'starboardMessage', repository: StarboardMessageRepository, entity: StarboardMessage }),
  row({ name: 'reminder', repository: ReminderRepository, entity: Reminder }),
  row({ name: 'guildPermissions', repository: GuildPermissionRepository, entity: GuildPermission }),
  row({ name: 'permissionRanks', repository: PermissionRankRepository, entity: PermissionRank }),
  row({ name: 'permissionAssignments', repository: PermissionAssignmentRepository, entity: PermissionAssignment }),
  row({ name: 'permissionCommands', repository: PermissionCommandRepository, entity: PermissionCommand }),
] as const;

/** The table's type: a tuple, so a row's class and entity keep their exact types. */
export type RepositoryTable = typeof REPOSITORY_TABLE;

/** A coordinator property that holds a repository: `'case' | 'guild' | …`. */
export type RepositoryName = RepositoryTable[number]['name'];

/** One repository of each row, under its name, each typed as its own class (`case: CaseRepository`, …). */
export type Repositories = { readonly [Row in RepositoryTable[number] as Row['name']]: InstanceType<Row['repository']> };

/** One value per row, keyed by the row's name; the caller narrows the value type (see Repositories). */
export function byRepositoryName<V>(make: (row: RepositoryTable[number]) => V): { readonly [K in RepositoryName]: V } {
  return Object.fromEntries(REPOSITORY_TABLE.map((r) => [r.name, make(r)])) as { readonly [K in RepositoryName]: V };
}
