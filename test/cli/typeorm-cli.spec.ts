import { expect } from 'chai';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ALL_MIGRATIONS } from '../../src/migrations/all-migrations';
import { createScratchDatabase, dropScratchDatabase } from '../support/test-server';
import { ROOT, runCommand, type CommandResult } from '../support/run-command';

const INITIAL = ALL_MIGRATIONS[0].name;
const LATEST = ALL_MIGRATIONS[ALL_MIGRATIONS.length - 1]?.name ?? INITIAL;
const TYPEORM_CLI = path.join(ROOT, 'node_modules', 'typeorm', 'cli-ts-node-commonjs.js');

describe('the typeorm CLI on ormconfig.ts', function () {
  this.timeout(180_000);
  const typeorm = (args: string[], env: Record<string, string | undefined>): Promise<CommandResult> =>
    runCommand(process.execPath, [TYPEORM_CLI, ...args, '-d', 'ormconfig.ts'], { TS_NODE_TRANSPILE_ONLY: 'true', ...env }, 90_000);

  describe('with DATABASE_URL', () => {
    let env: Record<string, string | undefined>;
    before(async () => {
      env = { DATABASE_URL: await createScratchDatabase('typeorm') };
    });
    after(() => dropScratchDatabase('typeorm'));

    it('shows, runs, checks and reverts the migrations', async () => {
      const pending = await typeorm(['migration:show'], env);
      expect(pending.stdout, pending.stderr).to.include(`[ ] ${INITIAL}`);
      const run = await typeorm(['migration:run'], env);
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stdout).to.include(`Migration ${INITIAL} has been executed successfully`);
      const check = await typeorm(['migration:generate', 'src/migrations/DriftCheck', '--check'], env);
      expect(check.code, check.stdout + check.stderr).to.equal(0);
      expect(check.stdout).to.include('No changes in database schema were found');
      expect((await typeorm(['migration:show'], env)).stdout).to.include(`[X] 1 ${INITIAL}`);
      const revert = await typeorm(['migration:revert'], env);
      expect(revert.code, revert.stderr).to.equal(0);
      expect(revert.stdout).to.include(`Migration ${LATEST} has been reverted successfully`);
    });
  });

  describe('without DATABASE_URL (embedded server)', () => {
    let dataDir: string;
    before(async () => {
      dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tux-db-typeorm-'));
    });
    after(() => fs.rm(dataDir, { recursive: true, force: true }));

    it('starts the embedded server, migrates, and exits because the server stops with the DataSource', async () => {
      const env = { DATABASE_URL: undefined, TUX_DB_DATA_DIR: dataDir };
      const run = await typeorm(['migration:run'], env);
      expect(run.code, run.stderr).to.equal(0);
      const show = await typeorm(['migration:show'], env);
      expect(show.code, show.stderr).to.equal(0);
      expect(show.stdout).to.include(`[X] 1 ${INITIAL}`);
      await expect(fs.access(path.join(dataDir, 'postmaster.pid')), 'the server stopped').to.be.rejected;
    });
  });
});
