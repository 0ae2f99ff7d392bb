import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { resolveOptions } from '../../src/config';
import { startEmbeddedServer, type EmbeddedServer } from '../../src/embedded/embedded-server';
import { withDatabase } from '../../src/service/open-data-source';
import { DatabaseService } from '../../src/service/database-service';
import { behindPooler, directUrl } from './behind-pooler';

// The suite runs on DATABASE_URL's server when it is set (CI's system PostgreSQL), else on a private
// embedded server. Either way it works in databases it creates and drops itself. Nothing starts until a
// spec asks for the database, so a run of unit specs needs no server at all.
//
// Read once, when test/setup.ts loads this file: some specs point DATABASE_URL elsewhere for a moment,
// and the first spec to prepare the server may run inside such a moment.
const configuredUrl = process.env['DATABASE_URL'] || undefined;
const testDatabase = `tux_test_${process.pid}`;
/** How long a hook that may be the first to prepare the server waits: initdb, start and migrations. */
export const TEST_SERVER_PREPARE_TIMEOUT_MS = 180_000;

let preparation: Promise<void> | undefined;
let adminUrl: string | undefined;
let ready = false;
let databaseCreated = false;
let embedded: EmbeddedServer | undefined;
let embeddedDir: string | undefined;

/**
 * The URL of the migrated database the tests share (each test uses its own guild ids).
 * @throws Error when called before preparation finished: call it in a test or hook of a suite that
 * calls useTestServer() or useTestDatabase(), or after `await prepareTestServer()`.
 */
export function testDatabaseUrl(): string {
  if (!ready || !adminUrl) {
    throw new Error(
      'testDatabaseUrl() was called before the test server was prepared. Call useTestServer() or useTestDatabase() ' +
        'at the top of the describe, or await prepareTestServer() first.',
    );
  }
  return withDatabase(adminUrl, testDatabase);
}

/** Whether any spec asked for the server in this run (it then needs releasing). */
export function testServerStarted(): boolean {
  return preparation !== undefined;
}

async function admin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  await prepareTestServer();
  return connectedAdmin(fn);
}

async function connectedAdmin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  if (!adminUrl) throw new Error('The test server has no URL yet (prepareTestServer() did not get that far)');
  // Straight to the server when the suite runs through a pooler: admin work (DROP DATABASE … WITH (FORCE), roles,
  // pg_terminate_backend) must not run on, or kill, one of the pooler's server connections.
  const client = new Client({ connectionString: directUrl(adminUrl) });
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
  await admin((c) => recreateDatabase(c, name));
  return withDatabase(adminUrl as string, name);
}

/**
 * Drops and creates `name`. Behind a pooler the library sends no statement_timeout and warns unless the server's own
 * setting matches, so the database gets the one operators are told to set (docs/operators.md), at the default.
 */
async function recreateDatabase(c: Client, name: string): Promise<void> {
  await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await c.query(`CREATE DATABASE "${name}"`);
  if (behindPooler()) await c.query(`ALTER DATABASE "${name}" SET statement_timeout = ${resolveOptions({}, {}).statementTimeoutMs}`);
}

/** Drops a database made by createScratchDatabase. */
export async function dropScratchDatabase(suffix: string): Promise<void> {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS "${testDatabase}_${suffix}" WITH (FORCE)`));
}

/**
 * Runs `fn` with a superuser connection to the server's maintenance database (roles, databases), straight to the
 * server when the run goes through a pooler. Only for statements the test builds from its own constants.
 */
export function asServerAdmin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  return admin(fn);
}

/**
 * Starts the server if needed, creates the suite's database and migrates it; the first call does the work
 * and every later call waits for it (or fails with its error).
 */
export function prepareTestServer(): Promise<void> {
  preparation ??= prepare();
  return preparation;
}

/**
 * Prepares the test server before the enclosing `describe` runs, so its tests and later hooks may call
 * testDatabaseUrl(). Call it first in the body of a `describe`.
 */
export function useTestServer(): void {
  before(async function () {
    this.timeout(TEST_SERVER_PREPARE_TIMEOUT_MS);
    await prepareTestServer();
  });
}

async function prepare(): Promise<void> {
  if (configuredUrl) {
    adminUrl = configuredUrl;
  } else {
    embeddedDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tux-db-test-'));
    embedded = await startEmbeddedServer({ dataDir: embeddedDir });
    adminUrl = embedded.url;
  }
  await connectedAdmin((c) => recreateDatabase(c, testDatabase));
  databaseCreated = true;
  const service = new DatabaseService({ url: withDatabase(adminUrl, testDatabase), migrate: true });
  await service.connect();
  await service.disconnect();
  ready = true;
}

/** Drops the suite's database and stops the embedded server, if a spec prepared them; else does nothing. */
export async function releaseTestServer(): Promise<void> {
  if (!preparation) return;
  // A preparation that failed half-way may still have started a server or created the database.
  await preparation.catch(() => undefined);
  try {
    if (databaseCreated) await connectedAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${testDatabase}" WITH (FORCE)`));
  } finally {
    await embedded?.stop();
    if (embeddedDir) await fs.rm(embeddedDir, { recursive: true, force: true });
    preparation = undefined;
    adminUrl = undefined;
    ready = false;
    databaseCreated = false;
    embedded = undefined;
    embeddedDir = undefined;
  }
}

/**
 * Unsets DATABASE_URL for the enclosing describe (restored after it), for specs about the embedded server: with it set,
 * as on CI's system-PostgreSQL run, createDatabase({ dataDir }) would connect there instead. The test server itself
 * read DATABASE_URL once, when this file loaded, so it is not affected.
 */
export function withoutDatabaseUrl(): void {
  const url = process.env['DATABASE_URL'];
  before(() => {
    delete process.env['DATABASE_URL'];
  });
  after(() => {
    if (url !== undefined) process.env['DATABASE_URL'] = url;
  });
}
