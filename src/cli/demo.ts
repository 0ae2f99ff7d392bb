import { createDatabase } from '../container';

/** `npm start`: migrates (embedded server or DATABASE_URL) and prints health. */
export async function runDemo(print: (line: string) => void): Promise<void> {
  const db = await createDatabase();
  try {
    const health = await db.health();
    print(`Database ${health.status}: PostgreSQL ${health.serverVersion}, ${health.latencyMs} ms round trip, pending migrations: ${health.pendingMigrations?.length ?? '?'}`);
  } finally {
    await db.close();
  }
}
