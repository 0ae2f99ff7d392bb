import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { createDatabase } from '../../src/container';
import type { DatabaseCoordinator } from '../../src/coordinator';
import { findProcess } from '../../src/embedded/process-inspection';
import { answers } from '../../src/embedded/wait-for-server';
import { CaseType } from '../../src/entities/enums';
import { DatabaseConnectionError } from '../../src/errors/connection-error';
import { randomSnowflake } from '../support/fixtures';
import { withoutDatabaseUrl } from '../support/test-server';

/** Line `line` of postmaster.pid: 0 is the pid, 3 the port. */
async function postmasterField(dataDir: string, line: 0 | 3): Promise<number | null> {
  const text = await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8').catch(() => null);
  return text === null ? null : Number(text.split('\n')[line]);
}
const postmasterPid = (dataDir: string) => postmasterField(dataDir, 0);

/** Whether a fresh connection to the server answers right now: the truth isConnected() is held against. */
const answersOn = (port: number): Promise<boolean> => answers(`postgres://postgres:postgres@127.0.0.1:${port}/tux`);

describe('supervision of the embedded server', function () {
  this.timeout(180_000);
  let root: string;
  let db: DatabaseCoordinator | undefined;

  // About the embedded server: CI's system run sets DATABASE_URL, which would send createDatabase elsewhere.
  withoutDatabaseUrl();

  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'tux-supervision-spec-'));
    await chmod(root, 0o755);
  });
  after(async () => {
    await db?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('restarts a server killed with SIGKILL: in-flight work fails typed, later work succeeds, nothing committed is lost, and isConnected()/health() tell the truth throughout', async () => {
    const dataDir = path.join(root, 'data');
    db = await createDatabase({ dataDir, poolSize: 4 });
    const port = (await postmasterField(dataDir, 3))!;
    const guildId = randomSnowflake();
    const acknowledged: number[] = [];
    const failures = new Map<string, number>();
    let working = true;
    const worker = async (): Promise<void> => {
      while (working) {
        try {
          const created = await db!.transaction(async () => {
            const c = await db!.case.createCase({ caseType: CaseType.WARN, caseUserId: '5', caseModeratorId: '6', guildId });
            await db!.levels.addXp('5', guildId, 1);
            return c;
          });
          acknowledged.push(created.caseNumber);
        } catch (e) {
          const name = e instanceof Error ? e.name : typeof e;
          failures.set(name, (failures.get(name) ?? 0) + 1);
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    };
    const reached = async (n: number): Promise<void> => {
      while (acknowledged.length < n) await new Promise((r) => setTimeout(r, 10));
    };
    const workers = Array.from({ length: 3 }, worker);

    // Samples of what the library said against what a fresh connection found, taken after the kill.
    const lies: string[] = [];
    const seen = new Set<string>();
    let sampling = false;
    const sampler = (async () => {
      while (!sampling) await new Promise((r) => setTimeout(r, 5));
      while (sampling) {
        const said = db!.service.isConnected();
        const status = (await db!.health()).status;
        const truth = await answersOn(port);
        seen.add(`${said}/${status}`);
        // Saying "connected" (or "healthy") while nothing answers is the lie; the reverse is a moment late at most.
        if ((said || status === 'healthy') && !truth && (await answersOn(port)) === false) lies.push(`isConnected ${said}, health ${status}, server not answering`);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();

    try {
      await reached(30);
      const killedPid = await postmasterPid(dataDir);
      process.kill(killedPid!, 'SIGKILL');
      // Sampling starts once the process is really gone: the kill itself takes a moment to land.
      while ((await findProcess(killedPid!)) !== null) await new Promise((r) => setTimeout(r, 1));
      sampling = true;
      // Right after the kill: a read that finds the server gone waits for the restart (its connection never opened).
      const readDuringOutage = db.guild.getById(guildId);
      const atKill = acknowledged.length;
      await reached(atKill + 30);
      sampling = false;
      await sampler;
      expect(await readDuringOutage, 'the read retried across the restart').to.not.equal(null);
      expect(await postmasterPid(dataDir), 'a new postmaster').to.not.equal(killedPid);
    } finally {
      working = false;
      sampling = false;
      await Promise.all(workers);
    }

    expect(lies, 'samples where the library claimed a dead server was up').to.deep.equal([]);
    expect([...seen].some((s) => s.startsWith('false/disconnected')), `states seen: ${[...seen].join(', ')}`).to.equal(true);
    expect(db.service.isConnected()).to.equal(true);
    expect((await db.health()).status).to.equal('healthy');
    const unexpected = [...failures.keys()].filter((name) => name !== DatabaseConnectionError.name);
    expect(unexpected, `failures: ${JSON.stringify([...failures])}`).to.deep.equal([]);

    const stored = (await db.case.findAll({ filters: { guildId }, orderBy: { caseNumber: 'ASC' } })).map((c) => c.caseNumber);
    expect(stored, 'gap-free').to.deep.equal(Array.from({ length: stored.length }, (_, i) => i + 1));
    expect(acknowledged.filter((n) => !stored.includes(n)), 'acknowledged but lost').to.deep.equal([]);
    expect(await db.levels.getXp('5', guildId), 'case and xp committed together').to.equal(stored.length);
  });
});
