import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { startEmbeddedServer, type EmbeddedServer } from '../../src/embedded/embedded-server';
import { withDatabase } from '../../src/service/open-data-source';
import { DatabaseService } from '../../src/service/database-service';

// The suite runs on DATABASE_URL's server when it is set (CI's system PostgreSQL), else on a private
// embedded server. Either way it works in databases it creates and drops itself.
let adminUrl: string | undefined;
let embedded: EmbeddedServer | undefined;
let embeddedDir: string | undefined;
const testDatabase = `tux_test_${process.pid}`;

/** The URL of the migrated database the tests share (each test uses its own guild ids). */
export function testDatabaseUrl(): string {
  if (!adminUrl) throw new Error('The test server is not prepared (test/setup.ts)');
  return withDatabase(adminUrl, testDatabase);
}

/** Which server the suite runs on, for test titles and logs. */
export function testServerKind(): 'embedded' | 'DATABASE_URL' {
  return embedded ? 'embedded' : 'DATABASE_URL';
}

async function admin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  if (!adminUrl) throw new Error('The test server is not prepared (test/setup.ts)');
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database of the test's own and returns its URL. */
export async function createScratchDatabase(suffix: string): Promise<string> {
  const name = `${testDatabase}_${suffix}`;
  await admin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${name}"`);
  });
  return withDatabase(adminUrl as string, name);
}

/** Drops a database made by createScratchDatabase. */
export async function dropScratchDatabase(suffix: string): Promise<void> {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS "${testDatabase}_${suffix}" WITH (FORCE)`));
}

/**
 * Runs `fn` with a superuser connection to the server's maintenance database (roles, databases).
 * Only for statements the test builds from its own constants.
 */
export function asServerAdmin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  return admin(fn);
}

/** Starts the server if needed, creates the suite's database and migrates it. */
export async function prepareTestServer(): Promise<void> {
  if (process.env['DATABASE_URL']) {
    adminUrl = process.env['DATABASE_URL'];
  } else {
    embeddedDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tux-db-test-'));
    embedded = await startEmbeddedServer({ dataDir: embeddedDir });
    adminUrl = embedded.url;
  }
  await admin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${testDatabase}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${testDatabase}"`);
  });
  const service = new DatabaseService({ url: testDatabaseUrl(), migrate: true });
  await service.connect();
  await service.disconnect();
}

/** Drops the suite's database and stops the embedded server. */
export async function releaseTestServer(): Promise<void> {
  if (!adminUrl) return;
  await admin((c) => c.query(`DROP DATABASE IF EXISTS "${testDatabase}" WITH (FORCE)`));
  await embedded?.stop();
  if (embeddedDir) await fs.rm(embeddedDir, { recursive: true, force: true });
  adminUrl = undefined;
}
