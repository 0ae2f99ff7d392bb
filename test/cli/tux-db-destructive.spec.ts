import { expect } from 'chai';
import { Client } from 'pg';
import { ALL_MIGRATIONS } from '../../src/migrations/all-migrations';
import { createScratchDatabase, dropScratchDatabase, useTestServer } from '../support/test-server';
import { runCommand, type CommandResult } from '../support/run-command';

const INITIAL = ALL_MIGRATIONS[0].name;
const LATEST = ALL_MIGRATIONS[ALL_MIGRATIONS.length - 1]?.name ?? INITIAL;
const SAFE_ENV = { TUX_DB_DATA_DIR: undefined, TUX_DB_ALLOW_RESET: undefined, NODE_ENV: undefined, ENVIRONMENT: undefined, APP_ENV: undefined };

// downgrade, reset and nuke (#16 item 4), each spawned as `node bin/tux-db.js …` on scratch databases of their own.
describe('the tux-db commands that undo migrations or wipe the database', function () {
  this.timeout(120_000);
  useTestServer();
  let url: string;
  const tuxDb = (args: string[], env: Record<string, string | undefined> = {}): Promise<CommandResult> =>
    runCommand(process.execPath, ['bin/tux-db.js', ...args], { DATABASE_URL: url, ...SAFE_ENV, ...env });
  const sql = async <T>(fn: (c: Client) => Promise<T>, databaseUrl = url): Promise<T> => {
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  };
  const appliedNames = (): Promise<string[]> =>
    sql(async (c) => (await c.query<{ name: string }>(`SELECT name FROM migrations ORDER BY id`).catch(() => ({ rows: [] }))).rows.map((r) => r.name));
  const tablesOf = (databaseUrl = url): Promise<string[]> =>
    sql(async (c) => (await c.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).rows.map((r) => r.t), databaseUrl);
  const expectOneLineNoStack = (result: CommandResult): void => {
    expect(result.stdout + result.stderr).to.not.match(/^\s+at /m);
    expect(result.stderr).to.match(/^tux-db: [^\n]+\n/);
  };

  beforeEach(async () => {
    url = await createScratchDatabase('destroy');
    expect((await tuxDb(['migrate-push'])).code).to.equal(0);
  });
  afterEach(() => dropScratchDatabase('destroy'));

  it('downgrade N reverts the N latest migrations, newest first', async () => {
    const result = await tuxDb(['downgrade', String(ALL_MIGRATIONS.length)]);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout.trim().split('\n')).to.deep.equal([...ALL_MIGRATIONS].reverse().map((m) => `Reverted ${m.name}`));
    expect(await appliedNames()).to.deep.equal([]);
    expect(await tablesOf()).to.deep.equal(['migrations']);

    const none = await tuxDb(['downgrade', '1']);
    expect(none.code).to.equal(1);
    expect(none.stderr.trim()).to.equal('tux-db: Invalid downgrade: count is 1, but only 0 migration(s) are applied: nothing was reverted');
  });

  it('downgrade reverts all N or none: more than are applied, or one revert failing, leaves every migration applied', async () => {
    const tooMany = await tuxDb(['downgrade', String(ALL_MIGRATIONS.length + 1)]);
    expect(tooMany.code).to.equal(1);
    expect(tooMany.stderr).to.include(`but only ${ALL_MIGRATIONS.length} migration(s) are applied: nothing was reverted`);
    expectOneLineNoStack(tooMany);
    expect(await appliedNames()).to.deep.equal(ALL_MIGRATIONS.map((m) => m.name));

    // A view on cases makes the initial migration's DROP TABLE "cases" fail after the latest one was reverted.
    await sql((c) => c.query('CREATE VIEW open_cases AS SELECT case_id FROM cases'));
    const failing = await tuxDb(['downgrade', String(ALL_MIGRATIONS.length)]);
    expect(failing.code).to.equal(1);
    expect(failing.stderr).to.include('cannot drop table cases because other objects depend on it');
    expectOneLineNoStack(failing);
    expect(await appliedNames(), 'the latest migration was put back too').to.deep.equal(ALL_MIGRATIONS.map((m) => m.name));
    const indexes = await sql(async (c) => (await c.query(`SELECT 1 FROM pg_indexes WHERE indexname = 'ix_cases_guild_created'`)).rowCount);
    expect(indexes, `${LATEST}'s index is still there`).to.equal(1);
  });

  it('downgrade answers a missing or malformed count with one line and exit 2', async () => {
    for (const args of [[], ['x'], ['-1'], ['0'], ['1.5'], ['1', '2'], ['1e3']]) {
      const result = await tuxDb(['downgrade', ...args]);
      expect(result.code, args.join(' ')).to.equal(2);
      expect(result.stderr.split('\n')[0]).to.match(/^tux-db: downgrade takes the number of migrations to revert \(a whole number ≥ 1\), not /);
      expectOneLineNoStack(result);
    }
    expect(await appliedNames()).to.deep.equal(ALL_MIGRATIONS.map((m) => m.name));
  });

  it('reset --force drops the library’s tables with their rows and migrates again, leaving other tables alone', async () => {
    await sql(async (c) => {
      await c.query(`INSERT INTO guild (guild_id) VALUES (9100000000000000001)`);
      await c.query('CREATE TABLE operator_notes (note text)');
    });
    const result = await tuxDb(['reset', '--force']);
    expect(result.code, result.stderr).to.equal(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).to.match(/^Resetting postgres:\/\/.*tux_test_\d+_destroy$/);
    expect(lines[1]).to.match(/^Dropped 14 table\(s\): afk, cases, guild, /);
    expect(lines.slice(2)).to.deep.equal(ALL_MIGRATIONS.map((m) => `Applied ${m.name}`));
    expect(await sql(async (c) => (await c.query('SELECT count(*)::int AS n FROM guild')).rows[0]?.n)).to.equal(0);
    expect(await tablesOf()).to.include('operator_notes').and.include('cases');
    expect(await appliedNames()).to.deep.equal(ALL_MIGRATIONS.map((m) => m.name));
    const check = await tuxDb(['check']);
    expect(check.code, check.stderr).to.equal(0);
  });

  it('nuke --force empties the schema, keeps its owner and privileges, and applies no migration', async () => {
    await sql((c) => c.query('CREATE TABLE operator_notes (note text)'));
    const schemaState = (): Promise<unknown> =>
      sql(async (c) => (await c.query(`SELECT nspowner::regrole::text AS owner, nspacl::text AS acl, obj_description(oid, 'pg_namespace') AS comment FROM pg_namespace WHERE nspname = 'public'`)).rows[0]);
    const before = await schemaState();
    const result = await tuxDb(['nuke', '--force']);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.match(/Dropped schema public with 15 table\(s\) \(afk, cases, .*operator_notes.*\) and created it again, empty\./);
    expect(await tablesOf()).to.deep.equal([]);
    expect(await schemaState()).to.deep.equal(before);
    const status = await tuxDb(['migrate-status']);
    expect(status.stdout.trim().split('\n')).to.deep.equal(ALL_MIGRATIONS.map((m) => `[pending] ${m.name}`));
    expect((await tuxDb(['migrate-push'])).code).to.equal(0);
    expect(await appliedNames()).to.deep.equal(ALL_MIGRATIONS.map((m) => m.name));
  });

  it('reset and nuke refuse without --force (exit 2) and change nothing', async () => {
    await sql((c) => c.query(`INSERT INTO guild (guild_id) VALUES (9100000000000000001)`));
    for (const [command, ...args] of [['reset'], ['nuke'], ['reset', '--yes'], ['nuke', '--force', 'now']] as const) {
      const result = await tuxDb([command, ...args]);
      expect(result.code, `${command} ${args.join(' ')}`).to.equal(2);
      expect(result.stderr.split('\n')[0]).to.match(args.length === 0 ? new RegExp(`^tux-db: ${command} drops .*: add --force to confirm$`) : new RegExp(`^tux-db: ${command} takes only --force`));
      expectOneLineNoStack(result);
    }
    expect(await sql(async (c) => (await c.query('SELECT count(*)::int AS n FROM guild')).rows[0]?.n)).to.equal(1);
  });

  it('reset and nuke refuse a remote host, a production-looking name or a production environment (exit 1) unless TUX_DB_ALLOW_RESET=1', async () => {
    const remote = await tuxDb(['reset', '--force'], { DATABASE_URL: 'postgres://tux:sekret-pw-4711@db.invalid.example:5432/tux' });
    expect(remote.code).to.equal(1);
    expect(remote.stderr.trim()).to.equal(
      'tux-db: refusing to reset: the host db.invalid.example is not this machine (only localhost, 127.0.0.0/8, ::1 or a Unix socket may be reset); set TUX_DB_ALLOW_RESET=1 to override',
    );
    expect(remote.stdout + remote.stderr).to.not.include('sekret-pw-4711');

    const production = await tuxDb(['nuke', '--force'], { NODE_ENV: 'production' });
    expect(production.code).to.equal(1);
    expect(production.stderr.trim()).to.equal('tux-db: refusing to nuke: NODE_ENV is production; set TUX_DB_ALLOW_RESET=1 to override');
    expect(await tablesOf(), 'nothing was dropped').to.include('cases');

    const prodUrl = await createScratchDatabase('prod');
    try {
      await sql((c) => c.query('CREATE TABLE keep_me (x int)'), prodUrl);
      const named = await tuxDb(['nuke', '--force'], { DATABASE_URL: prodUrl });
      expect(named.code).to.equal(1);
      expect(named.stderr).to.match(/^tux-db: refusing to nuke: the database name "tux_test_\d+_prod" looks like production/);
      expect(await tablesOf(prodUrl)).to.deep.equal(['keep_me']);

      // The same database named only where pg also looks: PGDATABASE, for a URL with no database in it.
      const withoutDatabase = new URL(prodUrl);
      const database = withoutDatabase.pathname.slice(1);
      withoutDatabase.pathname = '';
      const fromEnvironment = await tuxDb(['nuke', '--force'], { DATABASE_URL: withoutDatabase.toString(), PGDATABASE: database });
      expect(fromEnvironment.code, fromEnvironment.stdout).to.equal(1);
      expect(fromEnvironment.stderr).to.match(/^tux-db: refusing to nuke: the database name "tux_test_\d+_prod" looks like production/);
      expect(await tablesOf(prodUrl)).to.deep.equal(['keep_me']);

      const allowed = await tuxDb(['nuke', '--force'], { DATABASE_URL: prodUrl, TUX_DB_ALLOW_RESET: '1' });
      expect(allowed.code, allowed.stderr).to.equal(0);
      expect(await tablesOf(prodUrl)).to.deep.equal([]);
    } finally {
      await dropScratchDatabase('prod');
    }
  });
});
