import { expect } from 'chai';
import type { ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import type { DatabaseCoordinator } from '../../src/coordinator';
import { CaseType } from '../../src/entities/enums';
import { directUrl } from '../support/behind-pooler';
import { deleteGuilds, openTestDatabase, randomSnowflake } from '../support/fixtures';
import { spawnFixture } from '../support/child-process';
import { testDatabaseUrl } from '../support/test-server';
import { tally, tallyLine } from '../fixtures/reliability-tally';

const counts = tally('crash');

/** A create-cases.ts child in LOOP mode, with the numbers it reported committed so far. */
interface Looper {
  readonly child: ChildProcess;
  readonly numbers: number[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once the child has reported at least `count` committed numbers. */
  reported(count: number): Promise<void>;
}

function startLooper(guildId: string, applicationName: string): Looper {
  const child = spawnFixture('create-cases.ts', { DATABASE_URL: testDatabaseUrl(), GUILD_ID: guildId, LOOP: '1', TUX_DB_APPLICATION_NAME: applicationName });
  const numbers: number[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  let buffered = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) if (/^\d+$/.test(line)) numbers.push(Number(line));
    for (const w of waiters.splice(0)) {
      if (numbers.length >= w.count) w.resolve();
      else waiters.push(w);
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return {
    child,
    numbers,
    exited,
    reported: (count) =>
      new Promise<void>((resolve, reject) => {
        if (numbers.length >= count) return resolve();
        waiters.push({ count, resolve });
        void exited.then(({ code }) => reject(new Error(`create-cases.ts exited (${code}) after ${numbers.length} cases: ${stderr}`)));
      }),
  };
}

describe('a process creating cases, killed with SIGKILL', () => {
  let db: DatabaseCoordinator;
  let admin: Client;
  const guilds: string[] = [];
  const applicationName = `tux-crash-${process.pid}`;

  /**
   * Waits until the server has noticed the dead client and ended its work: no backend of its left inside a statement
   * or transaction (rolled back). Behind a pooler the server connections it used stay, idle, for other clients.
   */
  const waitForBackendsGone = async (): Promise<void> => {
    for (let i = 0; i < 500; i++) {
      const left = await admin.query<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1 AND state <> 'idle'", [applicationName]);
      if (left.rows[0]?.n === '0') return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('the killed process’s backends are still there after 10 s');
  };

  /** Asserts the guild holds exactly cases 1..k with case_count = k, and every number a child reported is among them. */
  const expectGapFree = async (guildId: string, reported: ReadonlyArray<number>): Promise<number> => {
    const numbers = (await db.case.findAll({ filters: { guildId }, orderBy: { caseNumber: 'ASC' } })).map((c) => c.caseNumber);
    const k = numbers.length;
    expect(numbers, 'exactly 1..k: no gap, no duplicate').to.deep.equal(Array.from({ length: k }, (_, i) => i + 1));
    expect((await db.guild.getById(guildId))?.caseCount, 'case_count = k: no orphan counter bump').to.equal(k);
    const lost = reported.filter((n) => n > k);
    counts.rowsLost += lost.length;
    expect(lost, 'every number a child saw committed is stored').to.deep.equal([]);
    expect(new Set(reported).size, 'no number handed out twice').to.equal(reported.length);
    return k;
  };

  before(async () => {
    db = await openTestDatabase();
    admin = new Client({ connectionString: directUrl(testDatabaseUrl()) });
    await admin.connect();
  });
  after(async () => {
    await deleteGuilds(db, guilds);
    await db.close();
    await admin.end();
    console.log(`      ${tallyLine('crash')}`);
  });

  it('leaves cases exactly 1..k and case_count = k, and numbering continues at k + 1', async function () {
    this.timeout(60_000);
    const guildId = randomSnowflake();
    guilds.push(guildId);
    // Two processes on the same guild, killed at different moments, each in the middle of its loop.
    const first = startLooper(guildId, applicationName);
    const second = startLooper(guildId, applicationName);
    await Promise.all([first.reported(20), second.reported(1)]);
    first.child.kill('SIGKILL');
    counts.faults++;
    await second.reported(second.numbers.length + 15);
    second.child.kill('SIGKILL');
    counts.faults++;
    expect((await first.exited).signal).to.equal('SIGKILL');
    expect((await second.exited).signal).to.equal('SIGKILL');
    await waitForBackendsGone();
    const reported = [...first.numbers, ...second.numbers];
    const k = await expectGapFree(guildId, reported);
    expect(k).to.be.at.least(reported.length);

    // A third process starts after the crash, gets killed too; then the survivor (this process) continues.
    const third = startLooper(guildId, applicationName);
    await third.reported(10);
    expect(third.numbers[0], 'the next process continues right after the last committed case').to.equal(k + 1);
    third.child.kill('SIGKILL');
    counts.faults++;
    await third.exited;
    await waitForBackendsGone();
    const k2 = await expectGapFree(guildId, [...reported, ...third.numbers]);
    const next = await db.case.createCase({ caseType: CaseType.WARN, caseUserId: '1', caseModeratorId: '2', guildId });
    expect(next.caseNumber).to.equal(k2 + 1);
    console.log(`      ${k2} cases committed by 3 killed processes; ${reported.length + third.numbers.length} of them acknowledged before the kills`);
  });
});
