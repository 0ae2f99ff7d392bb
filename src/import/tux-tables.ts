import { CaseType } from '../entities/enums';
import { MAX_XP, MIN_POSITIVE_XP } from '../entities/level-formula';
import { snowflakeProblem } from '../entities/snowflake';
import { RESTRICTED_COMMANDS } from '../repositories/permission-command-repository';
import type { TuxImportTable } from './tux-import-report';
import { requiredTimestamp, text, utcText, type RowContext, type TuxRow } from './tux-row-context';

/** A target column: its name and the SQL type the text value is cast to. */
export interface TargetColumn {
  readonly name: string;
  readonly type: string;
}

/** How one Tux table becomes one table of this schema. */
export interface TableSpec {
  readonly target: TuxImportTable;
  readonly source: string;
  /** The Tux primary key (keyset order and the key shown in issues). */
  readonly sourceKey: readonly string[];
  /** alias → SQL expression over the Tux table, rendered as text. */
  readonly select: Readonly<Record<string, string>>;
  readonly columns: readonly TargetColumn[];
  /** The target key that tells whether a row is already there: a re-run finds each row under it and inserts nothing. */
  readonly conflict: readonly string[];
  /**
   * The unique key the insert's ON CONFLICT names, when it is wider than `conflict`: the target's primary key
   * (id, guild_id). The id alone still decides: an id some other guild's row holds is not inserted a second time, and
   * comes back as a different row. Unset: ON CONFLICT names `conflict`.
   */
  readonly arbiter?: readonly string[];
  /** Columns a re-run does not compare with the target's row (the import itself changes them afterwards). */
  readonly volatile?: readonly string[];
  /** The identity column that keeps Tux's ids (moved past the largest afterwards). */
  readonly identity?: string;
  /** The target values in `columns` order, or null to skip the row (after reporting why). */
  convert(row: TuxRow, ctx: RowContext): ReadonlyArray<string | null> | null;
}

const col = (name: string, type: string): TargetColumn => ({ name, type });
const raw = (...names: string[]): Record<string, string> => Object.fromEntries(names.map((n) => [n, `"${n}"::text`]));
const times = (...names: string[]): Record<string, string> => Object.fromEntries(names.map((n) => [n, utcText(n)]));
const CASE_TYPES: ReadonlySet<string> = new Set(Object.values(CaseType));

function caseType(row: TuxRow, ctx: RowContext): string | null {
  const value = text(row, 'case_type');
  if (value !== null && CASE_TYPES.has(value)) return value;
  const problem = value === null ? 'case_type is NULL; this schema requires a case type' : `case_type ${value} is not a CaseType`;
  if (ctx.nullCaseType === undefined) {
    ctx.issue('case_type', problem, 'refuse', 'no type is safe to guess: set it in Tux, or pass { nullCaseType } to choose one');
    return null;
  }
  ctx.issue('case_type', problem, 'resolve', `set to ${ctx.nullCaseType} (the nullCaseType option)`);
  return ctx.nullCaseType;
}

function caseUserRoles(row: TuxRow, ctx: RowContext): string {
  const kind = text(row, 'roles_type');
  const elements = row['roles'];
  if (kind !== 'array' || !Array.isArray(elements)) {
    ctx.issue('case_user_roles', `case_user_roles is JSON ${kind ?? 'NULL'}, not an array of role ids`, 'resolve', 'imported as []');
    return '[]';
  }
  const ids: string[] = [];
  for (const e of elements as ReadonlyArray<string | null>) {
    if (e !== null && snowflakeProblem(e) === undefined) ids.push(e);
    else ctx.issue('case_user_roles', `element ${JSON.stringify(e)} is not a Discord id`, 'resolve', 'element dropped');
  }
  // Role ids become JSON strings, as this library stores every snowflake: no reader can lose a digit.
  return JSON.stringify(ids);
}

function caseMetadata(row: TuxRow, ctx: RowContext): string | null {
  const kind = text(row, 'metadata_type');
  if (kind === null || kind === 'null') return null;
  if (kind === 'object') return text(row, 'case_metadata');
  ctx.issue('case_metadata', `case_metadata is JSON ${kind}; this schema keeps an object or NULL`, 'resolve', 'imported as NULL');
  return null;
}

function caseNumber(row: TuxRow, ctx: RowContext): string | null {
  const value = text(row, 'case_number');
  if (value !== null) return value;
  const assigned = ctx.caseNumbers.get(text(row, 'id') ?? '');
  if (assigned === undefined) throw new Error('import-tux: a NULL case number was not planned');
  ctx.issue('case_number', 'case_number is NULL; this schema numbers every case', 'resolve', `numbered ${assigned} (after the guild's highest number and case_count, in id order)`);
  return assigned;
}

/**
 * XP as this schema keeps it: Tux's `CHECK (xp >= 0)` lets NaN, Infinity, XP past MAX_XP and specks below
 * MIN_POSITIVE_XP in, which the library's writes refuse (and the next addXp would turn into MAX_XP at the top of the
 * leaderboard, or silently cut).
 */
function xpValue(row: TuxRow, ctx: RowContext): string | null {
  const raw = text(row, 'xp');
  if (raw === null) return null;
  const xp = Number(raw);
  if (Number.isNaN(xp)) {
    ctx.issue('xp', 'xp is NaN', 'resolve', 'imported as 0');
    return '0';
  }
  if (xp > MAX_XP) {
    ctx.issue('xp', `xp ${raw} is more than MAX_XP (${MAX_XP})`, 'resolve', `imported as ${MAX_XP}`);
    return String(MAX_XP);
  }
  if (xp > 0 && xp < MIN_POSITIVE_XP) {
    ctx.issue('xp', `xp ${raw} is more than 0 but less than MIN_POSITIVE_XP (${MIN_POSITIVE_XP})`, 'resolve', 'imported as 0');
    return '0';
  }
  return raw;
}

function snippetName(row: TuxRow, ctx: RowContext): string | null {
  const name = text(row, 'snippet_name');
  const renamed = ctx.snippetRenames.get(text(row, 'id') ?? '');
  if (renamed === undefined) return name;
  ctx.issue('snippet_name', `'${name}' differs only in letter case from an older snippet of the guild; names here are unique ignoring case`, 'resolve', `renamed '${renamed}'`);
  return renamed;
}

function snippetAlias(row: TuxRow, ctx: RowContext): string | null {
  const alias = text(row, 'alias');
  if (alias === null) return null;
  const rewritten = ctx.aliasRewrites.get(`${text(row, 'guild_id')} ${alias}`);
  if (rewritten === undefined) return alias;
  ctx.issue('alias', `points at '${alias}', which is renamed`, 'resolve', `points at '${rewritten}'`);
  return rewritten;
}

// A permanent AFK has no end here (afk_permanent_without_until); Tux's schema lets one keep an end.
function afkUntil(row: TuxRow, ctx: RowContext): string | null {
  const until = text(row, 'until');
  if (until === null || text(row, 'perm_afk') !== 'true') return until;
  ctx.issue('until', `a permanent AFK (perm_afk) has an end (${until})`, 'resolve', 'imported as NULL: a permanent AFK never ends');
  return null;
}

function commandName(row: TuxRow, ctx: RowContext): string | null {
  const name = text(row, 'command_name') ?? '';
  if ([...name].length > 100) {
    ctx.issue('command_name', `command_name is ${[...name].length} characters; this schema allows 100`, 'refuse', 'cutting it would change which command is restricted: shorten or delete it in Tux');
    return null;
  }
  const first = name.trim().split(/\s+/)[0] ?? '';
  if (RESTRICTED_COMMANDS.has(first.toLowerCase())) {
    ctx.issue('command_name', `'${name}' is a restricted command, which this library refuses to put on a rank`, 'skip', 'not imported: it stays restricted to the bot owners');
    return null;
  }
  return name;
}

/** Every Tux table and how it maps, parents before children. */
export const TABLE_SPECS: readonly TableSpec[] = [
  {
    target: 'guild',
    source: 'guild',
    sourceKey: ['id'],
    select: { ...raw('id', 'case_count'), ...times('guild_joined_at', 'created_at', 'updated_at') },
    columns: [col('guild_id', 'bigint'), col('case_count', 'integer'), col('guild_joined_at', 'timestamptz'), col('created_at', 'timestamptz'), col('updated_at', 'timestamptz')],
    conflict: ['guild_id'],
    volatile: ['case_count'],
    convert: (r, ctx) => [
      text(r, 'id'),
      text(r, 'case_count'),
      requiredTimestamp(r, ctx, ['guild_joined_at', 'created_at', 'updated_at']),
      requiredTimestamp(r, ctx, ['created_at', 'updated_at']),
      requiredTimestamp(r, ctx, ['updated_at', 'created_at']),
    ],
  },
  {
    target: 'guild_config',
    source: 'guild_config',
    sourceKey: ['id'],
    select: {
      ...raw('id', 'prefix', 'mod_log_id', 'audit_log_id', 'join_log_id', 'private_log_id', 'report_log_id', 'dev_log_id', 'jail_channel_id', 'jail_role_id', 'onboarding_completed', 'onboarding_stage'),
      ...times('created_at', 'updated_at'),
    },
    columns: [
      col('guild_id', 'bigint'), col('prefix', 'text'), col('mod_log_id', 'bigint'), col('audit_log_id', 'bigint'), col('join_log_id', 'bigint'),
      col('private_log_id', 'bigint'), col('report_log_id', 'bigint'), col('dev_log_id', 'bigint'), col('jail_channel_id', 'bigint'),
      col('jail_role_id', 'bigint'), col('onboarding_completed', 'boolean'), col('onboarding_stage', '"onboarding_stage"'),
      col('created_at', 'timestamptz'), col('updated_at', 'timestamptz'),
    ],
    conflict: ['guild_id'],
    convert: (r, ctx) => [
      ...['id', 'prefix', 'mod_log_id', 'audit_log_id', 'join_log_id', 'private_log_id', 'report_log_id', 'dev_log_id', 'jail_channel_id', 'jail_role_id', 'onboarding_completed', 'onboarding_stage'].map((c) => text(r, c)),
      requiredTimestamp(r, ctx, ['created_at', 'updated_at']),
      requiredTimestamp(r, ctx, ['updated_at', 'created_at']),
    ],
  },
  {
    target: 'cases',
    source: 'cases',
    sourceKey: ['id'],
    select: {
      ...raw('id', 'case_number', 'case_type', 'case_user_id', 'case_moderator_id', 'guild_id', 'case_reason', 'case_status', 'case_processed', 'case_metadata', 'mod_log_message_id'),
      ...times('case_expires_at', 'created_at', 'updated_at'),
      roles_type: 'json_typeof("case_user_roles")',
      roles: `CASE WHEN json_typeof("case_user_roles") = 'array' THEN ARRAY(SELECT e #>> '{}' FROM json_array_elements("case_user_roles") WITH ORDINALITY AS x(e, n) ORDER BY n) END`,
      metadata_type: 'json_typeof("case_metadata")',
    },
    columns: [
      col('case_id', 'bigint'), col('case_number', 'integer'), col('case_type', '"case_type"'), col('case_user_id', 'bigint'), col('case_moderator_id', 'bigint'),
      col('guild_id', 'bigint'), col('case_reason', 'text'), col('case_status', 'boolean'), col('case_processed', 'boolean'), col('case_expires_at', 'timestamptz'),
      col('case_user_roles', 'jsonb'), col('case_metadata', 'jsonb'), col('mod_log_message_id', 'bigint'), col('case_created_at', 'timestamptz'), col('case_updated_at', 'timestamptz'),
    ],
    conflict: ['case_id'],
    arbiter: ['case_id', 'guild_id'],
    identity: 'case_id',
    convert: (r, ctx) => [
      text(r, 'id'), caseNumber(r, ctx), caseType(r, ctx), text(r, 'case_user_id'), text(r, 'case_moderator_id'),
      text(r, 'guild_id'), text(r, 'case_reason'), text(r, 'case_status'), text(r, 'case_processed'), text(r, 'case_expires_at'),
      caseUserRoles(r, ctx), caseMetadata(r, ctx), text(r, 'mod_log_message_id'),
      requiredTimestamp(r, ctx, ['created_at', 'updated_at']), requiredTimestamp(r, ctx, ['updated_at', 'created_at']),
    ],
  },
  {
    target: 'afk',
    source: 'afk',
    sourceKey: ['member_id', 'guild_id'],
    select: { ...raw('member_id', 'guild_id', 'nickname', 'reason', 'enforced', 'perm_afk'), ...times('since', 'until') },
    columns: [col('user_id', 'bigint'), col('guild_id', 'bigint'), col('nickname', 'text'), col('afk_message', 'text'), col('since', 'timestamptz'), col('until', 'timestamptz'), col('enforced', 'boolean'), col('perm_afk', 'boolean')],
    conflict: ['user_id', 'guild_id'],
    convert: (r, ctx) => [...['member_id', 'guild_id', 'nickname', 'reason', 'since'].map((c) => text(r, c)), afkUntil(r, ctx), text(r, 'enforced'), text(r, 'perm_afk')],
  },
  {
    target: 'levels',
    source: 'levels',
    sourceKey: ['member_id', 'guild_id'],
    select: { ...raw('member_id', 'guild_id', 'xp', 'level', 'blacklisted'), ...times('last_message') },
    columns: [col('user_id', 'bigint'), col('guild_id', 'bigint'), col('xp', 'double precision'), col('level', 'integer'), col('blacklisted', 'boolean'), col('last_message', 'timestamptz')],
    conflict: ['user_id', 'guild_id'],
    convert: (r, ctx) => [text(r, 'member_id'), text(r, 'guild_id'), xpValue(r, ctx), text(r, 'level'), text(r, 'blacklisted'), text(r, 'last_message')],
  },
  {
    target: 'snippet',
    source: 'snippet',
    sourceKey: ['id'],
    select: { ...raw('id', 'snippet_name', 'snippet_content', 'snippet_user_id', 'guild_id', 'uses', 'locked', 'alias'), ...times('created_at', 'updated_at') },
    columns: [
      col('snippet_id', 'bigint'), col('snippet_name', 'text'), col('snippet_content', 'text'), col('snippet_user_id', 'bigint'), col('guild_id', 'bigint'),
      col('uses', 'integer'), col('locked', 'boolean'), col('alias', 'text'), col('created_at', 'timestamptz'), col('updated_at', 'timestamptz'),
    ],
    conflict: ['snippet_id'],
    arbiter: ['snippet_id', 'guild_id'],
    identity: 'snippet_id',
    convert: (r, ctx) => [
      text(r, 'id'), snippetName(r, ctx), text(r, 'snippet_content'), text(r, 'snippet_user_id'), text(r, 'guild_id'),
      text(r, 'uses'), text(r, 'locked'), snippetAlias(r, ctx),
      requiredTimestamp(r, ctx, ['created_at', 'updated_at']), requiredTimestamp(r, ctx, ['updated_at', 'created_at']),
    ],
  },
  {
    target: 'starboard',
    source: 'starboard',
    sourceKey: ['id'],
    select: raw('id', 'starboard_channel_id', 'starboard_emoji', 'starboard_threshold'),
    columns: [col('guild_id', 'bigint'), col('starboard_channel_id', 'bigint'), col('starboard_emoji', 'text'), col('starboard_threshold', 'integer')],
    conflict: ['guild_id'],
    convert: (r) => ['id', 'starboard_channel_id', 'starboard_emoji', 'starboard_threshold'].map((c) => text(r, c)),
  },
  {
    target: 'starboard_message',
    source: 'starboard_message',
    sourceKey: ['id'],
    select: { ...raw('id', 'message_guild_id', 'message_channel_id', 'message_user_id', 'message_content', 'star_count', 'starboard_message_id'), ...times('message_expires_at') },
    columns: [
      col('message_id', 'bigint'), col('guild_id', 'bigint'), col('message_channel_id', 'bigint'), col('message_user_id', 'bigint'),
      col('message_content', 'text'), col('message_expires_at', 'timestamptz'), col('star_count', 'integer'), col('starboard_message_id', 'bigint'),
    ],
    conflict: ['message_id'],
    arbiter: ['message_id', 'guild_id'],
    convert: (r) => ['id', 'message_guild_id', 'message_channel_id', 'message_user_id', 'message_content', 'message_expires_at', 'star_count', 'starboard_message_id'].map((c) => text(r, c)),
  },
  {
    target: 'reminder',
    source: 'reminder',
    sourceKey: ['id'],
    select: { ...raw('id', 'reminder_content', 'reminder_channel_id', 'reminder_user_id', 'reminder_sent', 'guild_id'), ...times('reminder_expires_at') },
    columns: [
      col('reminder_id', 'bigint'), col('reminder_content', 'text'), col('reminder_expires_at', 'timestamptz'), col('reminder_channel_id', 'bigint'),
      col('reminder_user_id', 'bigint'), col('reminder_sent', 'boolean'), col('guild_id', 'bigint'),
    ],
    conflict: ['reminder_id'],
    arbiter: ['reminder_id', 'guild_id'],
    identity: 'reminder_id',
    convert: (r) => ['id', 'reminder_content', 'reminder_expires_at', 'reminder_channel_id', 'reminder_user_id', 'reminder_sent', 'guild_id'].map((c) => text(r, c)),
  },
  {
    target: 'permission_ranks',
    source: 'permission_ranks',
    sourceKey: ['id'],
    select: { ...raw('id', 'guild_id', 'rank', 'name', 'description'), ...times('created_at', 'updated_at') },
    columns: [col('permission_rank_id', 'bigint'), col('guild_id', 'bigint'), col('rank', 'integer'), col('name', 'text'), col('description', 'text'), col('created_at', 'timestamptz'), col('updated_at', 'timestamptz')],
    conflict: ['permission_rank_id'],
    arbiter: ['permission_rank_id', 'guild_id'],
    identity: 'permission_rank_id',
    convert: (r, ctx) => [
      ...['id', 'guild_id', 'rank', 'name', 'description'].map((c) => text(r, c)),
      requiredTimestamp(r, ctx, ['created_at', 'updated_at']), requiredTimestamp(r, ctx, ['updated_at', 'created_at']),
    ],
  },
  {
    target: 'permission_assignments',
    source: 'permission_assignments',
    sourceKey: ['id'],
    select: raw('id', 'guild_id', 'permission_rank_id', 'role_id'),
    columns: [col('assignment_id', 'bigint'), col('guild_id', 'bigint'), col('permission_rank_id', 'bigint'), col('role_id', 'bigint')],
    conflict: ['assignment_id'],
    arbiter: ['assignment_id', 'guild_id'],
    identity: 'assignment_id',
    convert: (r) => ['id', 'guild_id', 'permission_rank_id', 'role_id'].map((c) => text(r, c)),
  },
  {
    target: 'permission_commands',
    source: 'permission_commands',
    sourceKey: ['id'],
    select: { ...raw('id', 'guild_id', 'command_name', 'required_rank', 'description'), ...times('created_at', 'updated_at') },
    columns: [col('command_id', 'bigint'), col('guild_id', 'bigint'), col('command_name', 'text'), col('required_rank', 'integer'), col('created_at', 'timestamptz'), col('updated_at', 'timestamptz')],
    conflict: ['command_id'],
    arbiter: ['command_id', 'guild_id'],
    identity: 'command_id',
    convert: (r, ctx) => {
      const name = commandName(r, ctx);
      if (name === null) return null;
      if (text(r, 'description') !== null) {
        ctx.issue('description', 'this schema has no description for a command requirement', 'resolve', 'description dropped');
      }
      return [text(r, 'id'), text(r, 'guild_id'), name, text(r, 'required_rank'), requiredTimestamp(r, ctx, ['created_at', 'updated_at']), requiredTimestamp(r, ctx, ['updated_at', 'created_at'])];
    },
  },
];
