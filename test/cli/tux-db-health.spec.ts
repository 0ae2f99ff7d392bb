import { expect } from 'chai';
import { ALL_MIGRATIONS } from '../../src/migrations/all-migrations';
import { DatabaseService } from '../../src/service/database-service';
import { applyMigrations, revertLastMigration } from '../../src/service/migrations';
import { createScratchDatabase, dropScratchDatabase } from '../support/test-server';
import { runCommand, type CommandResult } from '../support/run-command';

const LATEST = ALL_MIGRATIONS[ALL_MIGRATIONS.length - 1]?.name ?? ALL_MIGRATIONS[0].name;

describe('tux-db health', function () {
  this.timeout(120_000);
  let url: string;
  const tuxDbHealth = (): Promise<CommandResult> =>
    runCommand(process.execPath, ['bin/tux-db.js', 'health'], { DATABASE_URL: url, TUX_DB_DATA_DIR: undefined });
  const onDatabase = async (fn: (service: DatabaseService) => Promise<unknown>): Promise<void> => {
    const service = new DatabaseService({ url, migrate: false });
    await service.connect();
    try {
      await fn(service);
    } finally {
      await service.disconnect();
    }
  };

  beforeEach(async () => {
    url = await createScratchDatabase('cli_health');
    await onDatabase((s) => applyMigrations(s.dataSource));
  });
  after(() => dropScratchDatabase('cli_health'));

  it('exits 0 on a migrated primary and prints its role, pool and schema', async () => {
    const result = await tuxDbHealth();
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stderr).to.equal('');
    expect(result.stdout).to.match(/status: healthy/).and.match(/server: PostgreSQL \d+.*, primary\n/).and.match(/pool: \d+ open/);
    expect(result.stdout).to.include('pending migrations: none').and.include('schema drift: none');
  });

  it('exits 1 with one line naming the pending migration when the last one is reverted', async () => {
    await onDatabase((s) => revertLastMigration(s.dataSource));
    const result = await tuxDbHealth();
    expect(result.code).to.equal(1);
    expect(result.stdout).to.include('status: degraded').and.include(`pending migrations: ${LATEST}`);
    expect(result.stderr.trim().split('\n')).to.deep.equal([`tux-db: health is degraded: 1 pending migration(s) (${LATEST}): run tux-db migrate-push`]);
  });

  it('exits 1 with one line saying the schema differs from the entities', async () => {
    await onDatabase((s) => s.dataSource.query('ALTER TABLE "afk" DROP COLUMN "nickname"'));
    const result = await tuxDbHealth();
    expect(result.code).to.equal(1);
    expect(result.stdout).to.include('status: degraded').and.match(/schema drift: yes, \d+ statement/);
    const lines = result.stderr.trim().split('\n');
    expect(lines).to.have.length(1);
    expect(lines[0]).to.match(/^tux-db: health is degraded: the schema differs from the entities \(\d+ statement\(s\) to align it\): run tux-db migrate-generate NAME/);
  });
});
