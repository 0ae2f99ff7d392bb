import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { Client } from 'pg';
import { startEmbeddedServer } from '../../src/embedded/embedded-server';
import { EmbeddedServerError } from '../../src/embedded/embedded-server-error';
import { findProcess } from '../../src/embedded/process-inspection';

const FIXTURE = path.join(__dirname, 'fixtures', 'embedded-server-child.ts');

async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

function runChild(mode: 'hold' | 'exit', dataDir: string): ChildProcess {
  return spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', FIXTURE, mode, dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function waitForReady(child: ChildProcess): Promise<void> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the child exited with ${code} before it was ready: ${stderr}`)));
  });
}

function exitOf(child: ChildProcess): Promise<number | NodeJS.Signals | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode ?? child.signalCode);
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
}

async function postmasterPid(dataDir: string): Promise<number | null> {
  try {
    return Number((await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  } catch {
    return null;
  }
}

// The server shuts down on its own after the signal a dying process sent, so give it a moment.
async function expectNoServer(dataDir: string, previousPid: number | null, withinMs = 5_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  // postgres deletes postmaster.pid just before it exits: wait for the process too, not only the file.
  const running = async (): Promise<boolean> =>
    (await postmasterPid(dataDir)) !== null || (previousPid !== null && (await findProcess(previousPid)) !== null);
  while ((await running()) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(await postmasterPid(dataDir), 'postmaster.pid').to.equal(null);
  if (previousPid !== null) expect(await findProcess(previousPid), `postgres process ${previousPid}`).to.equal(null);
}

describe('startEmbeddedServer', () => {
  let root: string;

  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'tux-embedded-spec-'));
    // mkdtemp makes it 0700; run as root, the server is the OS user postgres and must be able to enter it.
    await chmod(root, 0o755);
  });

  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('runs a real PostgreSQL server that keeps committed rows across a stop and a start', async () => {
    const dataDir = path.join(root, 'restart', 'data');
    const first = await startEmbeddedServer({ dataDir });
    const [version] = await query<{ version: string }>(first.url, 'SELECT version()');
    expect(version?.version).to.match(/^PostgreSQL 18\./);
    expect(first.url).to.equal(`postgres://postgres:postgres@127.0.0.1:${first.port}/postgres`);
    await query(first.url, 'CREATE TABLE kept (id int PRIMARY KEY, note text)');
    await query(first.url, 'INSERT INTO kept VALUES (1, $1)', ['héllo ✓']);
    const firstPid = await postmasterPid(dataDir);
    await first.stop();
    await expectNoServer(dataDir, firstPid);

    const second = await startEmbeddedServer({ dataDir });
    try {
      expect(await query(second.url, 'SELECT id, note FROM kept')).to.deep.equal([{ id: 1, note: 'héllo ✓' }]);
    } finally {
      await second.stop();
    }
  });

  it('gives concurrent callers for one directory one server, which runs until the last of them stops', async () => {
    const dataDir = path.join(root, 'shared');
    const [a, b] = await Promise.all([startEmbeddedServer({ dataDir }), startEmbeddedServer({ dataDir: `${dataDir}/.` })]);
    expect(a.url).to.equal(b.url);
    expect(a.dataDir).to.equal(dataDir);
    const pid = await postmasterPid(dataDir);
    await a.stop();
    await a.stop();
    expect(await query(b.url, 'SELECT 1 AS still_up')).to.deep.equal([{ still_up: 1 }]);
    expect(b.isRunning()).to.equal(true);
    await Promise.all([b.stop(), b.stop()]);
    await expectNoServer(dataDir, pid);
  });

  it('starts a fresh server when a start races the stop of the previous one', async () => {
    const dataDir = path.join(root, 'restart-race');
    const first = await startEmbeddedServer({ dataDir });
    const stopping = first.stop();
    const second = await startEmbeddedServer({ dataDir });
    await stopping;
    try {
      expect(second).to.not.equal(first);
      expect(await query(second.url, 'SELECT 1 AS up')).to.deep.equal([{ up: 1 }]);
    } finally {
      await second.stop();
    }
  });

  it('reuses, then stops, the server a process killed with SIGKILL left running', async () => {
    const dataDir = path.join(root, 'killed');
    const child = runChild('hold', dataDir);
    await waitForReady(child);
    child.kill('SIGKILL');
    await exitOf(child);
    const orphanPid = await postmasterPid(dataDir);
    expect(orphanPid, 'the orphaned server').to.be.a('number');

    const server = await startEmbeddedServer({ dataDir });
    try {
      expect(await query(server.url, 'SELECT note FROM survivor')).to.deep.equal([{ note: 'written by hold' }]);
    } finally {
      await server.stop();
    }
    await expectNoServer(dataDir, orphanPid);
  });

  it('uses but does not stop a server that another live process started', async () => {
    const dataDir = path.join(root, 'shared-live');
    const child = runChild('hold', dataDir);
    try {
      await waitForReady(child);
      const server = await startEmbeddedServer({ dataDir });
      expect(await query(server.url, 'SELECT count(*)::int AS n FROM survivor')).to.deep.equal([{ n: 1 }]);
      await server.stop();
      expect(await query(server.url, 'SELECT 1 AS still_up')).to.deep.equal([{ still_up: 1 }]);
    } finally {
      const pid = await postmasterPid(dataDir);
      // The library's signal hook lets go of the server, then lets SIGTERM end the process as it would have.
      child.kill('SIGTERM');
      expect(await exitOf(child)).to.equal('SIGTERM');
      await expectNoServer(dataDir, pid);
    }
  });

  it('stops the server when the process that started it ends normally, keeping its exit code', async () => {
    const dataDir = path.join(root, 'normal-exit');
    const child = runChild('exit', dataDir);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await exitOf(child), stderr).to.equal(3);
    await expectNoServer(dataDir, null);
  });

  it('rejects with an error naming the directory when the data directory cannot be created', async () => {
    const file = path.join(root, 'plain-file');
    await writeFile(file, 'not a directory');
    const dataDir = path.join(file, 'data');
    const error: unknown = await startEmbeddedServer({ dataDir }).then(() => null, (e: unknown) => e);
    expect(error).to.be.instanceOf(EmbeddedServerError);
    // Refused by checkDataDir before any mkdir (test/embedded/check-data-dir.spec.ts covers the other cases).
    expect((error as EmbeddedServerError).message).to.include(`data directory ${dataDir} cannot be created: ${file} is a file, not a directory`);
  });

  it('rejects with the server log when the directory holds something other than a cluster', async () => {
    const dataDir = path.join(root, 'not-a-cluster');
    await mkdir(dataDir, { recursive: true });
    await writeFile(path.join(dataDir, 'notes.txt'), 'mine');
    const error: unknown = await startEmbeddedServer({ dataDir }).then(() => null, (e: unknown) => e);
    expect(error).to.be.instanceOf(EmbeddedServerError);
    expect((error as EmbeddedServerError).message).to.include(`failed to start in ${dataDir}`).and.include('exists but is not empty');
  });
});
