import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { Client } from 'pg';
import { startEmbeddedServer, type EmbeddedServer } from '../../src/embedded/embedded-server';
import { ensureDatabase } from '../../src/embedded/ensure-database';

describe('ensureDatabase', () => {
  let root: string;
  let server: EmbeddedServer;

  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'tux-ensure-db-spec-'));
    server = await startEmbeddedServer({ dataDir: root });
  });

  after(async () => {
    await server?.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('creates a database whose name needs quoting, once, even when called concurrently', async () => {
    const name = 'Tux "odd" db';
    await Promise.all([ensureDatabase(server.url, name), ensureDatabase(server.url, name)]);
    await ensureDatabase(server.url, name);
    const client = new Client({ connectionString: server.url });
    await client.connect();
    try {
      const found = await client.query('SELECT datname FROM pg_database WHERE datname = $1', [name]);
      expect(found.rows).to.deep.equal([{ datname: name }]);
      await client.query(`DROP DATABASE ${client.escapeIdentifier(name)}`);
    } finally {
      await client.end();
    }
  });
});
