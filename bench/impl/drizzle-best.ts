import { sql } from 'drizzle-orm';
import type { Implementation } from '../implementation';
import type { PoolSettings } from '../pool-settings';
import { openDrizzle } from './drizzle';
import { LIBRARY_SQL, type LibraryStatement } from './library-sql';
import { StatementImplementation } from './statement-implementation';

// Drizzle hands raw SQL's timestamptz columns back as text (its prepared queries override pg's parser for them
// and convert in its column mappers, which raw SQL has none of); these are the rows' timestamp keys.
const TIMESTAMP_KEYS = ['caseExpiresAt', 'caseCreatedAt', 'caseUpdatedAt', 'reminderExpiresAt'] as const;

function withDates(row: Record<string, unknown>): Record<string, unknown> {
  for (const key of TIMESTAMP_KEYS) {
    const value = row[key];
    // What Drizzle's own timestamp column does with the text.
    if (typeof value === 'string') row[key] = new Date(value);
  }
  return row;
}

/**
 * Drizzle's best: the library's statements as Drizzle prepared queries. `db.execute(sql)` is Drizzle's documented
 * raw-SQL call but always unnamed; a named one is what `.prepare(name)` builds, the session's prepareQuery, which
 * this calls with the library's text and one placeholder per parameter, once per statement.
 */
export function createDrizzleBest(url: string, settings: PoolSettings): Implementation {
  const db = openDrizzle(url, settings);
  const prepared = new Map<LibraryStatement, ReturnType<typeof db._.session.prepareQuery>>();
  const prepare = (name: LibraryStatement): ReturnType<typeof db._.session.prepareQuery> => {
    const text = LIBRARY_SQL[name];
    const count = new Set(text.match(/\$\d+/g)).size;
    const params = Array.from({ length: count }, (_, i) => sql.placeholder(`p${i + 1}`));
    const query = db._.session.prepareQuery({ sql: text, params }, undefined, `drizzle_${name}`, false);
    prepared.set(name, query);
    return query;
  };
  return new StatementImplementation(
    'Drizzle best effort',
    async (name, _text, values) => {
      const query = prepared.get(name) ?? prepare(name);
      const placeholders = Object.fromEntries(values.map((v, i) => [`p${i + 1}`, v]));
      const result = (await query.execute(placeholders)) as { rows: Record<string, unknown>[]; rowCount: number | null };
      return { rows: result.rows.map(withDates), rowCount: result.rowCount ?? 0 };
    },
    () => db.$client.end(),
  );
}
