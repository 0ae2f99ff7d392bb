import { quoteIdent } from '../query/build-table-model';
import type { ColumnModel } from '../query/table-model';
import type { PreparedValues } from './prepare-values';

/** Rows of a bulk insert that write the same fields in the same order. */
export interface RowGroup {
  readonly columns: ReadonlyArray<ColumnModel>;
  /** Where the group's rows are in the input, in input order. */
  readonly positions: number[];
}

/** An extra array a bulk insert's SELECT reads beside the columns' values (such as each row's position). */
export interface ExtraArray {
  readonly alias: string;
  readonly arrayType: string;
  readonly values: unknown[];
}

/**
 * Splits validated rows by the fields they write. Each group becomes one `INSERT … SELECT … FROM unnest(…)`:
 * an array cannot say DEFAULT for one of its rows, so a row that leaves a defaulted field out cannot share an
 * INSERT with rows that set it. Rows written from one object literal all land in one group.
 */
export function groupByColumns(rows: ReadonlyArray<PreparedValues>): RowGroup[] {
  const groups = new Map<string, RowGroup>();
  let last: RowGroup | undefined;
  rows.forEach((row, position) => {
    // Most rows write what the row before them wrote: checked without building the key.
    if (last && sameColumns(last.columns, row.columns)) {
      last.positions.push(position);
      return;
    }
    const key = row.columns.map((c) => c.property).join(',');
    last = groups.get(key);
    if (last) last.positions.push(position);
    else groups.set(key, (last = { columns: row.columns, positions: [position] }));
  });
  return [...groups.values()];
}

function sameColumns(a: ReadonlyArray<ColumnModel>, b: ReadonlyArray<ColumnModel>): boolean {
  return a.length === b.length && a.every((column, i) => column === b[i]);
}

/**
 * `unnest($3::bigint[], $4::text[]) AS "t"("guildId", "reminderContent")`: the group's values bound as one
 * array per column (pushed onto `params`), so the SQL text is the same for any number of rows and no row count
 * can reach PostgreSQL's parameter limit. `extra` arrays come first, under their own aliases.
 */
export function unnestSource(group: RowGroup, rows: ReadonlyArray<PreparedValues>, params: unknown[], extra: ReadonlyArray<ExtraArray> = []): string {
  const arrays = extra.map((e) => `$${params.push(e.values)}::${e.arrayType}`);
  group.columns.forEach((column, k) => {
    arrays.push(`$${params.push(group.positions.map((p) => rows[p]?.params[k]))}::${column.arrayType}`);
  });
  const aliases = [...extra.map((e) => quoteIdent(e.alias)), ...group.columns.map((c) => quoteIdent(c.property))];
  return `unnest(${arrays.join(', ')}) AS "t"(${aliases.join(', ')})`;
}

/** `"t"."guildId", "t"."reminderContent"`: the group's columns as unnestSource names them. */
export function unnestColumns(group: RowGroup): string {
  return group.columns.map((c) => `"t".${quoteIdent(c.property)}`).join(', ');
}
