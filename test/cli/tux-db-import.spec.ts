import { expect } from 'chai';
import type { Client } from 'pg';
import { TUX_IMPORT_TABLES } from '../../src/import/tux-import-report';
import { LEVEL_ROWS } from '../import/tux-source-data';
import { runCommand, type CommandResult, expectNoSecretOrStack } from '../support/run-command';
import { asServerAdmin, createScratchDatabase, dropScratchDatabase, useTestServer } from '../support/test-server';
import { connectTo, createTuxSource, targetSnapshot } from '../support/tux-import';

/** The line of `table` in the printed counts: in Tux, inserted (or to insert), already present, skipped, refused. */
const countsLine = (table: string, ...counts: number[]): RegExp => new RegExp(`^${table} +${counts.join(' +')}$`, 'm');
/** The issue lines of the printed report (or of a refusal on stderr). */
const issueLines = (text: string): string[] => text.split('\n').filter((l) => /^ {2}(resolve|skip|refuse) /.test(l));

// `tux-db import-tux` (#16 item 5), spawned as `node bin/tux-db.js …` from a Tux database built from
// test/fixtures/tux-schema.sql and filled by fillTux into a migrated scratch target.
describe('tux-db import-tux', function () {
  this.timeout(180_000);
  useTestServer();
  // The source is read as a role of the test's own, so the password it looks for in the output is one no message could contain by chance.
  const role = `tux_import_${process.pid}`;
  const secret = 'import-pw-5813';
  let from: string;
  let targetUrl: string;
  let target: Client;
  const tuxDb = (args: string[]): Promise<CommandResult> =>
    runCommand(process.execPath, ['bin/tux-db.js', ...args], { DATABASE_URL: targetUrl, TUX_DB_DATA_DIR: undefined, PGPASSWORD: undefined });

  before(async () => {
    await asServerAdmin((c) => c.query(`CREATE ROLE ${role} LOGIN SUPERUSER PASSWORD '${secret}'`));
    const source = new URL(await createTuxSource('cli_tux_source'));
    source.username = role;
    source.password = secret;
    from = source.toString();
    targetUrl = await createScratchDatabase('cli_tux_target');
    const push = await tuxDb(['migrate-push']);
    expect(push.code, push.stderr).to.equal(0);
    target = await connectTo(targetUrl);
  });

  after(async () => {
    await target?.end();
    await dropScratchDatabase('cli_tux_source');
    await dropScratchDatabase('cli_tux_target');
    await asServerAdmin((c) => c.query(`DROP ROLE IF EXISTS ${role}`));
  });

  it('refuses a Tux row with no safe resolution (a case with no type): exit 1, each refused row and its fix on stderr, nothing written', async () => {
    const before = await targetSnapshot(target);
    const refused = await tuxDb(['import-tux', '--from', from]);
    expect(refused.code, refused.stderr).to.equal(1);
    expect(refused.stderr.split('\n')[0]).to.match(/^tux-db: import-tux refused 1 Tux value\(s\) .*nothing was written/);
    expect(issueLines(refused.stderr)).to.have.length(1);
    expect(issueLines(refused.stderr)[0]).to.match(/^ {2}refuse +cases \{"id":"16"\} case_type: .+ → no type is safe to guess/);
    expect(refused.stderr).to.include('--null-case-type TYPE');
    expectNoSecretOrStack(refused, secret);

    // The dry run lists the same row among the others and says the import would be refused.
    const dry = await tuxDb(['import-tux', '--dry-run', '--from', from]);
    expect(dry.code, dry.stderr).to.equal(1);
    expect(issueLines(dry.stdout).filter((l) => l.startsWith('  refuse'))).to.deep.equal(issueLines(refused.stderr));
    expect(dry.stdout).to.include('Dry run: nothing was written');
    expect(dry.stderr.trim()).to.match(/^tux-db: the import would be refused: 1 value\(s\) have no safe resolution/);
    expectNoSecretOrStack(dry, secret);
    expect(await targetSnapshot(target)).to.equal(before);
  });

  it('--dry-run prints the counts per table and every issue with its resolution, and writes nothing', async () => {
    const before = await targetSnapshot(target);
    const dry = await tuxDb(['import-tux', '--from', from, '--dry-run', '--null-case-type', 'WARN']);
    expect(dry.code, dry.stderr).to.equal(0);
    expect(dry.stderr).to.equal('');
    const [first] = dry.stdout.split('\n');
    expect(first).to.match(/^Dry run: reading the Tux database postgres:\/\/tux_import_\d+:\*\*\*@/);
    expect(dry.stdout).to.include('Tux schema: Alembic revision b83284093e38');
    expect(dry.stdout).to.match(/^table +in Tux +to insert +already present +skipped +refused$/m);
    expect(dry.stdout).to.match(countsLine('guild', 3, 3, 0, 0, 0)).and.match(countsLine('cases', 17, 17, 0, 0, 0));
    expect(dry.stdout).to.match(countsLine('levels', LEVEL_ROWS, LEVEL_ROWS, 0, 0, 0)).and.match(countsLine('permission_commands', 3, 2, 0, 1, 0));
    const issues = issueLines(dry.stdout);
    expect(dry.stdout).to.include(`${issues.length} Tux value(s) break a rule of this schema`);
    expect(issues).to.include.members([
      '  resolve  cases {"id":"16"} case_type: case_type is NULL; this schema requires a case type → set to WARN (the nullCaseType option)',
      `  skip     permission_commands {"id":"12"} command_name: 'JSK py' is a restricted command, which this library refuses to put on a rank → not imported: it stays restricted to the bot owners`,
    ]);
    expect(issues.some((l) => /^ {2}resolve +snippet \{"id":"2"\} snippet_name: .+ → .+/.test(l)), 'the snippet renamed for letter case').to.equal(true);
    expect(issues.filter((l) => l.startsWith('  refuse'))).to.deep.equal([]);
    expect(dry.stdout).to.include('Dry run: nothing was written');
    expectNoSecretOrStack(dry, secret);
    expect(await targetSnapshot(target)).to.equal(before);
  });

  it('imports every table (exit 0) and a second run adds nothing and changes nothing', async () => {
    const run = await tuxDb(['import-tux', '--from', from, '--null-case-type', 'WARN']);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout.split('\n')[0]).to.match(/^Importing the Tux database postgres:\/\/tux_import_\d+:\*\*\*@/);
    expect(run.stdout).to.match(/^table +in Tux +inserted +already present +skipped +refused$/m).and.match(countsLine('cases', 17, 17, 0, 0, 0));
    expect(run.stdout).to.match(/identities moved past the largest imported id: .*cases\.case_id → 17/);
    expect(run.stdout).to.not.include('Dry run');
    expectNoSecretOrStack(run, secret);
    const counted = await target.query<{ guilds: number; cases: number; levels: number; commands: number }>(
      `SELECT (SELECT count(*)::int FROM guild) AS guilds, (SELECT count(*)::int FROM cases) AS cases, (SELECT count(*)::int FROM levels) AS levels, (SELECT count(*)::int FROM permission_commands) AS commands`,
    );
    expect(counted.rows[0]).to.deep.equal({ guilds: 3, cases: 17, levels: LEVEL_ROWS, commands: 2 });

    const before = await targetSnapshot(target);
    const again = await tuxDb(['import-tux', '--from', from, '--null-case-type', 'WARN']);
    expect(again.code, again.stderr).to.equal(0);
    for (const t of TUX_IMPORT_TABLES) expect(again.stdout, t).to.match(new RegExp(`^${t} +\\d+ +0 +\\d+ +\\d+ +0$`, 'm'));
    expect(again.stdout).to.match(countsLine('cases', 17, 0, 17, 0, 0)).and.include('0 row(s) inserted').and.include('identities: none to move');
    expect(await targetSnapshot(target)).to.equal(before);
  });

  it('refuses a source that is not Tux’s schema in one line, exit 1', async () => {
    const result = await tuxDb(['import-tux', '--from', targetUrl, '--dry-run']);
    expect(result.code).to.equal(1);
    expect(result.stderr.trim().split('\n')).to.have.length(1);
    expect(result.stderr).to.match(/^tux-db: The source is not a Tux database .*missing guild\.id/);
  });

  it('answers bad arguments with one line, the usage and exit 2, never echoing a URL', async () => {
    const cases: [string[], RegExp][] = [
      [[], /^tux-db: import-tux takes --from URL \[--dry-run\] \[--null-case-type TYPE\]: --from names the Tux database to copy$/],
      [[from], /^tux-db: import-tux takes .*, not an argument outside them \(not shown: it may hold a password\)$/],
      [['--from'], /^tux-db: import-tux takes .*: --from once, followed by the Tux database's URL$/],
      [['--from', from, '--force'], /^tux-db: import-tux takes .*, not "--force"$/],
      [['--from', from, '--null-case-type', 'warning'], /^tux-db: --null-case-type takes a case type: BAN, UNBAN, /],
      [['--from', `mysql://root:${secret}@localhost/tux`], /^tux-db: import-tux --from must start with postgres:\/\/ or postgresql:\/\/ \(got mysql:\/\/\) \(not shown: it may hold a password\)$/],
      [['--from', `postgres://tux:${secret}@/tux`], /^tux-db: import-tux --from is not a valid URL/],
      [['--from', `postgres://tux:${secret}%C3@127.0.0.1/tux`], /^tux-db: import-tux --from has %-escapes that decode to no text/],
    ];
    for (const [args, message] of cases) {
      const result = await tuxDb(['import-tux', ...args]);
      expect(result.code, args.join(' ')).to.equal(2);
      expect(result.stderr.split('\n')[0], args.join(' ')).to.match(message);
      expect(result.stderr).to.include('Usage: tux-db');
      expectNoSecretOrStack(result, secret);
    }
  });
});
