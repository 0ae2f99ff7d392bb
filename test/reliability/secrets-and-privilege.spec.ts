import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { Client } from 'pg';
import sinon from 'sinon';
import { main } from '../../src/cli/main';
import { createDatabase } from '../../src/container';
import type { DatabaseCoordinator } from '../../src/coordinator';
import { CaseType } from '../../src/entities/enums';
import { DatabaseError } from '../../src/errors/database-error';
import { DatabaseService } from '../../src/service/database-service';
import { directUrl, skipBehindPooler } from '../support/behind-pooler';
import { randomSnowflake } from '../support/fixtures';
import { createScratchDatabase, dropScratchDatabase, testDatabaseUrl } from '../support/test-server';
import { tally, tallyLine } from '../fixtures/reliability-tally';

const counts = tally('secrets-and-privilege');

/**
 * The runtime role's grants, exactly as docs/operators.md ("Migrating production") documents them (`:db` and `:role`
 * are filled in). Migrations run as the owner; the runtime role reads and writes rows, and nothing else.
 */
const RUNTIME_GRANTS = [
  'GRANT CONNECT ON DATABASE :db TO :role',
  'GRANT USAGE ON SCHEMA public TO :role',
  'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :role',
  'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :role',
  // The runtime only reads the migrations table (health() lists pending migrations).
  'REVOKE INSERT, UPDATE, DELETE ON TABLE migrations FROM :role',
  // Tables and sequences later migrations create (run by the owner) get the same grants.
  'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :role',
  'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO :role',
];

/** `url` as `user` with `password`. */
function asUser(url: string, user: string, password: string): string {
  const parsed = new URL(url);
  parsed.username = user;
  parsed.password = password;
  return parsed.toString();
}

/** Everything an error can show: message, stack and the whole cause chain, as console.log would print it. */
function everything(e: unknown): string {
  return `${inspect(e, { depth: 10, showHidden: false })}\n${JSON.stringify(e, Object.getOwnPropertyNames(e ?? {}))}`;
}

describe('secrets and least privilege', function () {
  this.timeout(60_000);
  const role = `tux_runtime_${process.pid}_${randomBytes(3).toString('hex')}`;
  const secret = `pw-${randomBytes(9).toString('base64url')}-Zq`;
  let ownerUrl: string;
  let roleUrl: string;
  let owner: Client;
  let admin: Client;
  const opened: DatabaseCoordinator[] = [];
  const warnings: string[] = [];
  const expectNoSecret = (text: string, where: string): void => {
    expect(text, where).to.not.include(secret);
  };

  before(async () => {
    ownerUrl = await createScratchDatabase('privilege');
    const migrate = new DatabaseService({ url: ownerUrl, migrate: true });
    await migrate.connect();
    await migrate.disconnect();
    const database = new URL(ownerUrl).pathname.slice(1);
    owner = new Client({ connectionString: ownerUrl });
    await owner.connect();
    admin = new Client({ connectionString: directUrl(testDatabaseUrl()) });
    await admin.connect();
    await admin.query(`CREATE ROLE "${role}" WITH LOGIN PASSWORD '${secret}'`);
    // Nothing through PUBLIC: the role has exactly the grants below.
    await owner.query(`REVOKE ALL ON DATABASE "${database}" FROM PUBLIC`);
    await owner.query('REVOKE ALL ON SCHEMA public FROM PUBLIC');
    for (const grant of RUNTIME_GRANTS) await owner.query(grant.replace(':db', `"${database}"`).replace(':role', `"${role}"`));
    roleUrl = asUser(ownerUrl, role, secret);
  });

  after(async () => {
    for (const db of opened) await db.close();
    // Revoke everything the role holds (its grants and default privileges), then drop it.
    await owner.query(`DROP OWNED BY "${role}"`);
    await owner.end();
    await dropScratchDatabase('privilege');
    await admin.query(`DROP ROLE IF EXISTS "${role}"`);
    await admin.end();
    console.log(`      ${tallyLine('secrets-and-privilege')}`);
  });

  /**
   * Captures process warnings and console output into `warnings` instead of printing them (with slowQueryMs 1 every
   * statement warns); TypeORM reports its own slow statements (BEGIN, COMMIT, SELECT version()) on the console.
   */
  const captureWarnings = (): sinon.SinonSandbox => {
    const quiet = sinon.createSandbox();
    quiet.stub(process, 'emitWarning').callsFake((warning: string | Error, type?: unknown) => {
      warnings.push(`${typeof type === 'string' ? type : ''}: ${String(warning)}`);
    });
    quiet.stub(console, 'warn').callsFake((...args: unknown[]) => void warnings.push(`console.warn: ${args.join(' ')}`));
    quiet.stub(console, 'log').callsFake((...args: unknown[]) => void warnings.push(`console.log: ${args.join(' ')}`));
    return quiet;
  };

  const openAsRole = async (options: Parameters<typeof createDatabase>[0] = {}): Promise<DatabaseCoordinator> => {
    const db = await createDatabase({ url: roleUrl, migrate: false, ...options });
    opened.push(db);
    return db;
  };

  it('runs the library as a role with only CONNECT, USAGE and SELECT/INSERT/UPDATE/DELETE (migrations by the owner)', async () => {
    const db = await openAsRole();
    expect((await db.service.query<{ u: string }>('SELECT current_user AS u', [])).rows[0]?.u).to.equal(role);
    const guildId = randomSnowflake();
    const first = await db.case.createCase({ caseType: CaseType.BAN, caseUserId: '11', caseModeratorId: '22', guildId, caseReason: 'as the runtime role' });
    expect(first.caseNumber).to.equal(1);
    const [config, created] = await db.guildConfig.getOrCreate({ guildId }, { prefix: '?' });
    expect([config.prefix, created]).to.deep.equal(['?', true]);
    expect((await db.levels.addXp('11', guildId, 25)).xp).to.equal(25);
    await db.reminder.createReminder({ reminderContent: 'due', reminderExpiresAt: new Date(Date.now() - 1_000), reminderChannelId: '5', reminderUserId: '11', guildId });
    expect((await db.reminder.claimDueReminders()).map((r) => r.reminderContent)).to.include('due');
    const second = await db.transaction(async () => {
      const c = await db.case.createCase({ caseType: CaseType.KICK, caseUserId: '11', caseModeratorId: '22', guildId });
      await db.snippet.createSnippet({ snippetName: 'rules', snippetContent: 'be nice', snippetUserId: '22', guildId });
      await db.guild.updateGuildName(guildId, 'Runtime Role Guild');
      return c;
    });
    expect(second.caseNumber).to.equal(2);
    expect(await db.case.count({ filters: { guildId } })).to.equal(2);
    const health = await db.health();
    expect(health.status).to.equal('healthy');
    expect(health.pendingMigrations).to.deep.equal([]);
    await db.guild.deleteGuild(guildId);

    // createDatabase's default (migrate: true) also works for it when nothing is pending: it only reads.
    const migrating = await createDatabase({ url: roleUrl });
    opened.push(migrating);
    expect((await migrating.health()).status).to.equal('healthy');
  });

  it('gives the role no DDL and no writes to the migrations table, while the owner’s later tables reach it', async () => {
    const db = await openAsRole();
    for (const statement of ['DROP TABLE cases', 'CREATE TABLE intruder (id int)', 'TRUNCATE guild', "INSERT INTO migrations (timestamp, name) VALUES (1, 'Fake1')", 'ALTER TABLE cases DROP COLUMN case_reason']) {
      const failure = await db.service.query(statement, []).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(failure, statement).to.be.instanceOf(DatabaseError);
      expect((failure as Error).message, statement).to.match(/42501/);
      counts.faults++;
    }
    // A table a later migration (run by the owner) creates is usable at once: the default privileges cover it.
    await owner.query('CREATE TABLE probe (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, note text)');
    try {
      await db.service.query("INSERT INTO probe (note) VALUES ('x')", []);
      expect((await db.service.query<{ n: string }>('SELECT count(*) AS n FROM probe', [])).rows[0]?.n).to.equal('1');
    } finally {
      await owner.query('DROP TABLE probe');
    }
  });

  it('never shows the DATABASE_URL password: errors, health, CLI output, slow-query warnings, the logged db object', async () => {
    const unreachable = asUser('postgres://x@127.0.0.1:1/tux', role, secret);
    const wrongDatabase = new URL(roleUrl);
    wrongDatabase.pathname = '/no_such_database_here';
    const wrongPassword = asUser(ownerUrl, role, `${secret}-wrong`);
    // 1. Errors of every kind of failed connection, with their whole cause chain.
    for (const url of [unreachable, wrongDatabase.toString(), wrongPassword]) {
      const failure = await createDatabase({ url, migrate: false, acquireTimeoutMs: 2_000 }).then(
        async (db) => {
          await db.close();
          return undefined;
        },
        (e: unknown) => e,
      );
      if (url === wrongPassword && failure === undefined) continue; // trust authentication ignores passwords
      expect(failure, url.replace(secret, '***')).to.be.instanceOf(DatabaseError);
      expectNoSecret(everything(failure), `error for ${url.replace(secret, '***')}`);
      expect((failure as Error).message).to.include(':***@');
      counts.faults++;
    }
    // 2. Health, while healthy (after its login is revoked: the next test). A statement of 1 ms or more is "slow"
    // (slowQueryMs 1): the process warnings it emits are captured instead of printed.
    const quiet = captureWarnings();
    try {
      const db = await openAsRole({ slowQueryMs: 1 });
      await db.case.createCase({ caseType: CaseType.WARN, caseUserId: '1', caseModeratorId: '2', guildId: randomSnowflake(), caseReason: `canary ${secret}` }).catch(() => undefined);
      // A fast server can answer every statement above in under 1 ms; this one cannot, so a warning is certain.
      await db.service.query('SELECT pg_sleep(0.005)', []);
      expectNoSecret(JSON.stringify(await db.health()), 'healthy health()');
      // Logging the database object itself (a bot author debugging) shows the URL with the password masked.
      expectNoSecret(inspect(db), 'console.log(db)');
      expectNoSecret(inspect(db, { depth: 8 }), 'util.inspect(db, { depth: 8 })');
      expectNoSecret(inspect(db.case, { depth: 8 }), 'util.inspect(a repository)');
      expectNoSecret(JSON.stringify(db.service), 'JSON.stringify(db.service)');
      expect(inspect(db.service)).to.include(`${role}:***@`);
      expect(warnings.some((w) => w.startsWith('TuxDatabaseSlowQuery: Slow query')), 'slow-query warnings were emitted (slowQueryMs 1)').to.equal(true);
    } finally {
      quiet.restore();
    }
    // 3. Slow-query warnings carry SQL text only: neither the password nor parameter values.
    for (const w of warnings) {
      expectNoSecret(w, 'a process warning');
      expect(w).to.not.include('canary');
    }
    // 4. CLI output, printed through its default console printers and through raw ones (no redaction at all).
    const saved = process.env['DATABASE_URL'];
    const printed: string[] = [];
    const sandbox = sinon.createSandbox();
    sandbox.stub(console, 'log').callsFake((...args: unknown[]) => void printed.push(args.join(' ')));
    sandbox.stub(console, 'error').callsFake((...args: unknown[]) => void printed.push(args.join(' ')));
    try {
      for (const url of [roleUrl, unreachable, wrongDatabase.toString()]) {
        process.env['DATABASE_URL'] = url;
        for (const argv of [['health'], ['migrate-status'], ['migrate-generate', 'Nope'], ['nonsense']]) {
          await main(argv);
          await main(argv, (l) => printed.push(l), (l) => printed.push(l));
          counts.hostileInputs++;
        }
      }
    } finally {
      sandbox.restore();
      if (saved === undefined) delete process.env['DATABASE_URL'];
      else process.env['DATABASE_URL'] = saved;
    }
    expect(printed.join('\n')).to.include('status: healthy').and.include('Cannot connect to PostgreSQL');
    expectNoSecret(printed.join('\n'), 'CLI output');
  });

  it('never shows the password in health() or a statement’s error once the role’s login is revoked and its sessions ended', async function () {
    skipBehindPooler(
      this,
      'PgBouncer does not fail a client it already let in when the server then refuses the role: it holds its queries until query_wait_timeout (120 s), and health() has no bound of its own',
    );
    const quiet = captureWarnings();
    try {
      const db = await openAsRole({ slowQueryMs: 1 });
      expect((await db.health()).status).to.equal('healthy');
      await admin.query(`ALTER ROLE "${role}" NOLOGIN`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1', [role]);
      counts.faults++;
      const refused = await db.health();
      expect(refused.status).to.not.equal('healthy');
      expectNoSecret(JSON.stringify(refused), 'health() after the login was revoked');
      const failure = await db.guild.count().catch((e: unknown) => e);
      expect(failure).to.be.instanceOf(DatabaseError);
      expectNoSecret(everything(failure), 'a statement after the login was revoked');
    } finally {
      quiet.restore();
      await admin.query(`ALTER ROLE "${role}" LOGIN`);
    }
    for (const w of warnings) expectNoSecret(w, 'a process warning');
  });
});
