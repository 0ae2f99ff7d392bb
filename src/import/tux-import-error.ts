import { DatabaseError } from '../errors/database-error';
import type { TuxImportIssue } from './tux-import-report';

/**
 * Thrown by importTux when the import cannot proceed safely: the source is not a Tux database at the expected
 * schema, or some source rows break a rule of this schema that has no safe automatic resolution. Nothing was
 * written when it is thrown (the target transaction was rolled back).
 *
 * @example
 * ```ts
 * try { await importTux('postgres://tux@old-host/tux', db.service); }
 * catch (e) { if (e instanceof TuxImportError) for (const i of e.issues) console.error(i.problem, '→', i.resolution); }
 * ```
 */
export class TuxImportError extends DatabaseError {
  override name = 'TuxImportError';

  constructor(
    message: string,
    /** The rows refused (action 'refuse'); empty when the whole source was refused (e.g. a schema mismatch). */
    readonly issues: ReadonlyArray<TuxImportIssue> = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /**
   * The error for rows with no safe resolution, naming each one and what to do.
   *
   * ```ts
   * const issue = { table: 'cases', key: { case_id: '7' }, column: 'case_type', action: 'refuse', problem: 'case_type is NULL' } as const;
   * const error = TuxImportError.refused([{ ...issue, resolution: 'set it in Tux, or pass { nullCaseType }' }]);
   * error.message.split('\n')[1]; // '  cases {"case_id":"7"} case_type: case_type is NULL (set it in Tux, or pass { nullCaseType })'
   * ```
   */
  static refused(issues: ReadonlyArray<TuxImportIssue>): TuxImportError {
    const lines = issues.slice(0, 20).map((i) => `  ${i.table} ${JSON.stringify(i.key)} ${i.column}: ${i.problem} (${i.resolution})`);
    const more = issues.length > 20 ? `\n  … and ${issues.length - 20} more (see error.issues)` : '';
    return new TuxImportError(
      `import-tux refused ${issues.length} source row(s) that this schema forbids and that have no safe automatic resolution; ` +
        `nothing was written. Fix them in the Tux database (or pass the option named below) and run it again:\n${lines.join('\n')}${more}`,
      issues,
    );
  }
}
