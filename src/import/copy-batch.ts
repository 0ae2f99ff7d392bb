import type { QueryRunner } from 'typeorm';
import type { TableSpec } from './tux-tables';

/** Rows per INSERT: each column is one text[] parameter, so the statement has as many parameters as columns. */
export const COPY_BATCH_ROWS = 2000;

// The library bumps these on every write (a case bumps its guild's), so a re-run after use does not compare them.
const BOOKKEEPING: ReadonlySet<string> = new Set(['updated_at', 'case_updated_at']);

/** What one batch did: rows inserted, and the keys whose target row already existed with other values. */
export interface CopyBatchResult {
  readonly inserted: number;
  /** Target keys (conflict columns, comma-joined) already holding a different row. */
  readonly differing: readonly string[];
}

/**
 * The statement that inserts rows into `spec.target` from one text[] parameter per column (unnest), casting each
 * to its column type. A row whose key (`spec.conflict`: an id, in any guild) is already there is left alone (a re-run
 * inserts nothing), and comes back in `differing` when the row there is not the one being imported. The outer SELECT reads the table as it was
 * before the statement, so it sees exactly the rows the INSERT collided with.
 */
export function copyStatement(spec: TableSpec): string {
  const q = (n: string): string => `"${n}"`;
  const names = spec.columns.map((c) => q(c.name)).join(', ');
  const casts = spec.columns.map((c, i) => `u.c${i}::${c.type} AS ${q(c.name)}`).join(', ');
  const arrays = spec.columns.map((_, i) => `$${i + 1}::text[]`).join(', ');
  const aliases = spec.columns.map((_, i) => `c${i}`).join(', ');
  const overriding = spec.identity ? ' OVERRIDING SYSTEM VALUE' : '';
  // A timestamp the import filled in with its own clock (for a NULL in Tux) differs on every run by design.
  const clock = `$${spec.columns.length + 1}::timestamptz`;
  const same = spec.columns
    .filter((c) => !(spec.volatile ?? []).includes(c.name) && !BOOKKEEPING.has(c.name))
    // coalesce: where Tux has NULL, `r.x = clock` is NULL, which would make the whole test NULL and hide the difference.
    .map((c) => `(t.${q(c.name)} IS NOT DISTINCT FROM r.${q(c.name)}${c.type === 'timestamptz' ? ` OR coalesce(r.${q(c.name)} = ${clock}, false)` : ''})`)
    .join(' AND ');
  const join = spec.conflict.map((k) => `t.${q(k)} = r.${q(k)}`).join(' AND ');
  // With a wider arbiter, ON CONFLICT alone would let a row in whose id another guild's row holds.
  const absent = spec.arbiter === undefined ? '' : `WHERE NOT EXISTS (SELECT 1 FROM ${q(spec.target)} t WHERE ${join}) `;
  return (
    `WITH r AS (SELECT ${casts} FROM unnest(${arrays}) AS u(${aliases})), ` +
    `ins AS (INSERT INTO ${q(spec.target)} (${names})${overriding} SELECT * FROM r ${absent}` +
    `ON CONFLICT (${(spec.arbiter ?? spec.conflict).map(q).join(', ')}) DO NOTHING RETURNING 1) ` +
    `SELECT (SELECT count(*) FROM ins)::integer AS inserted, ARRAY(SELECT concat_ws(',', ${spec.conflict.map((k) => `r.${q(k)}::text`).join(', ')}) ` +
    `FROM r JOIN ${q(spec.target)} t ON ${join} ` +
    `WHERE ${clock} IS NOT NULL AND NOT (${same})) AS differing`
  );
}

/**
 * Inserts `rows` (values in `spec.columns` order): how many were new, and which keys hold a different row.
 * `importedAt` is the run's clock, used for NULL timestamps (a re-run's clock differs, so those are not compared).
 */
export async function copyBatch(runner: QueryRunner, spec: TableSpec, rows: ReadonlyArray<ReadonlyArray<string | null>>, importedAt: string): Promise<CopyBatchResult> {
  if (rows.length === 0) return { inserted: 0, differing: [] };
  const columns = spec.columns.map((_, i) => rows.map((r) => r[i] ?? null));
  const [result] = (await runner.query(copyStatement(spec), [...columns, importedAt])) as [{ inserted: number; differing: string[] }];
  return { inserted: result.inserted, differing: result.differing };
}
