import { expect } from 'chai';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sinon from 'sinon';
import { demoSession } from '../../src/cli/demo';
import { runCommand } from '../support/run-command';
import { useTestDatabase } from '../support/test-database';

const DEMO_GUILD = '1100000000000000001';

// `npm start` is `node bin/tux-db.js demo`: here on an embedded server of the test's own, as on a fresh machine.
describe('npm start (the demo)', function () {
  this.timeout(180_000);
  let dataDir: string;

  before(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tux-db-demo-'));
  });
  after(() => fs.rm(dataDir, { recursive: true, force: true }));

  const demo = () => runCommand(process.execPath, ['bin/tux-db.js', 'demo'], { DATABASE_URL: undefined, TUX_DB_DATA_DIR: dataDir });
  const caseNumbers = (transcript: string) => [...transcript.matchAll(/^Case #(\d+)/gm)].map((m) => Number(m[1]));

  it('migrates the embedded database, walks through a session, ends healthy, and continues numbering when run again', async () => {
    const first = await demo();
    expect(first.code, first.stderr).to.equal(0);
    expect(first.stdout).to.match(/^Guild "Tux Demo Server"/m).and.match(/^Raid: banned 3 accounts as cases #4–#6/m).and.match(/^Reminders delivered: "Review the jail"/m);
    expect(first.stdout).to.match(/may ban: true, plain member may ban: false/).and.match(/^Database healthy: PostgreSQL \d+/m);
    expect(caseNumbers(first.stdout)).to.deep.equal([1, 2, 3]);

    const second = await demo();
    expect(second.code, second.stderr).to.equal(0);
    expect(caseNumbers(second.stdout)).to.deep.equal([7, 8, 9]);
    expect(second.stdout).to.match(/^Raid: banned 3 accounts as cases #10–#12/m);
    await expect(fs.access(path.join(dataDir, 'postmaster.pid')), 'the embedded server stopped').to.be.rejected;
  });

  it('succeeds twice at once on one fresh data directory, sharing one server and one case counter', async () => {
    const fresh = await fs.mkdtemp(path.join(os.tmpdir(), 'tux-db-demo-twice-'));
    // As root the server runs as the OS user postgres, which must be able to enter the directory.
    await fs.chmod(fresh, 0o755);
    try {
      const npmStart = () => runCommand('npm', ['start', '--silent'], { DATABASE_URL: undefined, TUX_DB_DATA_DIR: path.join(fresh, 'data') });
      const runs = await Promise.all([npmStart(), npmStart()]);
      for (const run of runs) {
        expect(run.code, run.stderr).to.equal(0);
        expect(run.stdout).to.match(/^Database healthy: PostgreSQL \d+/m);
      }
      // Both sessions numbered their cases from one counter: 12 cases in all, each number once.
      const numbers = runs.flatMap((run) => [...caseNumbers(run.stdout), ...[...run.stdout.matchAll(/cases #(\d+)–#(\d+)/g)].flatMap((m) => [Number(m[1]), Number(m[1]) + 1, Number(m[2])])]);
      expect(numbers.sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 12 }, (_, i) => i + 1));
      await expect(fs.access(path.join(fresh, 'data', 'postmaster.pid')), 'the last one out stopped the server').to.be.rejected;
    } finally {
      await fs.rm(fresh, { recursive: true, force: true });
    }
  });
});

describe('the demo session', () => {
  const t = useTestDatabase();
  let sandbox: sinon.SinonSandbox;
  beforeEach(() => {
    sandbox = sinon.createSandbox();
  });
  afterEach(async () => {
    sandbox.restore();
    await t.db.guild.deleteGuild(DEMO_GUILD);
  });

  it('uses the snippet another demo inserted between its read and its insert, instead of failing on the unique name', async () => {
    await t.db.snippet.createSnippet({ snippetName: 'rules', snippetContent: 'Be nice. No spam.', snippetUserId: '1200000000000000001', guildId: DEMO_GUILD });
    // The first read misses, as when the other demo's insert commits right after it.
    const read = sandbox.stub(t.db.snippet, 'getSnippetByName').callThrough();
    read.onFirstCall().resolves(null);
    const printed: string[] = [];
    await demoSession(t.db, (line) => printed.push(line));
    expect(printed).to.include('Snippet "rules": "Be nice. No spam.", used 1 times');
    expect(read.callCount).to.equal(2);
  });
});
