import { AfkRepository } from './afk-repository';
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

/** Every repository class, as the container registers them. */
export const ALL_REPOSITORIES = [
  CaseRepository,
  GuildRepository,
  GuildConfigRepository,
  AfkRepository,
  LevelsRepository,
  SnippetRepository,
  StarboardRepository,
  StarboardMessageRepository,
  ReminderRepository,
  GuildPermissionRepository,
  PermissionRankRepository,
  PermissionAssignmentRepository,
  PermissionCommandRepository,
] as const;
