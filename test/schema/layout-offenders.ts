import type { Client } from 'pg';

/** The table TypeORM records applied migrations in: not part of the schema being distributed. */
const MIGRATIONS_TABLE = 'migrations';

/** What breaks the layout distribution by guild needs, one line per offender (see layoutOffenders). */
export interface LayoutOffenders {
  /** The tables walked: every table of the public schema but the migrations table. */
  readonly tables: ReadonlyArray<string>;
  /** Tables without guild_id, and primary keys, unique constraints and unique indexes that do not hold it. */
  readonly keys: ReadonlyArray<string>;
  /** Foreign keys between these tables that do not pair guild_id with guild_id. */
  readonly foreignKeys: ReadonlyArray<string>;
}

/**
 * Walks pg_catalog for what a database distributed by guild_id (Citus, co-located tables) cannot have: `guild` keyed
 * by anything but (guild_id); another table without a guild_id column, or with a primary key, UNIQUE or exclusion
 * constraint or unique index that leaves it out; a foreign key between two of the tables whose guild_id does not
 * reference guild_id.
 */
export async function layoutOffenders(client: Client): Promise<LayoutOffenders> {
  const tables = await client.query<{ table: string; columns: string[] }>(
    `SELECT c.relname AS table, array_agg(a.attname::text ORDER BY a.attnum) AS columns
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> $1
      GROUP BY c.relname ORDER BY c.relname`,
    [MIGRATIONS_TABLE],
  );
  const keys = await client.query<{ table: string; name: string; kind: string; columns: string[]; definition: string }>(
    // Every unique index (a primary key's and a UNIQUE constraint's included), and any key constraint without one.
    `SELECT t.relname AS table, i.relname AS name, CASE WHEN x.indisprimary THEN 'primary key' ELSE 'unique index' END AS kind,
            ARRAY(SELECT a.attname::text FROM unnest(x.indkey) WITH ORDINALITY AS k(attnum, n) JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.n) AS columns,
            pg_get_indexdef(x.indexrelid) AS definition
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = 'public' AND t.relname <> $1 AND x.indisunique
     UNION ALL
     SELECT t.relname, c.conname, 'constraint ' || c.contype::text,
            ARRAY(SELECT a.attname::text FROM unnest(c.conkey) AS k(attnum) JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum),
            pg_get_constraintdef(c.oid)
       FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = 'public' AND t.relname <> $1 AND c.contype IN ('p', 'u', 'x') AND c.conindid = 0
      ORDER BY 1, 2`,
    [MIGRATIONS_TABLE],
  );
  const foreignKeys = await client.query<{ table: string; name: string; target: string; columns: string[]; referenced: string[] }>(
    `SELECT t.relname AS table, c.conname AS name, r.relname AS target,
            ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, n) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.n) AS columns,
            ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, n) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.n) AS referenced
       FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class r ON r.oid = c.confrelid JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = 'public' AND c.contype = 'f' ORDER BY 1, 2`,
  );

  const names = new Set(tables.rows.map((t) => t.table));
  const keyOffenders: string[] = [];
  for (const { table, columns } of tables.rows) {
    if (!columns.includes('guild_id')) keyOffenders.push(`${table} has no guild_id column`);
    const own = keys.rows.filter((k) => k.table === table);
    if (!own.some((k) => k.kind === 'primary key')) keyOffenders.push(`${table} has no primary key`);
    for (const key of own) {
      if (table === 'guild' && key.kind === 'primary key' && key.columns.join(',') !== 'guild_id') {
        keyOffenders.push(`guild: primary key ${key.name} is (${key.columns.join(', ')}), not (guild_id)`);
      } else if (!key.columns.includes('guild_id')) {
        keyOffenders.push(`${table}: ${key.kind} ${key.name} leaves out guild_id: ${key.definition}`);
      }
    }
  }
  const foreignKeyOffenders = foreignKeys.rows
    .filter((f) => names.has(f.table) && names.has(f.target))
    .filter((f) => f.columns.indexOf('guild_id') < 0 || f.referenced[f.columns.indexOf('guild_id')] !== 'guild_id')
    .map((f) => `${f.table}: foreign key ${f.name} (${f.columns.join(', ')}) → ${f.target} (${f.referenced.join(', ')})`);
  return { tables: [...names], keys: keyOffenders, foreignKeys: foreignKeyOffenders };
}
