import { TUX_IMPORT_TABLES, type TuxImportIssue, type TuxImportReport } from '../import/tux-import-report';

// What `tux-db import-tux` prints, kept pure so the wording is testable without a server. Only the report's
// file comes from src/import (it imports nothing), so loading this costs no pg or TypeORM.

/** What `tux-db import-tux` prints for a report: lines for stdout, and the one line for stderr when it must exit 1. */
export interface ImportLines {
  readonly lines: ReadonlyArray<string>;
  /** Why the exit code is not 0: a dry run found rows the import would refuse (null otherwise). */
  readonly problem: string | null;
}

/** Lines of left-aligned columns, numbers right-aligned (every column but the first). */
function columns(rows: ReadonlyArray<ReadonlyArray<string>>): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  '));
}

/**
 * One issue on one line: what the import does, the Tux row, the column, the problem and its resolution.
 * @example
 * issueLine({ table: 'cases', key: { id: '16' }, column: 'case_type', problem: 'case_type is NULL', action: 'refuse', resolution: 'set it in Tux' });
 * // '  refuse   cases {"id":"16"} case_type: case_type is NULL → set it in Tux'
 */
export function issueLine(issue: TuxImportIssue): string {
  return `  ${issue.action.padEnd(7)}  ${issue.table} ${JSON.stringify(issue.key)} ${issue.column}: ${issue.problem} → ${issue.resolution}`;
}

/** The CLI's name for an option a refused row's resolution names (the library's `{ nullCaseType }`). */
function cliHints(issues: ReadonlyArray<TuxImportIssue>): string[] {
  return issues.some((i) => i.action === 'refuse' && i.table === 'cases' && i.column === 'case_type')
    ? ['The CLI passes nullCaseType as --null-case-type TYPE (for example --null-case-type WARN).']
    : [];
}

/**
 * What `tux-db import-tux` prints after importTux returned: counts per table, what moved, every issue with its
 * resolution, and for a dry run that nothing was written (exit 1 when it found rows the import would refuse).
 */
export function importLines(report: TuxImportReport): ImportLines {
  const total = TUX_IMPORT_TABLES.reduce((sum, t) => sum + report.tables[t].inserted, 0);
  const identities = Object.entries(report.identities);
  const refused = report.issues.filter((i) => i.action === 'refuse');
  const lines = [
    `Tux schema: Alembic revision ${report.alembicRevision ?? 'unknown (no alembic_version table)'}`,
    ...columns([
      ['table', 'in Tux', report.dryRun ? 'to insert' : 'inserted', 'already present', 'skipped', 'refused'],
      ...TUX_IMPORT_TABLES.map((t) => {
        const c = report.tables[t];
        return [t, String(c.source), String(c.inserted), String(c.alreadyPresent), String(c.skipped), String(c.refused)];
      }),
    ]),
    `${total} row(s) ${report.dryRun ? 'to insert' : 'inserted'}; case_count ${report.dryRun ? 'to raise' : 'raised'} in ${report.caseCountsRaised} guild(s)`,
    identities.length === 0
      ? 'identities: none to move'
      : `identities ${report.dryRun ? 'to move' : 'moved'} past the largest imported id: ${identities.map(([col, v]) => `${col} → ${v}`).join(', ')}`,
    report.issues.length === 0
      ? 'No Tux value breaks a rule of this schema.'
      : `${report.issues.length} Tux value(s) break a rule of this schema (action, Tux table {key} column: problem → resolution):`,
    ...report.issues.map(issueLine),
    ...(report.dryRun ? ['Dry run: nothing was written (the transaction was rolled back and no sequence moved).', ...cliHints(refused)] : []),
  ];
  const problem =
    report.dryRun && refused.length > 0
      ? `the import would be refused: ${refused.length} value(s) have no safe resolution (marked refuse above); fix them in the Tux database and run it again`
      : null;
  return { lines, problem };
}

/** What `tux-db import-tux` prints on stderr when importTux refused rows (a TuxImportError with issues): nothing was written. */
export function refusalLines(issues: ReadonlyArray<TuxImportIssue>): string[] {
  return [
    `tux-db: import-tux refused ${issues.length} Tux value(s) that this schema forbids and that have no safe resolution; nothing was written. ` +
      'Fix them in the Tux database (or pass the option named) and run it again:',
    ...issues.map(issueLine),
    ...cliHints(issues),
  ];
}
