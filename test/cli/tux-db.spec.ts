import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { Client } from 'pg';
import { ALL_MIGRATIONS } from '../../src/migrations/all-migrations';
import { asServerAdmin, createScratchDatabase, dropScratchDatabase } from '../support/test-server';
import { runCommand, type CommandResult, expectNoSecretOrStack } from '../support/run-command';

const INITIAL = ALL_MIGRATIONS[0].name;
const LATEST = ALL_MIGRATIONS[ALL_MIGRATIONS.length - 1]?.name ?? INITIAL;

describe('the tux-db command', function () {
  this.timeout(120_000);
  // A role of the test's own, so the password it looks for in the output is one no message could contain by chance.
  const role = `tux_cli_${process.pid}`;
  const secret = 'sekret-pw-4711';
  let url: string;
  const tuxDb = (args: string[], databaseUrl: string | undefined = url): Promise<CommandResult> =>
    runCommand(process.execPath, ['bin/tux-db.js', ...args], { DATABASE_URL: databaseUrl, TUX_DB_DATA_DIR: undefined });

  before(async () => {
    await asServerAdmin((c) => c.query(`CREATE ROLE ${role} LOGIN SUPERUSER PASSWORD '${secret}'`));
    const parsed = new URL(await createScratchDatabase('cli'));
    parsed.username = role;
    parsed.password = secret;
    url = parsed.toString();
  });
  after(async () => {
    await dropScratchDatabase('cli');
    await asServerAdmin((c) => c.query(`DROP ROLE IF EXISTS ${role}`));
  });

  it('lists pending migrations, applies them once, reports health, and reverts', async () => {
    const before = await tuxDb(['migrate-status']);
    expect(before.code).to.equal(0);
    expect(before.stdout).to.include(`[pending] ${INITIAL}`);

    const push = await tuxDb(['migrate-push']);
    expect(push.code, push.stderr).to.equal(0);
    expect(push.stdout).to.include(`Applied ${INITIAL}`);
    expect((await tuxDb(['migrate-push'])).stdout).to.include('No pending migrations.');
    expect((await tuxDb(['migrate-status'])).stdout).to.include(`[applied] ${INITIAL}`);

    const health = await tuxDb(['health']);
    expect(health.code, health.stderr).to.equal(0);
    expect(health.stdout).to.match(/status: healthy/).and.match(/latency: [\d.]+ ms/).and.match(/server: PostgreSQL \d+/).and.include('pending migrations: none');

    const generate = await tuxDb(['migrate-generate', 'NothingNew']);
    expect(generate.code, generate.stderr).to.equal(0);
    expect(generate.stdout).to.include('No schema changes');

    const revert = await tuxDb(['migrate-revert']);
    expect(revert.code, revert.stderr).to.equal(0);
    expect(revert.stdout).to.include(`Reverted ${LATEST}`);
    expect((await tuxDb(['migrate-status'])).stdout).to.include(`[applied] ${INITIAL}`).and.include(`[pending] ${LATEST}`);
    for (const result of [before, push, health, generate, revert]) expectNoSecretOrStack(result, secret);
  });

  it('reports an unreachable server in one line, exit 1, without the password', async () => {
    const result = await tuxDb(['health'], 'postgres://tux:sekret-pw-4711@127.0.0.1:1/tux');
    expect(result.code).to.equal(1);
    expect(result.stderr.trim().split('\n')).to.have.length(1);
    expect(result.stderr).to.match(/^tux-db: Cannot connect to PostgreSQL at postgres:\/\/tux:\*\*\*@127\.0\.0\.1:1\/tux/);
    expectNoSecretOrStack(result, secret);
  });

  it('rejects a malformed DATABASE_URL in one line, exit 1', async () => {
    const result = await tuxDb(['migrate-status'], 'mysql://root:sekret-pw-4711@localhost/db');
    expect(result.code).to.equal(1);
    expect(result.stderr).to.match(/^tux-db: Invalid DatabaseOptions: url must start with postgres:\/\//);
    expectNoSecretOrStack(result, secret);
  });

  it('answers bad arguments with usage and exit 2', async () => {
    const unknown = await tuxDb(['migrate-everything']);
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.include('unknown command "migrate-everything"').and.include('Usage: tux-db');
    const missing = await tuxDb(['migrate-generate']);
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.include('migrate-generate takes NAME [--dir DIR]');
    // Any name is slugified ('../../etc/passwd' would become etc-passwd); one with no letter or digit has nothing to write.
    const badName = await tuxDb(['migrate-generate', '../..']);
    expect(badName.code).to.equal(1);
    expect(badName.stderr).to.include('must hold a letter or a digit');
    expectNoSecretOrStack(badName, secret);
    const helpWithMore = await tuxDb(['help', 'extra']);
    expect(helpWithMore.code).to.equal(2);
    expect(helpWithMore.stderr).to.include('help takes no arguments');
  });

  it('answers help and --help with the usage (exit 0), and --version with the version alone, connecting to nothing', async () => {
    const unreachable = 'postgres://tux@127.0.0.1:1/tux';
    for (const flag of ['help', '--help', '-h']) {
      const help = await tuxDb([flag], unreachable);
      expect(help.code, flag).to.equal(0);
      expect(help.stdout, flag).to.include('Usage: tux-db <command> [args]');
    }
    const version = await tuxDb(['--version'], unreachable);
    expect(version.code).to.equal(0);
    expect(version.stdout.trim()).to.equal(`tux-database ${(JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version}`);
    expect((await tuxDb(['--version', 'x'], unreachable)).stderr).to.include('--version takes no arguments');
  });

  it('refuses a DATABASE_URL with a % that starts no escape in one line, exit 1, before connecting', async () => {
    const result = await tuxDb(['health'], 'postgres://tux:p%zz-4711@127.0.0.1:1/tux');
    expect(result.code).to.equal(1);
    expect(result.stderr.trim()).to.equal('tux-db: Invalid DatabaseOptions: url has a % that starts no escape: write a literal % in a password or name as %25');
    expect(result.stdout + result.stderr).to.not.include('4711');
  });

  it('never shows a part of a password when a usage error quotes an argument, even cut or escaped', async () => {
    const long = 'Xk9vQ2mL8pR4tY7wZ3nBcD5fGh6jK8mN0pQ2rS4t';
    const withLong = `postgres://tux_owner:${long}@127.0.0.1:1/x`;
    for (const command of ['downgrade', 'reset', 'tables']) {
      const result = await runCommand(process.execPath, ['bin/tux-db.js', command, withLong], { DATABASE_URL: withLong, TUX_DB_DATA_DIR: undefined });
      expect(result.code, command).to.equal(2);
      expect(result.stderr, command).to.include('postgres://tux_owner:***@');
      // Not even the first 10 characters of it, which a cut at 50 would have left.
      expect(result.stdout + result.stderr, command).to.not.include(long.slice(0, 10));
    }
    const quoted = 'ab"cd\\ef-4711';
    const escaped = await runCommand(process.execPath, ['bin/tux-db.js', 'downgrade', `postgres://tux:${quoted}@127.0.0.1:1/x`], { DATABASE_URL: undefined, TUX_DB_DATA_DIR: undefined });
    expect(escaped.code).to.equal(2);
    expect(escaped.stdout + escaped.stderr).to.not.include('cd').and.not.include('4711');
  });

  it('reports a failing migration in one line on stderr and prints nothing of TypeORM\'s on stdout', async () => {
    const clash = await createScratchDatabase('clash');
    try {
      const client = new Client({ connectionString: clash });
      await client.connect();
      await client.query('CREATE TABLE guild (x int)');
      await client.end();
      const result = await tuxDb(['migrate-push'], clash);
      expect(result.code).to.equal(1);
      expect(result.stdout).to.equal('');
      expect(result.stderr.trim().split('\n')).to.have.length(1);
      expect(result.stderr).to.match(/^tux-db: .*relation "guild" already exists/);
    } finally {
      await dropScratchDatabase('clash');
    }
  });

  it('masks a password holding #, / or ? that made the URL read as another host', async () => {
    const result = await tuxDb(['health'], 'postgres://tux:2024#Winter!@127.0.0.1:1/tux');
    expect(result.code).to.equal(1);
    expect(result.stdout + result.stderr).to.not.include('Winter').and.not.include('2024#');
  });
});
