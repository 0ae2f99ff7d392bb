import { quoteIdent } from './build-table-model';
import { compile, join, raw, sql, type SqlFragment, type Statement } from './sql';
import type { ColumnModel, TableModel } from './table-model';
import type { ColumnValues } from './write-statements';

/** One row of a bulk update: its key's bound values (in idKeys order) and what it sets. */
export interface BulkUpdateRow {
  readonly key: ReadonlyArray<unknown>;
  readonly set: ColumnValues;
}

/**
 * bulkUpdate: many rows, each with its own values, in one `UPDATE … FROM unnest(…)` statement. Every key column and
 * every column any row sets is bound as one array; a column a row leaves out has a false flag in that row and keeps
 * its value (`CASE WHEN flag THEN new ELSE old END`), so rows setting different fields share the statement. The
 * `updated_at` column, if any, is bumped. The text depends only on the set of columns, never on the row count.
 * `rows` must not be empty, and no two rows may share a key (the caller checks).
 *
 * ```ts
 * bulkUpdateStatement(caseModel, [{ key: ['7'], set: { columns: [caseReason], params: ['spam'] } }]);
 * // UPDATE "cases" AS "u" SET "case_reason" = CASE WHEN "t"."s_caseReason" THEN "t"."v_caseReason" ELSE "u"."case_reason" END,
 * //   "case_updated_at" = now() FROM unnest($1::bigint[], $2::boolean[], $3::text[]) AS "t"("k_caseId", "s_caseReason", "v_caseReason")
 * //   WHERE "u"."case_id" = "t"."k_caseId"        values [['7'], [true], ['spam']]
 * ```
 */
export function bulkUpdateStatement(model: TableModel, rows: ReadonlyArray<BulkUpdateRow>): Statement {
  // In the model's column order, so the same fields always make the same text.
  const setColumns = [...model.columns.values()].filter((c) => rows.some((r) => r.set.columns.includes(c)));
  const arrays: SqlFragment[] = [];
  const aliases: string[] = [];
  model.idKeys.forEach((key, k) => {
    arrays.push(sql`${rows.map((r) => r.key[k])}::${raw(key.arrayType)}`);
    aliases.push(quoteIdent(`k_${key.property}`));
  });
  for (const column of setColumns) {
    const values = rows.map((r) => {
      const i = r.set.columns.indexOf(column);
      return i < 0 ? null : r.set.params[i];
    });
    arrays.push(sql`${rows.map((r) => r.set.columns.includes(column))}::boolean[]`, sql`${values}::${raw(column.arrayType)}`);
    aliases.push(quoteIdent(`s_${column.property}`), quoteIdent(`v_${column.property}`));
  }
  const assignments = setColumns.map((c) => assignment(c));
  if (model.updatedAtColumn) assignments.push(`${model.updatedAtColumn} = now()`);
  const match = model.idKeys.map((key) => `"u".${key.quoted} = "t".${quoteIdent(`k_${key.property}`)}`).join(' AND ');
  return compile(
    sql`UPDATE ${raw(model.table)} AS "u" SET ${raw(assignments.join(', '))} FROM unnest(${join(arrays)}) AS "t"(${raw(aliases.join(', '))}) WHERE ${raw(match)}`,
    // Rows by key, possibly of several guilds: no one guild is declared.
    { reads: [], writes: [model.name] },
  );
}

function assignment(column: ColumnModel): string {
  const flag = `"t".${quoteIdent(`s_${column.property}`)}`;
  const value = `"t".${quoteIdent(`v_${column.property}`)}`;
  return `${column.quoted} = CASE WHEN ${flag} THEN ${value} ELSE "u".${column.quoted} END`;
}
