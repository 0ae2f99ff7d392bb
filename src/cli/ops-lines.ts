import type { TableStats } from '../service/table-stats';
import type { ActiveQuery } from '../service/active-queries';
import type { AppliedMigration, DatabaseVersion } from '../service/migration-history';
import type { SchemaCheck } from '../service/schema-check';

// What the operational commands print, kept pure so the wording is testable without a server. Only types are
// imported from the service files, so loading this costs no TypeORM.

/**
 * `bytes` in the units pg_size_pretty uses (bytes, kB, MB, GB, TB; 1024 each).
 * @example
 * formatBytes(8192); // '8 kB'
 */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 10 * 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Math.round(value)} ${units[unit]}`;
}

/** Lines of left-aligned columns (the last one is not padded). */
function columns(rows: ReadonlyArray<ReadonlyArray<string>>): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd());
}

/**
 * What `tux-db tables` prints: one line per table (rows, total size, table and index size) and a total.
 * @example
 * tableLines([{ name: 'guild', rows: 3, exact: true, totalBytes: 32768, tableBytes: 8192, indexBytes: 16384 }]);
 */
export function tableLines(stats: ReadonlyArray<TableStats>): string[] {
  if (stats.length === 0) return ['No tables in the current schema.'];
  const rowsCell = (t: TableStats): string => (t.rows === null ? '?' : t.exact ? String(t.rows) : `~${t.rows}`);
  const total = stats.reduce((sum, t) => sum + t.totalBytes, 0);
  const exact = stats[0]?.exact === true;
  return [
    ...columns([
      ['table', 'rows', 'total', 'table', 'indexes'],
      ...stats.map((t) => [t.name, rowsCell(t), formatBytes(t.totalBytes), formatBytes(t.tableBytes), formatBytes(t.indexBytes)]),
    ]),
    `${stats.length} table(s), ${formatBytes(total)} in all; rows ${exact ? 'counted exactly' : 'are the planner’s estimates (~; ? = never analyzed): --exact counts them'}`,
  ];
}

/** A statement's text on one line, at most `max` characters. */
function oneLine(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * What `tux-db queries` prints: one line per session (pid, state, duration, who blocks it) and its statement.
 * @example
 * queryLines([], 300_000); // ['No long-running or blocked queries (threshold 300 s).']
 */
export function queryLines(queries: ReadonlyArray<ActiveQuery>, minDurationMs: number): string[] {
  const threshold = `threshold ${minDurationMs / 1000} s`;
  if (queries.length === 0) return [`No long-running or blocked queries (${threshold}).`];
  const lines = [`${queries.length} session(s) running long, blocked or blocking (${threshold}):`];
  for (const q of queries) {
    const facts = [
      `pid ${q.pid}`,
      q.state ?? 'state unknown',
      `${(q.durationMs / 1000).toFixed(1)} s`,
      ...(q.blockedBy.length > 0 ? [`blocked by ${q.blockedBy.join(', ')}`] : []),
      ...(q.blocking ? ['blocking others'] : []),
      ...(q.waitingFor !== null && q.waitingFor.startsWith('Lock') ? [`waiting for ${q.waitingFor}`] : []),
      `${q.user ?? '?'}${q.applicationName ? ` (${q.applicationName})` : ''}`,
    ];
    lines.push(`${facts.join(', ')}`, `    ${oneLine(q.query)}`);
  }
  return lines;
}

/** The date a migration timestamp names, as YYYY-MM-DD (or `-` when it is not a plausible time). */
function dateOf(timestamp: number): string {
  const date = new Date(timestamp);
  return Number.isNaN(date.getTime()) ? '-' : date.toISOString().slice(0, 10);
}

/**
 * What `tux-db history` prints: the applied migrations in the order they were applied, then what is pending.
 * @example
 * historyLines([{ id: 1, timestamp: 1764140000000, name: 'InitialSchema1764140000000', known: true }], []);
 */
export function historyLines(applied: ReadonlyArray<AppliedMigration>, pending: ReadonlyArray<string>): string[] {
  const lines =
    applied.length === 0
      ? ['No migration applied.']
      : columns([
          ['#', 'written', 'migration'],
          ...applied.map((m) => [String(m.id), dateOf(m.timestamp), `${m.name}${m.known ? '' : ' (not in this version of tux-database)'}`]),
        ]);
  lines.push(`${applied.length} applied, ${pending.length} pending${pending.length > 0 ? ` (${pending.join(', ')}): tux-db migrate-push applies them` : ''}`);
  return lines;
}

/**
 * What `tux-db version` prints.
 * @example
 * versionLines('0.1.0', { serverVersion: '18.4', latestMigration: null, appliedCount: 0, knownCount: 2 });
 */
export function versionLines(libraryVersion: string, database: DatabaseVersion): string[] {
  const latest = database.latestMigration;
  return [
    `tux-database ${libraryVersion}`,
    `server: PostgreSQL ${database.serverVersion}`,
    `latest migration: ${latest === null ? 'none' : latest.name} (${database.appliedCount} applied; this version has ${database.knownCount})`,
  ];
}

/** What `tux-db check` prints on stdout, and the one line for stderr when the check fails. */
export interface CheckLines {
  readonly lines: ReadonlyArray<string>;
  /** Why the exit code is not 0 (null when the check passed). */
  readonly problem: string | null;
}

/**
 * Formats a SchemaCheck for the CLI: the drift statements, if any, and why it fails.
 * @example
 * checkLines({ ok: true, pendingMigrations: [], unknownMigrations: [], driftStatements: [] }).problem; // null
 */
export function checkLines(check: SchemaCheck): CheckLines {
  if (check.ok) return { lines: ['No drift: every migration is applied and the tables match the entities.'], problem: null };
  const problems = [
    ...(check.pendingMigrations.length > 0
      ? [`${check.pendingMigrations.length} pending migration(s) (${check.pendingMigrations.join(', ')}): run tux-db migrate-push, then check again`]
      : []),
    ...(check.unknownMigrations.length > 0
      ? [`${check.unknownMigrations.length} applied migration(s) this version does not have (${check.unknownMigrations.join(', ')}): the database is ahead of the code`]
      : []),
    ...(check.driftStatements.length > 0
      ? [`the tables differ from the entities (${check.driftStatements.length} statement(s) to align them, above): write a migration with tux-db migrate-generate NAME`]
      : []),
  ];
  const lines = check.driftStatements.length > 0 ? ['Statements that would make the tables match the entities:', ...check.driftStatements.map((s) => `  ${s};`)] : [];
  return { lines, problem: `check failed: ${problems.join('; ')}` };
}
