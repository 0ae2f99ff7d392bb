import { expect } from 'chai';
import type { Client } from 'pg';
import { createDatabase } from '../../src/container';
import type { DatabaseCoordinator } from '../../src/coordinator';
import { CaseType } from '../../src/entities/enums';
import { UniqueViolationError } from '../../src/errors/constraint-errors';
import { importTux } from '../../src/import/import-tux';
import { TuxImportError } from '../../src/import/tux-import-error';
import { ValidationError } from '../../src/errors/validation-error';
import { TUX_IMPORT_TABLES, type TuxImportReport } from '../../src/import/tux-import-report';
import { createScratchDatabase, dropScratchDatabase, useTestServer } from '../support/test-server';
import { connectTo, createTuxSource, targetSnapshot as snapshot } from '../support/tux-import';
import { G1, G2, G3, LEVEL_ROWS, MAX_SNOWFLAKE } from './tux-source-data';

const F = `'YYYY-MM-DD HH24:MI:SS.US'`;
/** Source side: a naive-UTC timestamp as text; a missing one falls back like the import's documented rule. */
const src = (...cols: string[]): string => `coalesce(${cols.map((c) => `to_char(${c}, ${F})`).join(', ')}, 'IMPORT')`;
/** Target side: a timestamptz as UTC text; the import's own clock reads 'IMPORT'. */
const dst = (col: string): string => `CASE WHEN ${col} = $1::timestamptz THEN 'IMPORT' ELSE to_char(${col} AT TIME ZONE 'UTC', ${F}) END`;

// Per table: the target's columns, and what each must equal, written against Tux's columns by hand.
const EXPECTED: Record<string, { key: string; pairs: [string, string][] }> = {
  guild: { key: 'guild_id', pairs: [['guild_id::text', 'id::text'], ['guild_name', 'NULL::text'],
    ['case_count', `CASE id WHEN ${G1} THEN 21 WHEN ${G2} THEN 7 ELSE case_count END`],
    [dst('guild_joined_at'), src('guild_joined_at', 'created_at', 'updated_at')], [dst('created_at'), src('created_at', 'updated_at')], [dst('updated_at'), src('updated_at', 'created_at')]] },
  guild_config: { key: 'guild_id', pairs: [['guild_id::text', 'id::text'], ['prefix', 'prefix'], ['log_channel_id', 'NULL::bigint'],
    ...['mod_log_id', 'audit_log_id', 'join_log_id', 'private_log_id', 'report_log_id', 'dev_log_id', 'jail_channel_id', 'jail_role_id'].map((c): [string, string] => [`${c}::text`, `${c}::text`]),
    ['onboarding_completed', 'onboarding_completed'], ['onboarding_stage::text', 'onboarding_stage::text'], [dst('created_at'), src('created_at', 'updated_at')], [dst('updated_at'), src('updated_at', 'created_at')]] },
  cases: { key: 'case_id', pairs: [['case_id::text', 'id::text'], ['case_number', 'coalesce(case_number, CASE id WHEN 15 THEN 21 END)'],
    ['case_type::text', `coalesce(case_type::text, 'WARN')`], ['case_user_id::text', 'case_user_id::text'], ['case_moderator_id::text', 'case_moderator_id::text'],
    ['guild_id::text', 'guild_id::text'], ['case_reason', 'case_reason'], ['case_status', 'case_status'], ['case_processed', 'case_processed'],
    [`to_char(case_expires_at AT TIME ZONE 'UTC', ${F})`, `to_char(case_expires_at, ${F})`],
    ['case_user_roles::text', `CASE id WHEN 16 THEN '[]' WHEN 17 THEN '["77"]' WHEN 15 THEN '[]' ELSE '["${MAX_SNOWFLAKE}", "123456789012345678"]' END`],
    ['case_metadata::text', `CASE WHEN json_typeof(case_metadata) = 'object' THEN case_metadata::jsonb::text END`], ['mod_log_message_id::text', 'mod_log_message_id::text'],
    [dst('case_created_at'), src('created_at', 'updated_at')], [dst('case_updated_at'), src('updated_at', 'created_at')]] },
  afk: { key: 'user_id, guild_id', pairs: [['user_id::text', 'member_id::text'], ['guild_id::text', 'guild_id::text'], ['nickname', 'nickname'], ['afk_message', 'reason'],
    [dst('since'), src('since')], [`to_char(until AT TIME ZONE 'UTC', ${F})`, `CASE WHEN NOT perm_afk THEN to_char(until, ${F}) END`], ['enforced', 'enforced'], ['perm_afk', 'perm_afk']] },
  levels: { key: 'user_id, guild_id', pairs: [['user_id::text', 'member_id::text'], ['guild_id::text', 'guild_id::text'], ['xp::text', 'xp::text'], ['level', 'level'],
    ['blacklisted', 'blacklisted'], [dst('last_message'), src('last_message')]] },
  snippet: { key: 'snippet_id', pairs: [['snippet_id::text', 'id::text'], ['snippet_name', `CASE id WHEN 2 THEN 'foo-2' ELSE snippet_name END`], ['snippet_content', 'snippet_content'],
    ['snippet_user_id::text', 'snippet_user_id::text'], ['guild_id::text', 'guild_id::text'], ['uses', 'uses'], ['locked', 'locked'],
    ['alias', `CASE id WHEN 3 THEN 'foo-2' ELSE alias END`], [dst('created_at'), src('created_at', 'updated_at')], [dst('updated_at'), src('updated_at', 'created_at')]] },
  starboard: { key: 'guild_id', pairs: [['guild_id::text', 'id::text'], ['starboard_channel_id::text', 'starboard_channel_id::text'], ['starboard_emoji', 'starboard_emoji'], ['starboard_threshold', 'starboard_threshold']] },
  starboard_message: { key: 'message_id', pairs: [['message_id::text', 'id::text'], ['guild_id::text', 'message_guild_id::text'], ['message_channel_id::text', 'message_channel_id::text'],
    ['message_user_id::text', 'message_user_id::text'], ['message_content', 'message_content'], [dst('message_expires_at'), src('message_expires_at')], ['star_count', 'star_count'],
    ['starboard_message_id::text', 'starboard_message_id::text']] },
  reminder: { key: 'reminder_id', pairs: [['reminder_id::text', 'id::text'], ['reminder_content', 'reminder_content'], [dst('reminder_expires_at'), src('reminder_expires_at')],
    ['reminder_channel_id::text', 'reminder_channel_id::text'], ['reminder_user_id::text', 'reminder_user_id::text'], ['reminder_sent', 'reminder_sent'], ['guild_id::text', 'guild_id::text']] },
  permission_ranks: { key: 'permission_rank_id', pairs: [['permission_rank_id::text', 'id::text'], ['guild_id::text', 'guild_id::text'], ['rank', 'rank'], ['name', 'name'], ['description', 'description'],
    [dst('created_at'), src('created_at', 'updated_at')], [dst('updated_at'), src('updated_at', 'created_at')]] },
  permission_assignments: { key: 'assignment_id', pairs: [['assignment_id::text', 'id::text'], ['guild_id::text', 'guild_id::text'], ['permission_rank_id::text', 'permission_rank_id::text'], ['role_id::text', 'role_id::text']] },
  // 'JSK py' (id 12) is a restricted command: skipped.
  permission_commands: { key: 'command_id', pairs: [['command_id::text', 'id::text'], ['guild_id::text', 'guild_id::text'], ['command_name', 'command_name'], ['required_rank', 'required_rank'],
    [dst('created_at'), src('created_at', 'updated_at')], [dst('updated_at'), src('updated_at', 'created_at')]] },
};
const SOURCE_FILTER: Record<string, string> = { permission_commands: 'WHERE id <> 12' };
const SOURCE_KEY: Record<string, string> = { afk: 'member_id, guild_id', levels: 'member_id, guild_id', starboard_message: 'id', guild_config: 'id', guild: 'id', starboard: 'id' };

function importTime(report: TuxImportReport): string {
  const hit = report.issues.map((i) => /the import time \((.+)\)/.exec(i.resolution)).find((m) => m !== null);
  if (!hit?.[1]) throw new Error('no row fell back to the import time');
  return hit[1];
}

describe('importTux', function () {
  this.timeout(120_000);
  useTestServer();
  let sourceUrl: string;
  let targetUrl: string;
  let source: Client;
  let target: Client;
  let db: DatabaseCoordinator;

  before(async () => {
    sourceUrl = await createTuxSource('tux_source');
    targetUrl = await createScratchDatabase('tux_target');
    source = await connectTo(sourceUrl);
    db = await createDatabase({ url: targetUrl, migrate: true });
    target = await connectTo(targetUrl);
  });

  after(async () => {
    await db?.close();
    await source?.end();
    await target?.end();
    await dropScratchDatabase('tux_source');
    await dropScratchDatabase('tux_target');
  });

  it('refuses bad options with a ValidationError naming the option, before it connects to the source', async () => {
    // An address nothing listens on: connecting would fail with a TuxImportError, so a ValidationError shows none was tried.
    const nowhere = 'postgres://postgres@127.0.0.1:1/none';
    const call = importTux as (url: unknown, target: unknown, options: unknown) => Promise<unknown>;
    for (const [options, field] of [[{ batchRows: 0 }, 'batchRows'], [{ batchRows: 1.5 }, 'batchRows'], [{ batchRows: '50' }, 'batchRows'], [{ dryRun: 'yes' }, 'dryRun'], [{ nullCaseType: 'warn' }, 'nullCaseType']] as const) {
      await expect(call(nowhere, db.service, options), JSON.stringify(options)).to.be.rejectedWith(ValidationError, new RegExp(`${field} must`));
    }
    await expect(importTux(nowhere, db.service)).to.be.rejectedWith(TuxImportError, /could not connect to the Tux database/);
  });

  it('refuses a NULL case type without nullCaseType, naming the row and the option, and writes nothing', async () => {
    const before = await snapshot(target);
    const error = await importTux(sourceUrl, db.service).then(() => undefined, (e: unknown) => e);
    expect(error).to.be.instanceOf(TuxImportError);
    const refused = (error as TuxImportError).issues;
    expect(refused.map((i) => [i.table, i.key, i.column])).to.deep.equal([['cases', { id: '16' }, 'case_type']]);
    expect((error as TuxImportError).message).to.contain('nullCaseType');
    expect(await snapshot(target)).to.equal(before);
  });

  it('dry run: reports the counts and every resolution, and writes nothing (no row, no sequence)', async () => {
    const before = await snapshot(target);
    const report = await importTux(sourceUrl, db.service, { dryRun: true, nullCaseType: CaseType.WARN });
    expect(report.dryRun).to.equal(true);
    expect(report.alembicRevision).to.equal('b83284093e38');
    expect(report.tables.guild).to.deep.equal({ source: 3, inserted: 3, alreadyPresent: 0, skipped: 0, refused: 0 });
    expect(report.tables.cases).to.deep.equal({ source: 17, inserted: 17, alreadyPresent: 0, skipped: 0, refused: 0 });
    expect(report.tables.levels.inserted).to.equal(LEVEL_ROWS);
    expect(report.tables.permission_commands).to.deep.equal({ source: 3, inserted: 2, alreadyPresent: 0, skipped: 1, refused: 0 });
    expect(report.identities).to.deep.equal({ 'cases.case_id': '17', 'snippet.snippet_id': '4', 'reminder.reminder_id': '9', 'permission_ranks.permission_rank_id': '8', 'permission_assignments.assignment_id': '6', 'permission_commands.command_id': '13' });
    const described = report.issues.map((i) => `${i.table} ${Object.values(i.key).join('/')} ${i.column} ${i.action}`);
    expect(described).to.include.members([
      `guild ${G2} case_count resolve`,
      `guild ${G2} guild_joined_at resolve`,
      `guild ${G3} created_at resolve`,
      'cases 15 case_number resolve',
      'cases 16 case_type resolve',
      'cases 16 case_user_roles resolve',
      'cases 16 case_metadata resolve',
      'cases 17 case_user_roles resolve',
      'snippet 2 snippet_name resolve',
      'snippet 3 alias resolve',
      `afk 3/${G1} until resolve`,
      'permission_commands 11 description resolve',
      'permission_commands 12 command_name skip',
    ]);
    expect(report.issues.filter((i) => i.action === 'refuse')).to.deep.equal([]);
    expect(await snapshot(target)).to.equal(before);
  });

  it('a failure mid-import (after snippets were copied) leaves the target exactly as it was', async () => {
    const before = await snapshot(target);
    const boom = new Error('forced failure');
    const error = await importTux(sourceUrl, db.service, {
      nullCaseType: CaseType.WARN,
      afterTable: (t) => {
        if (t === 'snippet') throw boom;
      },
    }).then(() => undefined, (e: unknown) => e);
    expect((error as { cause?: unknown } | undefined)?.cause ?? error).to.equal(boom);
    expect(await snapshot(target)).to.equal(before);
  });

  it('a target that already holds different rows under imported keys is refused, and left as it was', async () => {
    await target.query(`INSERT INTO guild (guild_id) VALUES ($1)`, [G1]);
    await target.query(`INSERT INTO cases (case_number, case_type, case_user_id, case_moderator_id, guild_id) VALUES (1, 'WARN', 1, 1, $1)`, [G1]);
    try {
      const before = await snapshot(target);
      const error = await importTux(sourceUrl, db.service, { nullCaseType: CaseType.WARN }).then(() => undefined, (e: unknown) => e);
      expect(error).to.be.instanceOf(TuxImportError);
      expect((error as TuxImportError).issues.map((i) => [i.table, i.key])).to.deep.equal([['guild', { guild_id: G1 }], ['cases', { case_id: '1' }]]);
      expect(await snapshot(target)).to.equal(before);
    } finally {
      await target.query(`DELETE FROM guild WHERE guild_id = $1`, [G1]);
    }
  });

  it('an imported id the target holds in another guild is refused, not written a second time under the (id, guild_id) key', async () => {
    // Tux's case 17 belongs to G2; here case_id 17 already belongs to a guild Tux does not have.
    const other = '1100000000000000099';
    await target.query(`INSERT INTO guild (guild_id) VALUES ($1)`, [other]);
    await target.query(
      `INSERT INTO cases (case_id, case_number, case_type, case_user_id, case_moderator_id, guild_id) OVERRIDING SYSTEM VALUE VALUES (17, 1, 'WARN', 1, 1, $1)`,
      [other],
    );
    try {
      const before = await snapshot(target);
      const error = await importTux(sourceUrl, db.service, { nullCaseType: CaseType.WARN }).then(() => undefined, (e: unknown) => e);
      expect(error).to.be.instanceOf(TuxImportError);
      expect((error as TuxImportError).issues.map((i) => [i.table, i.key])).to.deep.equal([['cases', { case_id: '17' }]]);
      expect(await snapshot(target)).to.equal(before);
      const dryRun = await importTux(sourceUrl, db.service, { nullCaseType: CaseType.WARN, dryRun: true });
      expect(dryRun.tables.cases).to.include({ refused: 1 });
      expect(dryRun.tables.cases.inserted + dryRun.tables.cases.refused).to.equal(dryRun.tables.cases.source);
    } finally {
      await target.query(`DELETE FROM guild WHERE guild_id = $1`, [other]);
    }
  });

  it('a constraint the copy breaks in the target (a snippet name taken ignoring case) aborts with its typed error; nothing stays', async () => {
    // G2 as the import would write it (so it counts as already present), plus a snippet 'FOO' Tux's 'foo' (id 4) clashes with.
    const at = `'2021-05-05 05:05:05+00'`;
    await target.query(`INSERT INTO guild (guild_id, guild_joined_at, created_at, updated_at) VALUES ($1, ${at}, ${at}, ${at})`, [G2]);
    await target.query(`INSERT INTO snippet (snippet_id, snippet_name, snippet_user_id, guild_id) OVERRIDING SYSTEM VALUE VALUES (500, 'FOO', 1, $1)`, [G2]);
    try {
      const before = await snapshot(target);
      const error = await importTux(sourceUrl, db.service, { nullCaseType: CaseType.WARN }).then(() => undefined, (e: unknown) => e);
      expect(error).to.be.instanceOf(UniqueViolationError);
      expect(await snapshot(target)).to.equal(before);
    } finally {
      await target.query(`DELETE FROM guild WHERE guild_id = $1`, [G2]);
    }
  });

  describe('after an import', () => {
    let report: TuxImportReport;
    before(async () => {
      report = await importTux(sourceUrl, db.service, { nullCaseType: CaseType.WARN, batchRows: 50 });
    });

    it('copies every table row by row as mapped, ids digit for digit and timestamps as UTC', async () => {
      const at = importTime(report);
      for (const [table, { key, pairs }] of Object.entries(EXPECTED)) {
        const actual = await target.query(`SELECT ${pairs.map(([t], i) => `${t} AS c${i}`).join(', ')} FROM "${table}" ORDER BY ${key}`, pairs.some(([t]) => t.includes('$1')) ? [at] : []);
        const expected = await source.query(
          `SELECT ${pairs.map(([, s], i) => `${s} AS c${i}`).join(', ')} FROM "${table}" ${SOURCE_FILTER[table] ?? ''} ORDER BY ${SOURCE_KEY[table] ?? 'id'}`,
        );
        expect(actual.rows, table).to.deep.equal(expected.rows);
        expect(actual.rows.length, table).to.be.greaterThan(0);
      }
    });

    it('reports the counts it wrote and moves each identity past the largest imported id', async () => {
      expect(report.tables.cases.inserted).to.equal(17);
      expect(report.caseCountsRaised).to.equal(2);
      const next = await target.query<{ id: string }>(`INSERT INTO reminder (reminder_content, reminder_expires_at, reminder_channel_id, reminder_user_id, guild_id) VALUES ('x', now(), 1, 1, $1) RETURNING reminder_id::text AS id`, [G1]);
      expect(next.rows[0]?.id).to.equal('10');
      await target.query(`DELETE FROM reminder WHERE reminder_id = 10`);
    });

    it('a re-run changes nothing and says every row was already present', async () => {
      const before = await snapshot(target);
      const again = await importTux(sourceUrl, db.service, { nullCaseType: CaseType.WARN });
      for (const t of TUX_IMPORT_TABLES) expect(again.tables[t].inserted, t).to.equal(0);
      expect(again.tables.cases.alreadyPresent).to.equal(17);
      expect(again.caseCountsRaised).to.equal(0);
      expect(again.identities).to.deep.equal({});
      expect(await snapshot(target)).to.equal(before);
    });

    it('numbering continues: createCase gives the next number after the imported ones and case_count', async () => {
      const c1 = await db.case.createCase({ caseType: CaseType.WARN, caseUserId: '9', caseModeratorId: '9', guildId: G1 });
      const c2 = await db.case.createCase({ caseType: CaseType.WARN, caseUserId: '9', caseModeratorId: '9', guildId: G2 });
      const c3 = await db.case.createCase({ caseType: CaseType.WARN, caseUserId: '9', caseModeratorId: '9', guildId: G3 });
      expect([c1.caseNumber, c2.caseNumber, c3.caseNumber]).to.deep.equal([22, 8, 1]);
      expect(Number(c1.caseId)).to.be.greaterThan(17);
      await target.query(`DELETE FROM cases WHERE case_id = ANY($1::bigint[])`, [[c1.caseId, c2.caseId, c3.caseId]]);
      await target.query(`UPDATE guild SET case_count = CASE guild_id WHEN $1::bigint THEN 21 WHEN $2::bigint THEN 7 ELSE 0 END`, [G1, G2]);
    });

    it('the imported rows read back through the repositories with every digit', async () => {
      const found = await db.case.getCaseByNumber(1, G1);
      expect(found?.caseUserId).to.equal(MAX_SNOWFLAKE);
      expect(found?.caseUserRoles).to.deep.equal([MAX_SNOWFLAKE, '123456789012345678']);
      expect(found?.modLogMessageId).to.equal(MAX_SNOWFLAKE);
    });

    it('refuses a command name over 100 characters (no safe cut) and writes nothing', async () => {
      await source.query(`INSERT INTO permission_commands (id, guild_id, command_name, required_rank) VALUES (99, $1, $2, 1)`, [G3, 'x'.repeat(150)]);
      try {
        const before = await snapshot(target);
        const error = await importTux(sourceUrl, db.service, { nullCaseType: CaseType.WARN }).then(() => undefined, (e: unknown) => e);
        expect(error).to.be.instanceOf(TuxImportError);
        expect((error as TuxImportError).issues.map((i) => [i.table, i.key, i.column, i.action])).to.deep.equal([['permission_commands', { id: '99' }, 'command_name', 'refuse']]);
        expect(await snapshot(target)).to.equal(before);
        const dry = await importTux(sourceUrl, db.service, { nullCaseType: CaseType.WARN, dryRun: true });
        expect(dry.issues.filter((i) => i.action === 'refuse')).to.have.length(1);
        // Every row read is in exactly one column: the refused one in 'refused', not lost between the others.
        expect(dry.tables.permission_commands).to.deep.include({ source: 4, refused: 1 });
        const c = dry.tables.permission_commands;
        expect(c.inserted + c.alreadyPresent + c.skipped + c.refused).to.equal(c.source);
      } finally {
        await source.query(`DELETE FROM permission_commands WHERE id = 99`);
      }
    });
  });

  it('refuses a source that is not Tux’s schema, naming what is missing', async () => {
    const error = await importTux(targetUrl, db.service, { dryRun: true }).then(() => undefined, (e: unknown) => e);
    expect(error).to.be.instanceOf(TuxImportError);
    expect((error as Error).message).to.match(/missing guild\.id/);
  });
});
