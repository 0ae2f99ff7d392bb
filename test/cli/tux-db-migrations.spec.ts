import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { expect } from 'chai';
import { ALL_MIGRATIONS } from '../../src/migrations/all-migrations';
import { createScratchDatabase, dropScratchDatabase } from '../support/test-server';
import { ROOT, type CommandResult } from '../support/run-command';

const LIBRARY = ALL_MIGRATIONS.map((m) => m.name);
const BOT = 'AddBotNotes1797000000000';

/** A bot's compiled migration (what its tsc emits as CommonJS): a table of its own that references the library's guild. */
const BOT_MIGRATION_JS = `'use strict';
class ${BOT} {
  constructor() { this.name = '${BOT}'; }
  async up(queryRunner) {
    await queryRunner.query('CREATE TABLE "bot_note" ("note_id" serial PRIMARY KEY, "guild_id" bigint NOT NULL REFERENCES "guild" ("guild_id") ON DELETE CASCADE, "body" text NOT NULL)');
  }
  async down(queryRunner) {
    await queryRunner.query('DROP TABLE "bot_note"');
  }
}
exports.${BOT} = ${BOT};
`;

/** Runs the compiled tux-db from `cwd` (a bot's project, not this repository), as `npx tux-db` would. */
function tuxDbIn(cwd: string, args: string[], env: Record<string, string | undefined>): Promise<CommandResult> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'tux-db.js'), ...args], {
    cwd,
    env: { ...process.env, TUX_DB_DATA_DIR: undefined, TUX_DB_MIGRATIONS: undefined, TUX_DB_MIGRATIONS_DIR: undefined, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

const lines = (text: string): string[] => text.trim().split('\n');

describe('tux-db and the bot’s own migrations', function () {
  this.timeout(120_000);
  let url: string;
  let bot: string;
  let compiled: string;
  const tuxDb = (args: string[], env: Record<string, string | undefined> = {}): Promise<CommandResult> =>
    tuxDbIn(bot, args, { DATABASE_URL: url, TUX_DB_MIGRATIONS: compiled, ...env });
  const query = async (sql: string): Promise<unknown[]> => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  };

  before(async () => {
    url = await createScratchDatabase('botmig');
    bot = await mkdtemp(path.join(os.tmpdir(), 'tux-db-bot-'));
    await chmod(bot, 0o755);
    compiled = path.join(bot, 'dist', 'migrations');
    await mkdir(compiled, { recursive: true });
    await writeFile(path.join(compiled, `1797000000000-add-bot-notes.js`), BOT_MIGRATION_JS);
    // Declarations and source maps beside the .js files are not migrations.
    await writeFile(path.join(compiled, `1797000000000-add-bot-notes.d.ts`), `export declare class ${BOT} {}\n`);
  });
  after(async () => {
    await dropScratchDatabase('botmig');
    await rm(bot, { recursive: true, force: true });
  });

  it('lists, applies, checks and reverts the bot’s migrations after the library’s', async () => {
    const status = await tuxDb(['migrate-status']);
    expect(status.code, status.stderr).to.equal(0);
    expect(lines(status.stdout)).to.deep.equal([...LIBRARY, BOT].map((n) => `[pending] ${n}`));

    const push = await tuxDb(['migrate-push']);
    expect(push.code, push.stderr).to.equal(0);
    expect(lines(push.stdout)).to.deep.equal([...LIBRARY, BOT].map((n) => `Applied ${n}`));
    expect(await query('SELECT count(*)::int AS n FROM "bot_note"')).to.deep.equal([{ n: 0 }]);

    const check = await tuxDb(['migrate-check']);
    expect(check.code, check.stdout + check.stderr).to.equal(0);
    const history = await tuxDb(['history']);
    expect(history.code, history.stderr).to.equal(0);
    expect(history.stdout).to.include(BOT).and.include(`${LIBRARY.length + 1} applied, 0 pending`).and.not.include('unknown');

    // Without TUX_DB_MIGRATIONS the bot's applied migration is one this code does not know: the check fails.
    const blind = await tuxDb(['migrate-check'], { TUX_DB_MIGRATIONS: undefined });
    expect(blind.code).to.equal(1);
    expect(blind.stdout + blind.stderr).to.include(BOT);

    const revert = await tuxDb(['migrate-revert']);
    expect(revert.code, revert.stderr).to.equal(0);
    expect(revert.stdout.trim()).to.equal(`Reverted ${BOT}`);
    expect(await query(`SELECT to_regclass('bot_note') IS NULL AS gone`)).to.deep.equal([{ gone: true }]);
    const pending = await tuxDb(['migrate-check']);
    expect(pending.code, 'a pending bot migration fails the check').to.equal(1);
    expect((await tuxDb(['migrate-push'])).stdout.trim()).to.equal(`Applied ${BOT}`);
  });

  it('migrate-check and check both exit 1 on drift between the entities and the database', async () => {
    await query('ALTER TABLE "guild" ALTER COLUMN "guild_name" TYPE varchar(50)');
    try {
      for (const command of ['migrate-check', 'check']) {
        const drift = await tuxDb([command]);
        expect(drift.code, `${command}: ${drift.stdout}${drift.stderr}`).to.equal(1);
        expect(drift.stdout + drift.stderr).to.include('guild_name');
      }
    } finally {
      await query('ALTER TABLE "guild" ALTER COLUMN "guild_name" TYPE varchar(100)');
    }
    expect((await tuxDb(['migrate-check'])).code).to.equal(0);
  });

  it('migrate-generate slugifies any name and writes into the bot’s ./migrations by default', async () => {
    await query('ALTER TABLE "guild" ALTER COLUMN "guild_name" TYPE varchar(50)');
    try {
      const generate = await tuxDb(['migrate-generate', 'add new field']);
      expect(generate.code, generate.stderr).to.equal(0);
      const written = await readdir(path.join(bot, 'migrations'));
      expect(written).to.have.length(1);
      const [file] = written as [string];
      expect(file).to.match(/^\d{13}-add-new-field\.ts$/);
      const timestamp = file.slice(0, 13);
      expect(generate.stdout).to.include(path.join(bot, 'migrations', file)).and.include(`AddNewField${timestamp}`).and.include('migrations option');
      const source = await readFile(path.join(bot, 'migrations', file), 'utf8');
      expect(source).to.include(`export class AddNewField${timestamp} implements MigrationInterface`).and.include(`name = 'AddNewField${timestamp}'`);
      expect(source).to.match(/ALTER TABLE \\"guild\\" .*guild_name/);

      // TUX_DB_MIGRATIONS_DIR, then --dir over it; a name given as separate words, with punctuation, works too.
      const envDir = path.join(bot, 'db', 'from-env');
      const fromEnv = await tuxDb(['migrate-generate', 'Widen/the', 'guild name!'], { TUX_DB_MIGRATIONS_DIR: envDir });
      expect(fromEnv.code, fromEnv.stderr).to.equal(0);
      expect(await readdir(envDir)).to.satisfy((files: string[]) => files.length === 1 && /^\d{13}-widen-the-guild-name\.ts$/.test(files[0] ?? ''));
      const flagDir = path.join(bot, 'db', 'from-flag');
      const fromFlag = await tuxDb(['migrate-generate', '--dir', flagDir, 'addNewField'], { TUX_DB_MIGRATIONS_DIR: envDir });
      expect(fromFlag.code, fromFlag.stderr).to.equal(0);
      expect(await readdir(flagDir)).to.satisfy((files: string[]) => files.length === 1 && /^\d{13}-add-new-field\.ts$/.test(files[0] ?? ''));
      expect(await readdir(envDir)).to.have.length(1);
    } finally {
      await query('ALTER TABLE "guild" ALTER COLUMN "guild_name" TYPE varchar(100)');
    }
  });

  it('migrate-generate refuses while migrations are pending, and takes no name without a letter or digit', async () => {
    const pendingDir = path.join(bot, 'never');
    const fresh = await createScratchDatabase('botmig_fresh');
    try {
      const refused = await tuxDb(['migrate-generate', 'everything', '--dir', pendingDir], { DATABASE_URL: fresh });
      expect(refused.code).to.equal(1);
      expect(lines(refused.stderr)).to.have.length(1);
      expect(refused.stderr).to.match(/^tux-db: .*pending migration\(s\).*migrate-push/);
    } finally {
      await dropScratchDatabase('botmig_fresh');
    }
    const noName = await tuxDb(['migrate-generate', '../..', '--dir', pendingDir]);
    expect(noName.code).to.equal(1);
    expect(noName.stderr).to.include('must hold a letter or a digit');
    const usage = await tuxDb(['migrate-generate', '--dir']);
    expect(usage.code).to.equal(2);
    expect(usage.stderr).to.include('migrate-generate takes NAME [--dir DIR]');
    await expect(readdir(pendingDir)).to.be.rejected;
  });

  it('refuses TUX_DB_MIGRATIONS that is missing or holds a bad migration, in one line, before connecting', async () => {
    const unreachable = 'postgres://tux@127.0.0.1:1/tux';
    const missing = await tuxDb(['migrate-status'], { DATABASE_URL: unreachable, TUX_DB_MIGRATIONS: path.join(bot, 'nowhere') });
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.match(/^tux-db: Invalid DatabaseOptions: env\.TUX_DB_MIGRATIONS .*nowhere does not exist/);
    expect(lines(missing.stderr)).to.have.length(1);

    const bad = path.join(bot, 'bad');
    await mkdir(bad);
    await writeFile(path.join(bad, 'clash.js'), `exports.migrations = [class ${LIBRARY[0]} { async up() {} async down() {} }];\n`);
    const clash = await tuxDb(['migrate-status'], { DATABASE_URL: unreachable, TUX_DB_MIGRATIONS: bad });
    expect(clash.code).to.equal(1);
    expect(clash.stderr).to.match(/^tux-db: Invalid DatabaseOptions: migrations migrations\[0\] .* is one of tux-database's own migrations/);
    expect(clash.stderr).to.not.include('Cannot connect');
  });
});
