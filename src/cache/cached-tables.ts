/**
 * The tables the cache holds reads of, by SQL name. Their rows each belong to one guild (`guild_id`), and triggers on
 * each (migrations CacheInvalidationTriggers, LevelsCacheInvalidation and CacheNotifyPerStatement) notify every
 * listening process of the guilds (or members) each statement wrote; a table added here needs a migration giving it
 * the triggers.
 */
export const CACHED_TABLES = ['guild_config', 'guild_permissions', 'permission_ranks', 'permission_assignments', 'permission_commands', 'cases', 'afk', 'levels'] as const;

/**
 * The cached tables whose entries are one member's (`<table>:<guild>:<user>` scopes): a member's XP changes on every
 * message that earns it, and dropping a whole guild's entries for each would leave nothing cached. Only reads of one
 * member are cached from them, and their trigger notifies per member (per guild for a statement writing many).
 */
export const MEMBER_TABLES: ReadonlySet<string> = new Set(['levels']);

/**
 * For a cached table, the cached tables whose rows a write to it may delete through a foreign key's ON DELETE CASCADE
 * (the guild row's own cascade aside, which StatementCache.afterWrite knows): deleting a rank deletes its role
 * assignments (fk_permission_assignments_rank). A write drops these in its own process with the table it names; their
 * triggers tell the other processes. test/cache/cache-triggers.spec.ts checks this against the schema's foreign keys.
 */
export const CASCADES: ReadonlyMap<string, ReadonlyArray<string>> = new Map([['permission_ranks', ['permission_assignments']]]);

/** Whether `scope` is one member's (`<table>:<guild>:<user>`), rather than a guild's or a whole table's. */
export function isMemberScope(scope: string): boolean {
  const first = scope.indexOf(':');
  return first > 0 && scope.indexOf(':', first + 1) > first;
}

/**
 * The NOTIFY channel of cache invalidations; each payload is `<table>:<guild_id>`, or `<table>:*` for a TRUNCATE. A
 * member table's payloads name one member, `<table>:<guild_id>:<user_id>`, or a guild, and end in `@<xid>`, the
 * writing transaction's id.
 */
export const INVALIDATION_CHANNEL = 'tux_cache';
