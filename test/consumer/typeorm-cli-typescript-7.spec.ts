import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { ALL_MIGRATIONS } from '../../src/migrations/all-migrations';
import { createScratchDatabase, dropScratchDatabase } from '../support/test-server';
import { expectSuccess, packedConsumer, runIn } from '../support/packed-consumer';

// The failure: a bot's `npm i -D typescript` gets TypeScript 7, which has no JS API, so ts-node and the
// typeorm CLI on node_modules/tux-database/ormconfig.ts crash. The documented path is the compiled data source,
// which needs no TypeScript at run time: run here exactly as the README shows, from the bot's project, with the
// bot's own migration compiled by the bot's TypeScript 7 and loaded through TUX_DB_MIGRATIONS.

const BOT = 'AddBotNotes1797000000000';
/** The bot's migration as migrate-generate writes it (the shape a bot author edits). */
const BOT_MIGRATION_TS = `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${BOT} implements MigrationInterface {
  name = '${BOT}';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE TABLE "bot_note" ("note_id" serial PRIMARY KEY, "guild_id" bigint NOT NULL REFERENCES "guild" ("guild_id") ON DELETE CASCADE)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "bot_note"');
  }
}
`;
const DATA_SOURCE = 'node_modules/tux-database/dist/ormconfig.js';

describe('the typeorm CLI in a consumer project with TypeScript 7', function () {
  this.timeout(300_000);
  let dir = '';
  let env: Record<string, string | undefined>;
  const typeorm = (command: string): ReturnType<typeof runIn> => runIn(dir, 'npx', ['--no-install', 'typeorm', command, '-d', DATA_SOURCE], env, 120_000);

  before(async function () {
    this.timeout(240_000);
    dir = await packedConsumer();
    const bot = path.join(dir, 'ts7-bot');
    await mkdir(path.join(bot, 'migrations'), { recursive: true });
    await writeFile(path.join(bot, 'migrations', '1797000000000-add-bot-notes.ts'), BOT_MIGRATION_TS);
    // As `tsc --init` sets it up (skipLibCheck: TypeORM's own declarations are not the point here).
    const compilerOptions = { target: 'ES2022', module: 'commonjs', strict: true, skipLibCheck: true, rootDir: '.', outDir: 'dist', types: ['node'] };
    await writeFile(path.join(bot, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['migrations'] }, null, 2));
    // The bot's TypeScript (7, checked below) compiles its migration: tsc emits even on errors, so its exit code counts.
    expectSuccess('tsc -p ts7-bot', await runIn(dir, 'npx', ['--no-install', 'tsc', '-p', 'ts7-bot'], {}));
    env = { DATABASE_URL: await createScratchDatabase('ts7'), TUX_DB_DATA_DIR: undefined, TUX_DB_MIGRATIONS: path.join(bot, 'dist', 'migrations') };
  });
  after(() => dropScratchDatabase('ts7'));

  it('has TypeScript 7 and no ts-node installed', async () => {
    const manifest = JSON.parse(await readFile(path.join(dir, 'node_modules', 'typescript', 'package.json'), 'utf8')) as { version: string };
    expect(manifest.version).to.match(/^7\./);
    await expect(readFile(path.join(dir, 'node_modules', 'ts-node', 'package.json'))).to.be.rejected;
    const version = await runIn(dir, 'npx', ['--no-install', 'tsc', '--version'], {});
    expect(version.stdout).to.match(/Version 7\./);
  });

  it('shows and runs the library’s migrations, then the bot’s, through the compiled data source', async () => {
    const pending = await typeorm('migration:show');
    expect(pending.code, pending.stdout + pending.stderr).to.equal(0);
    expect(pending.stdout.match(/\[ \] \w+/g)).to.deep.equal([...ALL_MIGRATIONS.map((m) => `[ ] ${m.name}`), `[ ] ${BOT}`]);

    const run = await typeorm('migration:run');
    expectSuccess('typeorm migration:run', run);
    for (const name of [...ALL_MIGRATIONS.map((m) => m.name), BOT]) expect(run.stdout).to.include(`Migration ${name} has been executed successfully`);

    const shown = await typeorm('migration:show');
    expect(shown.stdout.match(/\[X\] \d+ \w+/g)).to.deep.equal([...ALL_MIGRATIONS.map((m) => m.name), BOT].map((name, i) => `[X] ${i + 1} ${name}`));
    // tux-db, installed beside it, agrees: nothing pending, nothing unknown, no drift.
    const check = await runIn(dir, 'npx', ['--no-install', 'tux-db', 'migrate-check'], env);
    expectSuccess('tux-db migrate-check', check);
  });
});
