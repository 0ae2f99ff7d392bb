import { quoteIdent } from './build-table-model';
import { join, param, raw, sql, type Param, type SqlFragment } from './sql';
import type { ColumnModel } from './table-model';
import type { ColumnValues } from './write-statements';

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

/** A group's rows as a FROM item, and the arrays it binds. */
export interface UnnestSource {
  /** `unnest($3::bigint[], $4::text[]) AS "t"("guildId", "reminderContent")`. */
  readonly from: SqlFragment;
  /** The arrays `from` binds, in its order: the extra arrays, then one per column of the group. */
  readonly arrays: ReadonlyArray<Param>;
}

/**
 * Splits validated rows by the fields they write. Each group becomes one `INSERT … SELECT … FROM unnest(…)`:
 * an array cannot say DEFAULT for one of its rows, so a row that leaves a defaulted field out cannot share an
 * INSERT with rows that set it. Rows written from one object literal all land in one group.
 */
export function groupByColumns(rows: ReadonlyArray<ColumnValues>): RowGroup[] {
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

/** Rows writing the same fields, as one array of values per field (what a bulk insert binds). */
export interface ColumnArrays {
  readonly columns: ReadonlyArray<ColumnModel>;
  /** `arrays[k][i]`: row i's value of `columns[k]`. */
  readonly arrays: ReadonlyArray<unknown[]>;
}

/**
 * The group's rows as one array per column, filled in one pass over the rows (a closure call per value was measurable).
 *
 * ```ts
 * const rows = [{ columns: [caseNumber], params: [1] }, { columns: [caseNumber], params: [2] }];
 * groupArrays(groupByColumns(rows)[0], rows); // { columns: [caseNumber], arrays: [[1, 2]] }
 * ```
 */
export function groupArrays(group: RowGroup, rows: ReadonlyArray<ColumnValues>): ColumnArrays {
  const { columns, positions } = group;
  const arrays = columns.map(() => new Array<unknown>(positions.length));
  for (let i = 0; i < positions.length; i++) {
    const params = (rows[positions[i] as number] as ColumnValues).params;
    for (let k = 0; k < arrays.length; k++) (arrays[k] as unknown[])[i] = params[k];
  }
  return { columns, arrays };
}

/**
 * The rows' values bound as one array per column (each a Param, so a WITH item may name one too, such as the
 * guild ids), read back as rows by `unnest`: the SQL text is the same for any number of rows and no row count can
 * reach PostgreSQL's parameter limit. `extra` arrays come first, under their own aliases.
 *
 * ```ts
 * compile(sql`SELECT * FROM ${unnestSource({ columns: [guildId, reminderContent], arrays: [['7'], ['hi']] }).from}`);
 * // SELECT * FROM unnest($1::bigint[], $2::text[]) AS "t"("guildId", "reminderContent")
 * ```
 */
export function unnestSource(rows: ColumnArrays, extra: ReadonlyArray<ExtraArray> = []): UnnestSource {
  const arrays = [...extra.map((e) => param(e.values)), ...rows.arrays.map((values) => param(values))];
  const types = [...extra.map((e) => e.arrayType), ...rows.columns.map((c) => c.arrayType)];
  const aliases = [...extra.map((e) => quoteIdent(e.alias)), ...rows.columns.map((c) => quoteIdent(c.property))];
  const casts = arrays.map((array, i) => sql`${array}::${raw(types[i] as string)}`);
  return { from: sql`unnest(${join(casts)}) AS "t"(${raw(aliases.join(', '))})`, arrays };
}

/** `"t"."guildId", "t"."reminderContent"`: the columns as unnestSource names them. */
export function unnestColumns(columns: ReadonlyArray<ColumnModel>): SqlFragment {
  return raw(columns.map((c) => `"t".${quoteIdent(c.property)}`).join(', '));
}
