import type { RepositoryName } from './repository-table';

/** Repository methods whose statements span guilds, and why (one entry of CROSS_GUILD_STATEMENTS). */
export interface CrossGuildStatements {
  /** The repository, as the coordinator names it (`case` for `db.case`). */
  readonly repository: RepositoryName;
  /** Its methods that send such statements. */
  readonly methods: ReadonlyArray<string>;
  /** Why they cannot name one guild. */
  readonly reason: string;
}

const BY_ROW_ID = 'they find a row by its id alone, which is unique by itself (see RowId); their signatures take no guild';
const MANY_ROWS =
  'createMany and bulkUpdate take rows (keys) of any guilds in one statement: one INSERT … SELECT FROM unnest(…) or UPDATE … FROM unnest(…), each row going to its own guild';

/**
 * The repository methods that send statements not confined to one guild, by design, each with why. On a database
 * distributed by guild (Citus; docs/operators.md, "Distribution by guild (Citus)") these are the multi-shard
 * statements. Every other statement a repository sends to a table names one guild: it reads, updates and deletes
 * only rows with guild_id = that guild, and inserts that guild's id (test/schema/distribution-layout.spec.ts calls
 * every public repository method and checks each statement's declaration, text and plan). The generic findAll,
 * findOne, count, exists, paginate, updateWhere and deleteWhere are not listed: they name one guild exactly when their
 * filters require a guildId at the top level, which is the caller's choice.
 *
 * ```ts
 * for (const { repository, methods, reason } of CROSS_GUILD_STATEMENTS) console.log(methods.map((m) => `db.${repository}.${m}`).join(', '), '—', reason);
 * ```
 */
export const CROSS_GUILD_STATEMENTS: ReadonlyArray<CrossGuildStatements> = [
  { repository: 'case', methods: ['getById', 'updateById', 'deleteById', 'bulkUpdate', 'markProcessed', 'closeCase', 'updateModLogMessageId'], reason: BY_ROW_ID },
  {
    repository: 'case',
    methods: ['getExpiredCases', 'getExpiredTempbans'],
    reason: 'called without a guildId (Tux’s `(now?)` shape) they read the expired cases of every guild, for the one sweeper a bot runs',
  },
  { repository: 'guild', methods: ['getAllGuilds', 'countGuilds'], reason: 'they read every guild, by definition' },
  { repository: 'guild', methods: ['createMany', 'bulkUpdate'], reason: MANY_ROWS },
  { repository: 'guildConfig', methods: ['createMany', 'bulkUpdate'], reason: MANY_ROWS },
  { repository: 'afk', methods: ['createMany', 'bulkUpdate'], reason: MANY_ROWS },
  { repository: 'levels', methods: ['createMany', 'bulkUpdate'], reason: MANY_ROWS },
  { repository: 'snippet', methods: ['getById', 'updateById', 'deleteById', 'bulkUpdate', 'incrementUses', 'toggleLock'], reason: BY_ROW_ID },
  { repository: 'snippet', methods: ['createMany'], reason: MANY_ROWS },
  { repository: 'starboard', methods: ['createMany', 'bulkUpdate'], reason: MANY_ROWS },
  {
    repository: 'starboardMessage',
    methods: ['getById', 'updateById', 'deleteById', 'bulkUpdate', 'getStarboardMessageById', 'setStarCount', 'incrementStarCount', 'deleteStarboardMessage'],
    reason: BY_ROW_ID,
  },
  { repository: 'starboardMessage', methods: ['createMany'], reason: MANY_ROWS },
  {
    repository: 'starboardMessage',
    methods: ['getStarboardMessageByStarboardMessageId'],
    reason: 'called without a guildId (Tux’s shape) it looks the bot’s copy up in every guild',
  },
  { repository: 'reminder', methods: ['getById', 'updateById', 'deleteById', 'bulkUpdate', 'deleteReminder'], reason: BY_ROW_ID },
  { repository: 'reminder', methods: ['createMany'], reason: MANY_ROWS },
  {
    repository: 'reminder',
    methods: ['claimDueReminders', 'deleteSentReminders'],
    reason: 'the reminder poller claims the due reminders of every guild at once, and the clean-up deletes every guild’s sent ones',
  },
  { repository: 'reminder', methods: ['getRemindersByUser'], reason: 'called without a guildId (Tux’s shape) it lists the user’s reminders in every guild' },
  { repository: 'guildPermissions', methods: ['createMany', 'bulkUpdate'], reason: MANY_ROWS },
  { repository: 'permissionRanks', methods: ['getById', 'updateById', 'deleteById', 'bulkUpdate'], reason: BY_ROW_ID },
  { repository: 'permissionRanks', methods: ['createMany'], reason: MANY_ROWS },
  { repository: 'permissionAssignments', methods: ['getById', 'updateById', 'deleteById', 'bulkUpdate'], reason: BY_ROW_ID },
  { repository: 'permissionAssignments', methods: ['createMany'], reason: MANY_ROWS },
  { repository: 'permissionCommands', methods: ['getById', 'updateById', 'deleteById', 'bulkUpdate'], reason: BY_ROW_ID },
  { repository: 'permissionCommands', methods: ['createMany'], reason: MANY_ROWS },
];
