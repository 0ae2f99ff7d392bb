import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { Client } from 'pg';
import { ALL_MIGRATIONS } from '../../src/migrations/all-migrations';
import { createScratchDatabase, dropScratchDatabase, useTestServer } from '../support/test-server';
import { ROOT, runCommand, type CommandResult } from '../support/run-command';
import { directUrl } from '../support/behind-pooler';

const INITIAL = ALL_MIGRATIONS[0].name;
const LATEST = ALL_MIGRATIONS[ALL_MIGRATIONS.length - 1]?.name ?? INITIAL;
const ENTITY_TABLES = ['afk', 'cases', 'guild', 'guild_config', 'guild_permissions', 'levels', 'permission_assignments', 'permission_commands', 'permission_ranks', 'reminder', 'snippet', 'starboard', 'starboard_message'];

// The read-only operational commands (#16 item 4), each run as `node bin/tux-db.js …` on a scratch database.
describe('the tux-db operational commands', function () {
  this.timeout(120_000);
  useTestServer();
  let url: string;
  const tuxDb = (args: string[]): Promise<CommandResult> => runCommand(process.execPath, ['bin/tux-db.js', ...args], { DATABASE_URL: url, TUX_DB_DATA_DIR: undefined });
  // The spec's own sessions go to the server itself: through a pooler, a backend pid says nothing of the session.
  const sql = async <T>(fn: (c: Client) => Promise<T>): Promise<T> => {
    const client = new Client({ connectionString: directUrl(url) });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  };
  const expectNoStack = (result: CommandResult): void => {
    expect(result.stdout + result.stderr).to.not.match(/^\s+at /m);
  };

  before(async () => {
    url = await createScratchDatabase('ops');
  });
  after(() => dropScratchDatabase('ops'));

  it('history and version show nothing applied, then every migration in the order it was applied', async () => {
    const empty = await tuxDb(['history']);
    expect(empty.code, empty.stderr).to.equal(0);
    expect(empty.stdout).to.include('No migration applied.').and.include(`0 applied, ${ALL_MIGRATIONS.length} pending (${INITIAL}`);
    const before = await tuxDb(['version']);
    expect(before.code, before.stderr).to.equal(0);
    expect(before.stdout).to.include('latest migration: none');

    expect((await tuxDb(['migrate-push'])).code).to.equal(0);
    const history = await tuxDb(['history']);
    expect(history.code, history.stderr).to.equal(0);
    const rows = history.stdout.split('\n').filter((line) => /^\d+ +\d{4}-\d\d-\d\d /.test(line));
    expect(rows.map((line) => line.split(/\s+/)[2])).to.deep.equal(ALL_MIGRATIONS.map((m) => m.name));
    expect(rows.map((line) => line.split(/\s+/)[0])).to.deep.equal(ALL_MIGRATIONS.map((_, i) => String(i + 1)));
    expect(history.stdout).to.include(`${ALL_MIGRATIONS.length} applied, 0 pending`);

    const version = await tuxDb(['version']);
    expect(version.code, version.stderr).to.equal(0);
    const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const serverVersion = await sql(async (c) => (await c.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0]?.v);
    expect(version.stdout.split('\n').slice(0, 3)).to.deep.equal([
      `tux-database ${manifest.version}`,
      `server: PostgreSQL ${serverVersion}`,
      `latest migration: ${LATEST} (${ALL_MIGRATIONS.length} applied; this version has ${ALL_MIGRATIONS.length})`,
    ]);
    for (const result of [empty, before, history, version]) expectNoStack(result);
  });

  it('tables lists every table with its rows, estimated after ANALYZE or counted with --exact, and its size', async () => {
    await sql((c) => c.query(`INSERT INTO guild (guild_id) VALUES (9100000000000000001), (9100000000000000002), (9100000000000000003)`));
    const exact = await tuxDb(['tables', '--exact']);
    expect(exact.code, exact.stderr).to.equal(0);
    const rowOf = (out: string, table: string): string[] => out.split('\n').find((line) => line.startsWith(`${table} `))?.split(/\s{2,}/) ?? [];
    for (const table of [...ENTITY_TABLES, 'migrations']) expect(rowOf(exact.stdout, table), table).to.have.length(5);
    expect(rowOf(exact.stdout, 'guild')[1]).to.equal('3');
    expect(rowOf(exact.stdout, 'cases')[1]).to.equal('0');
    expect(rowOf(exact.stdout, 'migrations')[1]).to.equal(String(ALL_MIGRATIONS.length));
    expect(rowOf(exact.stdout, 'guild')[2]).to.match(/^\d+ (bytes|kB|MB)$/);
    expect(exact.stdout).to.include('rows counted exactly');

    await sql((c) => c.query('ANALYZE guild'));
    const estimated = await tuxDb(['tables']);
    expect(estimated.code, estimated.stderr).to.equal(0);
    expect(rowOf(estimated.stdout, 'guild')[1]).to.equal('~3');
    expect(estimated.stdout).to.include('estimates');

    const bad = await tuxDb(['tables', '--fast']);
    expect(bad.code).to.equal(2);
    expect(bad.stderr.split('\n')[0]).to.equal('tux-db: tables takes only --exact, not "--fast"');
    expectNoStack(bad);
  });

  it('queries shows a blocked statement and the session blocking it, never its own query', async () => {
    const holder = new Client({ connectionString: directUrl(url), application_name: 'ops-holder' });
    const waiter = new Client({ connectionString: directUrl(url), application_name: 'ops-waiter' });
    await holder.connect();
    await waiter.connect();
    try {
      const holderPid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
      const waiterPid = (await waiter.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE guild IN ACCESS EXCLUSIVE MODE');
      const blocked = waiter.query('SELECT count(*) FROM guild');
      // Wait until the server reports the waiter as waiting on the lock (a state, not a time).
      await sql(async (c) => {
        for (;;) {
          const rows = (await c.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND wait_event_type = $2', [waiterPid, 'Lock'])).rows;
          if (rows.length > 0) return;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      });
      const result = await tuxDb(['queries']);
      expect(result.code, result.stderr).to.equal(0);
      const lineOf = (pid: number | undefined): string => result.stdout.split('\n').find((line) => line.startsWith(`pid ${pid},`)) ?? '';
      expect(lineOf(waiterPid)).to.include(`blocked by ${holderPid}`).and.include('ops-waiter');
      expect(lineOf(holderPid)).to.include('blocking others').and.include('idle in transaction');
      expect(result.stdout).to.include('SELECT count(*) FROM guild').and.include('LOCK TABLE guild');
      expect(result.stdout, 'its own query is left out').to.not.include('pg_blocking_pids');
      await holder.query('ROLLBACK');
      await blocked;
    } finally {
      await holder.end();
      await waiter.end();
    }
    const calm = await tuxDb(['queries']);
    expect(calm.code, calm.stderr).to.equal(0);
    expect(calm.stdout.trim()).to.equal('No long-running or blocked queries (threshold 300 s).');
    const everything = await tuxDb(['queries', '--longer-than', '0']);
    expect(everything.stdout, 'its own query is left out at any threshold').to.not.include('pg_blocking_pids');

    for (const args of [['--longer-than', 'x'], ['--longer-than', '-1'], ['--slower']]) {
      const bad = await tuxDb(['queries', ...args]);
      expect(bad.code, args.join(' ')).to.equal(2);
      expect(bad.stderr.split('\n')[0]).to.match(/^tux-db: queries takes only --longer-than SECONDS/);
      expectNoStack(bad);
    }
  });

  it('check exits 0 only when every migration is applied, none is unknown, and the tables match the entities', async () => {
    const ok = await tuxDb(['check']);
    expect(ok.code, ok.stderr).to.equal(0);
    expect(ok.stdout).to.include('No drift');

    expect((await tuxDb(['migrate-revert'])).code).to.equal(0);
    const pending = await tuxDb(['check']);
    expect(pending.code).to.equal(1);
    expect(pending.stderr.trim()).to.equal(`tux-db: check failed: 1 pending migration(s) (${LATEST}): run tux-db migrate-push, then check again`);
    expect((await tuxDb(['migrate-push'])).code).to.equal(0);

    await sql((c) => c.query(`INSERT INTO migrations ("timestamp", "name") VALUES (1999999999999, 'FromTheFuture1999999999999')`));
    const ahead = await tuxDb(['check']);
    expect(ahead.code).to.equal(1);
    expect(ahead.stderr).to.include('1 applied migration(s) this version does not have (FromTheFuture1999999999999)');
    expect((await tuxDb(['history'])).stdout).to.include('FromTheFuture1999999999999 (not in this version of tux-database)');
    await sql((c) => c.query(`DELETE FROM migrations WHERE "name" = 'FromTheFuture1999999999999'`));

    // Drift: the entities declare an index the database no longer has.
    await sql((c) => c.query('DROP INDEX "ix_cases_guild_created"'));
    const drift = await tuxDb(['check']);
    expect(drift.code).to.equal(1);
    expect(drift.stdout).to.match(/CREATE INDEX "ix_cases_guild_created" ON "cases"/);
    expect(drift.stderr.trim()).to.match(/^tux-db: check failed: the tables differ from the entities \(1 statement\(s\) to align them, above\): write a migration with tux-db migrate-generate NAME$/);
    for (const result of [ok, pending, ahead, drift]) expectNoStack(result);
  });
});
