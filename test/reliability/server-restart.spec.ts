import { expect } from 'chai';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createDatabase } from '../../src/container';
import type { DatabaseCoordinator } from '../../src/coordinator';
import { startEmbeddedServer, type EmbeddedServer } from '../../src/embedded/embedded-server';
import { ensureDatabase } from '../../src/embedded/ensure-database';
import { launchPostgres, type LaunchedPostgres } from '../../src/embedded/launch-postgres';
import { LogTail } from '../../src/embedded/log-tail';
import { stopPostmaster } from '../../src/embedded/stop-postmaster';
import { CaseType } from '../../src/entities/enums';
import { DatabaseConnectionError } from '../../src/errors/connection-error';
import { withDatabase } from '../../src/service/open-data-source';
import { randomSnowflake } from '../support/fixtures';
import { tally, tallyLine } from '../fixtures/reliability-tally';

const counts = tally('server-restart');

/** Polls `check` every 50 ms until it returns true (fails after `timeoutMs`). */
async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * A PostgreSQL server of this spec's own, on a temporary data directory. The library's URL names a port, so a
 * restart must come back on the same port: startEmbeddedServer picks a free port each time (it has no port
 * option yet), so restarts go through launchPostgres, which takes one.
 */
class PrivateServer {
  private first: EmbeddedServer | undefined;
  private relaunched: LaunchedPostgres | undefined;

  private constructor(
    readonly dataDir: string,
    readonly url: string,
    readonly port: number,
  ) {}

  static async start(): Promise<PrivateServer> {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tux-db-restart-'));
    const server = await startEmbeddedServer({ dataDir });
    const created = new PrivateServer(dataDir, server.url, server.port);
    created.first = server;
    return created;
  }

  /** Fast shutdown (SIGINT): sessions are ended, a checkpoint is written. */
  async stop(): Promise<void> {
    if (this.first) await this.first.stop();
    this.first = undefined;
    if (this.relaunched) await stopPostmaster(this.relaunched.pid);
    this.relaunched = undefined;
  }

  /** Immediate shutdown (SIGQUIT), as after a crash: the next start replays the WAL. */
  async crash(pid = this.relaunched?.pid): Promise<void> {
    if (pid === undefined) throw new Error('crash() needs a server started by start()');
    process.kill(pid, 'SIGQUIT');
    await eventually('the crashed server to exit', async () => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    });
    this.relaunched = undefined;
  }

  /** Starts the server again on the same data directory and port. */
  async restart(): Promise<void> {
    const credentials = new URL(this.url);
    this.relaunched = await launchPostgres({
      dataDir: this.dataDir,
      port: this.port,
      user: decodeURIComponent(credentials.username),
      password: decodeURIComponent(credentials.password),
      log: new LogTail(),
    });
  }

  get pid(): number | undefined {
    return this.relaunched?.pid;
  }

  async remove(): Promise<void> {
    await this.stop();
    await fs.rm(this.dataDir, { recursive: true, force: true });
  }
}

describe('the server restarting under the library', () => {
  let server: PrivateServer;
  let db: DatabaseCoordinator;

  before(async function () {
    this.timeout(120_000);
    server = await PrivateServer.start();
    await ensureDatabase(server.url, 'tux_restart');
    db = await createDatabase({ url: withDatabase(server.url, 'tux_restart'), migrate: true, poolSize: 4, acquireTimeoutMs: 2_000 });
  });
  after(async function () {
    this.timeout(60_000);
    await db?.close();
    await server?.remove();
    console.log(`      ${tallyLine('server-restart')}`);
  });

  it('reports disconnected, fails work with DatabaseConnectionError, then heals; every committed case is kept', async function () {
    this.timeout(90_000);
    const guildId = randomSnowflake();
    const committed: number[] = [];
    const failures = new Map<string, number>();
    let stop = false;
    // Each unit creates a case and adds 1 xp: both commit or neither.
    const worker = async (): Promise<void> => {
      while (!stop) {
        try {
          const c = await db.transaction(async () => {
            const created = await db.case.createCase({ caseType: CaseType.WARN, caseUserId: '5', caseModeratorId: '6', guildId });
            await db.levels.addXp('5', guildId, 1);
            return created;
          });
          committed.push(c.caseNumber);
        } catch (e) {
          const name = e instanceof Error ? e.constructor.name : typeof e;
          failures.set(name, (failures.get(name) ?? 0) + 1);
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    };
    const workers = Array.from({ length: 3 }, worker);
    const commitsReach = (n: number) => eventually(`${n} commits`, async () => committed.length >= n);

    try {
      await commitsReach(30);

      // 1. A clean stop while work is running.
      await server.stop();
      counts.faults++;
      const down = await db.health();
      expect(down.status).to.equal('disconnected');
      expect(down.error).to.be.a('string');
      expect(db.service.isConnected(), 'what health() found, at once').to.equal(false);
      await expect(db.guild.getById(guildId)).to.be.rejectedWith(DatabaseConnectionError);
      await expect(db.transaction(() => db.guild.getById(guildId))).to.be.rejectedWith(DatabaseConnectionError);
      const beforeRestart = committed.length;

      await server.restart();
      await eventually('health to return to healthy', async () => (await db.health()).status === 'healthy');
      expect(db.service.isConnected()).to.equal(true);
      await commitsReach(beforeRestart + 30);

      // 2. A crash (immediate shutdown) while work is running: committed data survives WAL replay.
      await server.crash();
      counts.faults++;
      expect((await db.health()).status).to.equal('disconnected');
      await server.restart();
      await eventually('health to return to healthy after the crash', async () => (await db.health()).status === 'healthy');
      await commitsReach(committed.length + 30);
    } finally {
      stop = true;
      await Promise.all(workers);
    }

    const unexpected = [...failures.keys()].filter((name) => name !== 'DatabaseConnectionError');
    expect(unexpected, `failures: ${JSON.stringify([...failures])}`).to.deep.equal([]);
    const numbers = (await db.case.findAll({ filters: { guildId }, orderBy: { caseNumber: 'ASC' } })).map((c) => c.caseNumber);
    expect(numbers, 'exactly 1..k').to.deep.equal(Array.from({ length: numbers.length }, (_, i) => i + 1));
    expect((await db.guild.getById(guildId))?.caseCount).to.equal(numbers.length);
    expect(await db.levels.getXp('5', guildId), 'case and xp committed together').to.equal(numbers.length);
    const lost = committed.filter((n) => !numbers.includes(n));
    counts.rowsLost += lost.length;
    expect(lost, 'every acknowledged case survived both restarts').to.deep.equal([]);
    console.log(`      ${committed.length} units acknowledged, ${numbers.length} cases stored, failures while down: ${JSON.stringify(Object.fromEntries(failures))}`);
  });
});
