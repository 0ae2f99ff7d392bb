/**
 * The tables the cache holds reads of, by SQL name. Their rows each belong to one guild (`guild_id`), and a trigger on
 * each (migration CacheInvalidationTriggers) notifies every listening process of the guilds written; a table added
 * here needs a migration giving it the trigger.
 */
export const CACHED_TABLES = ['guild_config', 'guild_permissions', 'permission_ranks', 'permission_assignments', 'permission_commands', 'cases', 'afk'] as const;

/** The NOTIFY channel of cache invalidations; each payload is `<table>:<guild_id>`, or `<table>:*` for a TRUNCATE. */
export const INVALIDATION_CHANNEL = 'tux_cache';
