import { Client } from 'pg';
import { TUX_IMPORT_TABLES } from '../../src/import/tux-import-report';
import { fillTux, TUX_DDL } from '../import/tux-source-data';
import { createScratchDatabase } from './test-server';

// What the importTux spec and the `tux-db import-tux` spec share: a Tux source database, and what "the target
// is unchanged" compares.

/** The identity column of each target table that has one (importTux moves each past the largest imported id). */
export const TUX_TARGET_IDENTITIES: Readonly<Record<string, string>> = {
  cases: 'case_id',
  snippet: 'snippet_id',
  reminder: 'reminder_id',
  permission_ranks: 'permission_rank_id',
  permission_assignments: 'assignment_id',
  permission_commands: 'command_id',
};

/** A connected client on `url` (the caller ends it). */
export async function connectTo(url: string): Promise<Client> {
  const c = new Client({ connectionString: url });
  await c.connect();
  return c;
}

/** A scratch database holding Tux's schema (test/fixtures/tux-schema.sql) filled by fillTux; returns its URL. */
export async function createTuxSource(suffix: string): Promise<string> {
  const url = await createScratchDatabase(suffix);
  const c = await connectTo(url);
  try {
    await c.query(TUX_DDL);
    await fillTux(c);
  } finally {
    await c.end();
  }
  return url;
}

/** Every row of every table importTux writes and each identity's last value: what "the target is unchanged" compares. */
export async function targetSnapshot(c: Client): Promise<string> {
  const parts: string[] = [];
  for (const t of TUX_IMPORT_TABLES) {
    const r = await c.query<{ j: string | null }>(`SELECT json_agg(t ORDER BY t)::text AS j FROM (SELECT * FROM "${t}") t`);
    parts.push(`${t}: ${r.rows[0]?.j ?? '[]'}`);
  }
  for (const [t, col] of Object.entries(TUX_TARGET_IDENTITIES)) {
    const r = await c.query<{ v: string | null }>(`SELECT pg_sequence_last_value(pg_get_serial_sequence('"${t}"', '${col}')::regclass)::text AS v`);
    parts.push(`${t}.${col}: ${r.rows[0]?.v ?? 'unused'}`);
  }
  return parts.join('\n');
}
