import { Afk } from './afk';
import { Case } from './case';
import { Guild } from './guild';
import { GuildConfig } from './guild-config';
import { GuildPermission } from './guild-permission';
import { Levels } from './levels';
import { PermissionAssignment } from './permission-assignment';
import { PermissionCommand } from './permission-command';
import { PermissionRank } from './permission-rank';
import { Reminder } from './reminder';
import { Snippet } from './snippet';
import { Starboard } from './starboard';
import { StarboardMessage } from './starboard-message';

/** Every entity class, as the DataSource registers them. */
export const ALL_ENTITIES = [
  Guild,
  GuildConfig,
  Case,
  Afk,
  Levels,
  Snippet,
  Starboard,
  StarboardMessage,
  Reminder,
  GuildPermission,
  PermissionRank,
  PermissionAssignment,
  PermissionCommand,
] as const;
