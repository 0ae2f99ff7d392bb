import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { expect } from 'chai';
import { createDatabase } from '../../src/container';
import type { DatabaseCoordinator } from '../../src/coordinator';
import { findProcess } from '../../src/embedded/process-inspection';
import { CaseType } from '../../src/entities/enums';
import { DatabaseService } from '../../src/service/database-service';
import { randomSnowflake } from '../support/fixtures';
import { withoutDatabaseUrl } from '../support/test-server';

const SHARD = path.join(__dirname, 'fixtures', 'shard-child.ts');

interface ShardReport {
  readonly port: number;
  readonly pid: number;
  readonly initdb: boolean;
}

/** A child process using the embedded server of `dataDir` (see fixtures/shard-child.ts). */
class Shard {
  readonly child: ChildProcess;
  readonly report: Promise<ShardReport>;
  readonly exit: Promise<number | NodeJS.Signals | null>;

  constructor(dataDir: string) {
    this.child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', SHARD, dataDir], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    this.child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    this.exit = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve(code ?? signal)));
    this.report = new Promise((resolve, reject) => {
      createInterface({ input: this.child.stdout! }).once('line', (line) => resolve(JSON.parse(line) as ShardReport));
      void this.exit.then((code) => reject(new Error(`the shard exited with ${code} before it reported: ${stderr}`)));
    });
  }

  async stop(): Promise<number | NodeJS.Signals | null> {
    this.child.stdin?.end('stop\n');
    return this.exit;
  }
}

async function postmasterPid(dataDir: string): Promise<number | null> {
  const text = await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8').catch(() => null);
  return text === null ? null : Number(text.split('\n')[0]);
}

/** Resolves once the server of `dataDir` has exited; a server that never stops fails the test by mocha's timeout. */
async function serverGone(dataDir: string, pid: number): Promise<void> {
  while ((await findProcess(pid)) !== null || (await postmasterPid(dataDir)) !== null) await new Promise((r) => setTimeout(r, 50));
}

describe('the embedded server shared by several users', function () {
  this.timeout(180_000);
  let root: string;

  // About the embedded server: CI's system run sets DATABASE_URL, which would send createDatabase elsewhere.
  withoutDatabaseUrl();

  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'tux-shared-spec-'));
    // As root the server runs as the OS user postgres, which must be able to enter the directory.
    await chmod(root, 0o755);
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('keeps serving the first service in a process when a second one on the same data dir disconnects', async () => {
    const dataDir = path.join(root, 'one-process');
    const db = await createDatabase({ dataDir });
    try {
      const second = new DatabaseService({ dataDir, migrate: false });
      await second.connect();
      await second.disconnect();
      const guildId = randomSnowflake();
      const created = await db.case.createCase({ caseType: CaseType.WARN, caseUserId: '1', caseModeratorId: '2', guildId });
      expect(created.caseNumber).to.equal(1);
      expect(db.service.isConnected()).to.equal(true);
    } finally {
      await db.close();
    }
    const pid = await postmasterPid(dataDir);
    if (pid !== null) await serverGone(dataDir, pid);
  });

  it('lets four processes start at once on a fresh data dir: exactly one runs initdb, all share one server until the last lets go', async () => {
    const dataDir = path.join(root, 'four-at-once');
    const shards = Array.from({ length: 4 }, () => new Shard(dataDir));
    const reports = await Promise.all(shards.map((s) => s.report));
    expect(reports.filter((r) => r.initdb), 'processes that ran initdb').to.have.length(1);
    expect(new Set(reports.map((r) => r.port)).size, 'ports').to.equal(1);
    const pid = await postmasterPid(dataDir);
    expect(pid).to.be.a('number');

    for (const shard of shards.slice(0, 3)) expect(await shard.stop()).to.equal(0);
    expect(await findProcess(pid!), 'the server while one user is left').to.not.equal(null);
    expect(await shards[3]!.stop()).to.equal(0);
    await serverGone(dataDir, pid!);
  });

  it('outlives the process that started it: SIGKILLed while a sharer writes, the sharer loses nothing', async () => {
    const dataDir = path.join(root, 'owner-killed');
    const owner = new Shard(dataDir);
    await owner.report;
    const serverPid = await postmasterPid(dataDir);
    let db: DatabaseCoordinator | undefined = await createDatabase({ dataDir });
    const guildId = randomSnowflake();
    const acknowledged: number[] = [];
    const failures: unknown[] = [];
    let writing = true;
    const writer = (async () => {
      while (writing) {
        try {
          acknowledged.push((await db!.case.createCase({ caseType: CaseType.WARN, caseUserId: '1', caseModeratorId: '2', guildId })).caseNumber);
        } catch (e) {
          failures.push(e);
          writing = false;
        }
      }
    })();
    const reached = async (n: number): Promise<void> => {
      while (writing && acknowledged.length < n) await new Promise((r) => setTimeout(r, 10));
    };
    try {
      await reached(20);
      owner.child.kill('SIGKILL');
      expect(await owner.exit).to.equal('SIGKILL');
      const atKill = acknowledged.length;
      await reached(atKill + 50);
      writing = false;
      await writer;

      expect(failures, 'failed writes').to.deep.equal([]);
      expect(await postmasterPid(dataDir), 'the same server').to.equal(serverPid);
      const stored = (await db.case.findAll({ filters: { guildId }, orderBy: { caseNumber: 'ASC' } })).map((c) => c.caseNumber);
      expect(stored).to.deep.equal(acknowledged.slice().sort((a, b) => a - b));
      expect(stored).to.deep.equal(Array.from({ length: stored.length }, (_, i) => i + 1));
    } finally {
      writing = false;
      await writer;
      await db.close();
      db = undefined;
    }
    // The owner is gone and the sharer let go: nobody uses the server, so the sharer stopped it.
    await serverGone(dataDir, serverPid!);
  });
});
