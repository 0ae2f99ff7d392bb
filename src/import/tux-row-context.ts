import type { CaseType } from '../entities/enums';
import type { TuxIssueAction } from './tux-import-report';

/** A Tux row as read: every column as text (arrays of text for JSON arrays), so no digit or microsecond is lost. */
export type TuxRow = Readonly<Record<string, string | ReadonlyArray<string | null> | null>>;

/** What a row converter may use and report through. */
export interface RowContext {
  /** When the import runs (ISO, UTC): the last resort for a NULL timestamp this schema requires. */
  readonly importedAt: string;
  /** Chosen type for cases whose case_type is NULL; undefined refuses them. */
  readonly nullCaseType: CaseType | undefined;
  /** snippet id → its new name (names that clash in letter case with an older snippet of the guild). */
  readonly snippetRenames: ReadonlyMap<string, string>;
  /** `${guildId} ${oldName}` → new name, for aliases that point at a renamed snippet. */
  readonly aliasRewrites: ReadonlyMap<string, string>;
  /** case id → the number given to a case whose case_number is NULL. */
  readonly caseNumbers: ReadonlyMap<string, string>;
  /** Records an issue of the row being converted. */
  issue(column: string, problem: string, action: TuxIssueAction, resolution: string): void;
}

/** A text column's value (null stays null). */
export function text(row: TuxRow, column: string): string | null {
  const v = row[column];
  if (v === undefined) throw new Error(`import-tux: column ${column} was not selected`);
  if (v !== null && typeof v !== 'string') throw new Error(`import-tux: column ${column} is not text`);
  return v;
}

/** A NOT NULL timestamp: the first non-null of `columns`, else the import time, reporting the substitution. */
export function requiredTimestamp(row: TuxRow, ctx: RowContext, columns: readonly string[]): string {
  const [own, ...fallbacks] = columns as [string, ...string[]];
  const value = text(row, own);
  if (value !== null) return value;
  for (const f of fallbacks) {
    const v = text(row, f);
    if (v !== null) {
      ctx.issue(own, `${own} is NULL; this schema requires a timestamp`, 'resolve', `set to ${f} (${v})`);
      return v;
    }
  }
  ctx.issue(own, `${own} is NULL; this schema requires a timestamp`, 'resolve', `set to the import time (${ctx.importedAt})`);
  return ctx.importedAt;
}

/** SQL that renders a naive-UTC TIMESTAMP column as ISO text with Z (so the target reads it as UTC). */
export function utcText(column: string): string {
  const c = `"${column}"`;
  // to_char's YYYY drops the era: a date before year 1 gets its ' BC' back, or it would come in as the same year AD.
  return `CASE WHEN ${c} IS NULL THEN NULL WHEN isfinite(${c}) THEN to_char(${c}, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || CASE WHEN ${c} < '0001-01-01' THEN ' BC' ELSE '' END ELSE ${c}::text END`;
}
