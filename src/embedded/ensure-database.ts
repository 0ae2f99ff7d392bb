import { Client } from 'pg';

/**
 * Creates database `name` on the server at `serverUrl` unless it already exists; safe to call concurrently.
 * @throws the pg error when the server cannot be reached or refuses
 */
export async function ensureDatabase(serverUrl: string, name: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (existing.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } catch (e: unknown) {
    if (!isAlreadyCreated(e)) throw e;
  } finally {
    await client.end();
  }
}

// Two concurrent creators: the loser gets 42P04 duplicate_database, or 23505 from pg_database's unique index.
function isAlreadyCreated(e: unknown): boolean {
  return typeof e === 'object' && e !== null && 'code' in e && (e.code === '42P04' || e.code === '23505');
}
