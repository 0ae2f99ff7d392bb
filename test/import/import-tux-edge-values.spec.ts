import { expect } from 'chai';
import type { Client } from 'pg';
import { createDatabase } from '../../src/container';
import type { DatabaseCoordinator } from '../../src/coordinator';
import { TuxImportError } from '../../src/import/tux-import-error';
import { importTux } from '../../src/import/import-tux';
import type { TuxImportReport } from '../../src/import/tux-import-report';
import { MAX_XP } from '../../src/entities/level-formula';
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
    // XP Tux's CHECK (xp >= 0) lets in and this schema's writes refuse.
    await source.query(
      `INSERT INTO levels (member_id, guild_id, xp, level, blacklisted, last_message) VALUES
         (11, $1, 'NaN', 3, false, '2024-01-01'), (12, $1, 'Infinity', 3, false, '2024-01-01'), (13, $1, 1e18, 3, false, '2024-01-01'),
         (14, $1, 1e-300, 0, false, '2024-01-01'), (15, $1, 500, 2, false, '2024-01-01')`,
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

  let first: TuxImportReport;

  it('keeps a date before year 1 in its era (BC), to the microsecond', async () => {
    first = await importTux(sourceUrl, db.service);
    const { rows } = await target.query<{ at: string }>(`SELECT to_char(case_created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US BC') AS at FROM cases WHERE case_id = 1`);
    expect(rows[0]?.at).to.equal('0044-03-15 12:00:00.000000 BC');
  });

  it('imports XP the library would refuse as the nearest it keeps, each reported: NaN and specks as 0, past MAX_XP as MAX_XP', async () => {
    const { rows } = await target.query<{ user_id: string; xp: number }>(`SELECT user_id::text, xp FROM levels ORDER BY user_id`);
    expect(rows.map((r) => [r.user_id, r.xp])).to.deep.equal([
      ['11', 0],
      ['12', MAX_XP],
      ['13', MAX_XP],
      ['14', 0],
      ['15', 500],
    ]);
    const xpIssues = first.issues.filter((i) => i.table === 'levels').map((i) => [i.key, i.action, i.resolution]);
    expect(xpIssues).to.deep.equal([
      [{ member_id: '11', guild_id: guildId }, 'resolve', 'imported as 0'],
      [{ member_id: '12', guild_id: guildId }, 'resolve', `imported as ${MAX_XP}`],
      [{ member_id: '13', guild_id: guildId }, 'resolve', `imported as ${MAX_XP}`],
      [{ member_id: '14', guild_id: guildId }, 'resolve', 'imported as 0'],
    ]);
    expect((await db.levels.addXp('11', guildId, 10)).xp, 'XP counts on from what was imported').to.equal(10);
  });

  it('refuses a re-run when the bot set a value where Tux has NULL (an end given to a tempban since)', async () => {
    await target.query(`UPDATE cases SET case_expires_at = '2030-01-01T00:00:00Z' WHERE case_id = 2`);
    const error = await importTux(sourceUrl, db.service).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(TuxImportError);
    // (The level row the test above gave XP differs too, and is refused as well.)
    expect((error as TuxImportError).issues.filter((i) => i.table === 'cases').map((i) => i.key)).to.deep.equal([{ case_id: '2' }]);
    const { rows } = await target.query<{ at: Date | null }>(`SELECT case_expires_at AS at FROM cases WHERE case_id = 2`);
    expect(rows[0]?.at?.toISOString(), 'the bot’s value stays').to.equal(new Date('2030-01-01T00:00:00Z').toISOString());
  });
});
