import { InitialSchema1764140000000 } from './1764140000000-initial-schema';
import { GuildCascadeIndexes1795679899967 } from './1795679899967-guild-cascade-indexes';
import { GuildIdInEveryKey1796001797542 } from './1796001797542-guild-id-in-every-key';
import { CacheInvalidationTriggers1796002634713 } from './1796002634713-cache-invalidation-triggers';
import { LevelsCacheInvalidation1796016787895 } from './1796016787895-levels-cache-invalidation';
import { CacheNotifyPerStatement1796101963370 } from './1796101963370-cache-notify-per-statement';
import { CaseUserRolesAsStrings1796179986075 } from './1796179986075-case-user-roles-as-strings';
import { PermanentAfkWithoutEnd1796204957178 } from './1796204957178-permanent-afk-without-end';

/** Every migration class, oldest first. */
export const ALL_MIGRATIONS = [InitialSchema1764140000000, GuildCascadeIndexes1795679899967, GuildIdInEveryKey1796001797542, CacheInvalidationTriggers1796002634713, LevelsCacheInvalidation1796016787895, CacheNotifyPerStatement1796101963370, CaseUserRolesAsStrings1796179986075, PermanentAfkWithoutEnd1796204957178] as const;
