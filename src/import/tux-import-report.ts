/** The tables of this schema importTux writes, in the order it writes them (parents first). */
export const TUX_IMPORT_TABLES = [
  'guild',
  'guild_config',
  'cases',
  'afk',
  'levels',
  'snippet',
  'starboard',
  'starboard_message',
  'reminder',
  'permission_ranks',
  'permission_assignments',
  'permission_commands',
] as const;

/** One of TUX_IMPORT_TABLES. */
export type TuxImportTable = (typeof TUX_IMPORT_TABLES)[number];

/** What importTux does with a source row that breaks a rule of this schema. */
export type TuxIssueAction = 'resolve' | 'skip' | 'refuse';

/** One source row (and column) that breaks a rule of this schema, and what the import does about it. */
export interface TuxImportIssue {
  /** The Tux table the row comes from. */
  readonly table: string;
  /** The row's Tux primary key, ids as strings. */
  readonly key: Readonly<Record<string, string>>;
  /** The Tux column at fault (for a key conflict, the key's columns, comma-separated). */
  readonly column: string;
  /** What is wrong, in words. */
  readonly problem: string;
  /** 'resolve': imported with the change in `resolution`; 'skip': not imported; 'refuse': the import stops. */
  readonly action: TuxIssueAction;
  /** What the import did about it or, for a refusal, what would let the import go ahead. */
  readonly resolution: string;
}

/** Row counts for one target table. */
export interface TuxTableCounts {
  /** Rows read from Tux. */
  source: number;
  /** Rows written (or, in a dry run, that would be). */
  inserted: number;
  /** Rows whose key was already in the target (a re-run): left as they are. */
  alreadyPresent: number;
  /** Rows not imported because of an issue with action 'skip'. */
  skipped: number;
  /** Rows with an issue with action 'refuse': a dry run counts them here; an import with any refuses to run. */
  refused: number;
}

/** What importTux did (or, with dryRun, would do). */
export interface TuxImportReport {
  /** True when nothing was written: the report says what an import would do. */
  readonly dryRun: boolean;
  /** The Tux database's Alembic revision (alembic_version), or null when it has none. */
  readonly alembicRevision: string | null;
  /** Row counts for each target table. */
  readonly tables: Readonly<Record<TuxImportTable, TuxTableCounts>>;
  /** Guilds whose case_count was raised so numbering continues after the imported case numbers. */
  readonly caseCountsRaised: number;
  /** Identity columns moved past the largest imported id: `table.column` → the sequence's new last value. */
  readonly identities: Readonly<Record<string, string>>;
  /** Every source row that breaks a rule of this schema, with the resolution applied. */
  readonly issues: ReadonlyArray<TuxImportIssue>;
}

/** Empty counts for every table. */
export function emptyCounts(): Record<TuxImportTable, TuxTableCounts> {
  const counts = {} as Record<TuxImportTable, TuxTableCounts>;
  for (const table of TUX_IMPORT_TABLES) counts[table] = { source: 0, inserted: 0, alreadyPresent: 0, skipped: 0, refused: 0 };
  return counts;
}
