import { InitialSchema1764140000000 } from './1764140000000-initial-schema';
import { GuildCascadeIndexes1795679899967 } from './1795679899967-guild-cascade-indexes';

/** Every migration class, oldest first. */
export const ALL_MIGRATIONS = [InitialSchema1764140000000, GuildCascadeIndexes1795679899967] as const;
