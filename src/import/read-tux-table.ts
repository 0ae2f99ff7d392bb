import type { Client } from 'pg';
import type { TuxRow } from './tux-row-context';
import type { TableSpec } from './tux-tables';

/** Reads `spec.source` in key order, `batchRows` rows at a time (keyset pagination), every value as text. */
export async function* readTuxTable(source: Client, spec: TableSpec, batchRows: number): AsyncGenerator<TuxRow[]> {
  const select = Object.entries(spec.select).map(([alias, expr]) => `${expr} AS "${alias}"`);
  const keys = spec.sourceKey.map((k) => `"${k}"`);
  const keyAliases = spec.sourceKey.map((k) => `"__key_${k}"`);
  const columns = [...select, ...spec.sourceKey.map((k, i) => `"${k}"::text AS ${keyAliases[i]}`)].join(', ');
  const after = `(${keys.join(', ')}) > (${spec.sourceKey.map((_, i) => `$${i + 1}::bigint`).join(', ')})`;
  let last: string[] | undefined;
  for (;;) {
    const where = last ? `WHERE ${after}` : '';
    const limit = `$${last ? spec.sourceKey.length + 1 : 1}`;
    const result = await source.query<Record<string, string | string[] | null>>(
      `SELECT ${columns} FROM "${spec.source}" ${where} ORDER BY ${keys.join(', ')} LIMIT ${limit}`,
      [...(last ?? []), batchRows],
    );
    if (result.rows.length === 0) return;
    yield result.rows;
    const tail = result.rows[result.rows.length - 1] as Record<string, string | string[] | null>;
    last = spec.sourceKey.map((k) => String(tail[`__key_${k}`]));
    if (result.rows.length < batchRows) return;
  }
}
