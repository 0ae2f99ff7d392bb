import { expect } from 'chai';
import type { Client } from 'pg';
import { createDatabase } from '../../src/container';
import type { DatabaseCoordinator } from '../../src/coordinator';
import { TuxImportError } from '../../src/import/tux-import-error';
import { importTux } from '../../src/import/import-tux';
import { connectTo } from '../support/tux-import';
import { createScratchDatabase, dropScratchDatabase, useTestServer } from '../support/test-server';
import { TUX_DDL } from './tux-source-data';

// Values a real Tux database can hold that the shared fixture (tux-source-data.ts) does not: each case here was a
// defect found by running an import on such data.
describe('importTux at the edges of what Tux’s schema holds', function () {
  this.timeout(120_000);
  useTestServer();
  const guildId = '1100000000000000500';
  let source: Client;
  let target: Client;
  let sourceUrl: string;
  let db: DatabaseCoordinator;

  before(async () => {
    sourceUrl = await createScratchDatabase('tux_edge_source');
    source = await connectTo(sourceUrl);
    await source.query(TUX_DDL);
    await source.query(`INSERT INTO guild (id, case_count) VALUES ($1, 2)`, [guildId]);
    // A case written with a date before year 1 (a bad clock, or a test row): Tux's TIMESTAMP holds it, BC and all.
    await source.query(
      `INSERT INTO cases (id, guild_id, case_number, case_type, case_reason, case_user_id, case_moderator_id, case_status, case_processed, case_user_roles, created_at, updated_at) VALUES
         (1, $1, 1, 'WARN', 'ancient', 2, 3, true, false, '[]', '0044-03-15 12:00:00 BC', '0044-03-15 12:00:00 BC'),
         (2, $1, 2, 'TEMPBAN', 'no end yet', 2, 3, true, false, '[]', '2024-01-01 00:00:00', '2024-01-01 00:00:00')`,
      [guildId],
    );
    const targetUrl = await createScratchDatabase('tux_edge_target');
    db = await createDatabase({ url: targetUrl, migrate: true });
    target = await connectTo(targetUrl);
  });

  after(async () => {
    await db?.close();
    await source?.end();
    await target?.end();
    await dropScratchDatabase('tux_edge_source');
    await dropScratchDatabase('tux_edge_target');
  });

  it('keeps a date before year 1 in its era (BC), to the microsecond', async () => {
    await importTux(sourceUrl, db.service);
    const { rows } = await target.query<{ at: string }>(`SELECT to_char(case_created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US BC') AS at FROM cases WHERE case_id = 1`);
    expect(rows[0]?.at).to.equal('0044-03-15 12:00:00.000000 BC');
  });

  it('refuses a re-run when the bot set a value where Tux has NULL (an end given to a tempban since)', async () => {
    await target.query(`UPDATE cases SET case_expires_at = '2030-01-01T00:00:00Z' WHERE case_id = 2`);
    const error = await importTux(sourceUrl, db.service).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(TuxImportError);
    expect((error as TuxImportError).issues.map((i) => [i.table, i.key])).to.deep.equal([['cases', { case_id: '2' }]]);
    const { rows } = await target.query<{ at: Date | null }>(`SELECT case_expires_at AS at FROM cases WHERE case_id = 2`);
    expect(rows[0]?.at?.toISOString(), 'the bot’s value stays').to.equal(new Date('2030-01-01T00:00:00Z').toISOString());
  });
});
