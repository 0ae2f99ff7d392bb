import type { DataSource } from 'typeorm';
import { convertError } from '../errors/convert-error';

/** One table of the current schema, its rows and its size on disk. */
export interface TableStats {
  readonly name: string;
  /** The row count: exact when counted, else the planner's estimate (null: never analyzed, so unknown). */
  readonly rows: number | null;
  /** Whether `rows` was counted (`SELECT count(*)`) rather than estimated (`pg_class.reltuples`). */
  readonly exact: boolean;
  /** Table, indexes and TOAST together (`pg_total_relation_size`), in bytes. */
  readonly totalBytes: number;
  /** The table's own heap (`pg_relation_size`), in bytes. */
  readonly tableBytes: number;
  /** Its indexes (`pg_indexes_size`), in bytes. */
  readonly indexBytes: number;
}

/** How `tableStats` counts. */
export interface TableStatsOptions {
  /** Count every table's rows exactly (a full scan of each) instead of reading the planner's estimate (default false). */
  readonly exact?: boolean;
}

interface TableRow {
  readonly name: string;
  readonly estimate: number;
  readonly counted: string | number | null;
  readonly total_bytes: number;
  readonly table_bytes: number;
  readonly index_bytes: number;
}

// The exact count runs `SELECT count(*)` per table inside one statement (query_to_xml), with the identifiers
// quoted by the server's format('%I'); nothing of it comes from input.
const TABLE_STATS_SQL = `SELECT c.relname AS name, c.reltuples::float8 AS estimate,
  CASE WHEN $1::boolean THEN (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I.%I', n.nspname, c.relname), false, true, '')))[1]::text::bigint END AS counted,
  pg_total_relation_size(c.oid)::float8 AS total_bytes, pg_relation_size(c.oid)::float8 AS table_bytes, pg_indexes_size(c.oid)::float8 AS index_bytes
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition
ORDER BY c.relname`;

/**
 * Every table of the current schema (usually public), by name, with its row count and size.
 * @throws DatabaseError (converted) when the catalog cannot be read.
 * @example
 * for (const t of await tableStats(service.dataSource, { exact: true })) console.log(t.name, t.rows, t.totalBytes);
 */
export async function tableStats(dataSource: DataSource, options: TableStatsOptions = {}): Promise<ReadonlyArray<TableStats>> {
  const exact = options.exact === true;
  let rows: TableRow[];
  try {
    rows = await dataSource.query(TABLE_STATS_SQL, [exact]);
  } catch (e) {
    throw convertError(e);
  }
  return rows.map((r) => ({
    name: r.name,
    // reltuples is -1 for a table never vacuumed or analyzed (PostgreSQL 14+): unknown, not empty.
    rows: exact ? Number(r.counted) : r.estimate < 0 ? null : Math.round(r.estimate),
    exact,
    totalBytes: Number(r.total_bytes),
    tableBytes: Number(r.table_bytes),
    indexBytes: Number(r.index_bytes),
  }));
}
