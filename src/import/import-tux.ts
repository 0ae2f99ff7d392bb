import { Client } from 'pg';
import { DataSource, type QueryRunner } from 'typeorm';
import { CaseType } from '../entities/enums';
import { checkDatabaseUrl } from '../database-url';
import { ValidationError } from '../errors/validation-error';
import { checkOptions } from '../query/check-options';
import { convertError } from '../errors/convert-error';
import { DatabaseService } from '../service/database-service';
import { COPY_BATCH_ROWS, copyBatch } from './copy-batch';
import { readTuxTable } from './read-tux-table';
import { TuxImportError } from './tux-import-error';
import { emptyCounts, type TuxImportIssue, type TuxImportReport } from './tux-import-report';
import { planTuxImport, type TuxImportPlan } from './tux-plan';
import type { RowContext } from './tux-row-context';
import { TABLE_SPECS, type TableSpec } from './tux-tables';
import { thrownText } from '../errors/thrown-text';

/** Options of importTux. */
export interface ImportTuxOptions {
  /** Report what would be imported, then roll back: nothing is written and no sequence moves. */
  readonly dryRun?: boolean | undefined;
  /** The type given to Tux cases whose case_type is NULL; unset, such cases refuse the import. */
  readonly nullCaseType?: CaseType | undefined;
  /** Rows read and written per statement (default 2000). */
  readonly batchRows?: number | undefined;
  /** Called after each table is copied, inside the transaction (for progress; a throw rolls everything back). */
  readonly afterTable?: ((table: string) => void | Promise<void>) | undefined;
}

/**
 * Copies a live Tux database (its schema at Alembic head as of Tux c0e1a1e8) into this library's schema, in one
 * transaction on the target: every table and column mapped (guild.id → guild_id, …), naive UTC timestamps read as
 * UTC, case numbers and each guild's case_count kept so numbering continues, Tux's ids kept in the identity columns
 * (each identity then moved past the largest). Rows already in the target are left alone, so a re-run changes
 * nothing. Rows this schema forbids are resolved as the report says, or refused with a TuxImportError and nothing
 * written. The target must be migrated. This is what `tux-db import-tux --from <url> [--dry-run]` runs.
 *
 * @param sourceUrl the Tux database (read in one REPEATABLE READ, READ ONLY transaction; never written)
 * @param target a connected DatabaseService, or an initialized TypeORM DataSource on this library's schema
 * @throws ValidationError, before connecting, for a bad argument or option; TuxImportError when the source cannot be
 *   reached, is not Tux's schema, or has rows with no safe resolution (not in a dry run, which reports them instead);
 *   a DatabaseError (e.g. UniqueViolationError when the target already holds a
 *   different row under an imported key) for any failure while copying. Either way the target is unchanged.
 * @example
 * ```ts
 * const db = await createDatabase({ url: process.env['DATABASE_URL'] });
 * const preview = await importTux('postgres://tux@old-host/tux', db.service, { dryRun: true });
 * for (const issue of preview.issues) console.log(issue.table, issue.key, issue.problem, '→', issue.resolution);
 * const report = await importTux('postgres://tux@old-host/tux', db.service);
 * console.log(report.tables.cases.inserted, 'cases imported');
 * ```
 */
export async function importTux(sourceUrl: string, target: DatabaseService | DataSource, options: ImportTuxOptions = {}): Promise<TuxImportReport> {
  checkImportArguments(sourceUrl, target, options);
  const dryRun = options.dryRun === true;
  const batchRows = options.batchRows ?? COPY_BATCH_ROWS;
  const dataSource = target instanceof DatabaseService ? target.dataSource : target;

  const source = new Client({ connectionString: sourceUrl, application_name: 'tux-db import-tux' });
  try {
    await source.connect();
  } catch (e) {
    throw new TuxImportError(`import-tux could not connect to the Tux database: ${thrownText(e)}`, [], { cause: e });
  }
  let runner: QueryRunner | undefined;
  try {
    await source.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const alembicRevision = await checkTuxSchema(source);
    const plan = await planTuxImport(source);

    runner = dataSource.createQueryRunner('master');
    await runner.startTransaction();
    await runner.query('SET LOCAL statement_timeout = 0');
    await checkTargetSchema(runner);
    const [{ now: importedAt }] = (await runner.query(`SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS now`)) as [{ now: string }];

    const tables = emptyCounts();
    const issues: TuxImportIssue[] = planIssues(plan);
    for (const spec of TABLE_SPECS) {
      const counts = tables[spec.target];
      for await (const batch of readTuxTable(source, spec, batchRows)) {
        const rows: (readonly (string | null)[])[] = [];
        for (const row of batch) {
          const key = Object.fromEntries(spec.sourceKey.map((k) => [k, String(row[`__key_${k}`])]));
          const rowIssues: TuxImportIssue[] = [];
          const ctx: RowContext = {
            importedAt,
            nullCaseType: options.nullCaseType,
            snippetRenames: plan.snippetRenames,
            aliasRewrites: plan.aliasRewrites,
            caseNumbers: plan.caseNumbers,
            issue: (column, problem, action, resolution) => rowIssues.push({ table: spec.source, key, column, problem, action, resolution }),
          };
          const values = spec.convert(row, ctx);
          issues.push(...rowIssues);
          counts.source++;
          if (values === null || rowIssues.some((i) => i.action !== 'resolve')) {
            if (rowIssues.some((i) => i.action === 'refuse')) counts.refused++;
            else if (rowIssues.some((i) => i.action === 'skip')) counts.skipped++;
            continue;
          }
          rows.push(values);
        }
        const { inserted, differing } = await copyBatch(runner, spec, rows, importedAt);
        counts.inserted += inserted;
        counts.alreadyPresent += rows.length - inserted - differing.length;
        counts.refused += differing.length;
        for (const key of differing) {
          const values = key.split(',');
          issues.push({
            table: spec.source,
            key: Object.fromEntries(spec.conflict.map((k, i) => [k, values[i] ?? ''])),
            column: spec.conflict.join(', '),
            problem: `the target already holds a different ${spec.target} row under this key`,
            action: 'refuse',
            resolution: 'import into an empty (or previously imported, unchanged) database, or delete that row in the target',
          });
        }
      }
      await options.afterTable?.(spec.target);
    }

    const caseCountsRaised = await raiseCaseCounts(runner, plan);
    const refused = issues.filter((i) => i.action === 'refuse');
    if (refused.length > 0 && !dryRun) throw TuxImportError.refused(refused);
    const identities = await moveIdentities(runner, dryRun);
    const report: TuxImportReport = { dryRun, alembicRevision, tables, caseCountsRaised, identities, issues };
    if (dryRun) await runner.rollbackTransaction();
    else await runner.commitTransaction();
    return report;
  } catch (e) {
    if (runner?.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    throw e instanceof TuxImportError ? e : convertError(e);
  } finally {
    await runner?.release();
    await source.query('ROLLBACK').catch(() => undefined);
    await source.end().catch(() => undefined);
  }
}

function planIssues(plan: TuxImportPlan): TuxImportIssue[] {
  return plan.caseCountBelowMax.map(({ guildId, caseCount, maxNumber }) => ({
    table: 'guild',
    key: { id: guildId },
    column: 'case_count',
    problem: `case_count ${caseCount} is below the guild's highest case number ${maxNumber}`,
    action: 'resolve' as const,
    resolution: `raised so the next case is ${Number(maxNumber) + 1}`,
  }));
}

// Every Tux table the import reads must exist with the columns it selects; anything else is not the schema it knows.
async function checkTuxSchema(source: Client): Promise<string | null> {
  const tables = TABLE_SPECS.map((s: TableSpec) => s.source);
  const found = await source.query<{ table_name: string; column_name: string }>(
    `SELECT table_name::text, column_name::text FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ANY($1::text[])`,
    [tables],
  );
  const have = new Set(found.rows.map((r) => `${r.table_name}.${r.column_name}`));
  const required: Record<string, readonly string[]> = {
    guild: ['id', 'case_count', 'guild_joined_at', 'created_at', 'updated_at'],
    cases: ['id', 'case_number', 'case_type', 'case_user_roles', 'case_metadata', 'guild_id', 'mod_log_message_id', 'case_processed'],
    afk: ['member_id', 'reason'],
    levels: ['member_id', 'xp'],
    guild_config: ['id', 'onboarding_stage'],
    snippet: ['id', 'alias'],
    starboard: ['id'],
    starboard_message: ['id', 'message_guild_id'],
    reminder: ['id'],
    permission_ranks: ['id', 'rank'],
    permission_assignments: ['id', 'permission_rank_id'],
    permission_commands: ['id', 'command_name', 'description'],
  };
  const missing = Object.entries(required).flatMap(([t, cols]) => cols.filter((c) => !have.has(`${t}.${c}`)).map((c) => `${t}.${c}`));
  if (missing.length > 0) {
    throw new TuxImportError(
      `The source is not a Tux database at the schema import-tux knows (Alembic head b83284093e38, Tux c0e1a1e8): missing ${missing.join(', ')}. ` +
        'Upgrade it with `alembic upgrade head` in Tux first, or check the URL.',
    );
  }
  const version = await source.query<{ v: string | null }>(
    `SELECT CASE WHEN to_regclass('alembic_version') IS NULL THEN NULL ELSE (SELECT string_agg(version_num, ',') FROM alembic_version) END AS v`,
  ).catch(() => ({ rows: [{ v: null }] }));
  return version.rows[0]?.v ?? null;
}

async function checkTargetSchema(runner: QueryRunner): Promise<void> {
  const [row] = (await runner.query(`SELECT to_regclass('cases') IS NOT NULL AND to_regclass('permission_commands') IS NOT NULL AS ok`)) as [{ ok: boolean }];
  if (!row.ok) throw new TuxImportError('The target database has no tux-database schema yet: run its migrations first (createDatabase({ migrate: true }) or `tux-db migrate-push`).');
}

// Numbering continues after the highest imported number: case_count only ever grows, so a re-run changes nothing.
async function raiseCaseCounts(runner: QueryRunner, plan: TuxImportPlan): Promise<number> {
  if (plan.caseCounts.size === 0) return 0;
  const result: { affected?: number | null } = await runner.query(
    `UPDATE "guild" g SET "case_count" = v.n::integer FROM unnest($1::text[], $2::text[]) AS v(id, n) WHERE g."guild_id" = v.id::bigint AND g."case_count" < v.n::integer`,
    [[...plan.caseCounts.keys()], [...plan.caseCounts.values()]],
    true,
  );
  return result.affected ?? 0;
}

// Tux's ids were inserted over the identities; the next generated id must come after the largest. setval is not
// transactional, so a dry run only reports where each would move.
async function moveIdentities(runner: QueryRunner, dryRun: boolean): Promise<Record<string, string>> {
  const moved: Record<string, string> = {};
  for (const spec of TABLE_SPECS) {
    if (!spec.identity) continue;
    const seq = `pg_get_serial_sequence('"${spec.target}"', '${spec.identity}')`;
    const rows = (await runner.query(
      `SELECT m::text AS m FROM (SELECT max("${spec.identity}") AS m FROM "${spec.target}") x ` +
        `WHERE m IS NOT NULL AND m > COALESCE(pg_sequence_last_value(${seq}::regclass), 0)`,
    )) as { m: string }[];
    const max = rows[0]?.m;
    if (max === undefined) continue;
    if (!dryRun) await runner.query(`SELECT setval(${seq}, $1::bigint)`, [max]);
    moved[`${spec.target}.${spec.identity}`] = max;
  }
  return moved;
}

// JavaScript callers can pass anything: every wrong shape is a ValidationError before anything connects.
function checkImportArguments(sourceUrl: unknown, target: unknown, options: unknown): void {
  if (typeof sourceUrl !== 'string') throw ValidationError.forField('importTux', 'sourceUrl', 'must be a postgres:// URL string');
  checkDatabaseUrl(sourceUrl, 'sourceUrl', 'importTux');
  if (!(target instanceof DatabaseService) && !(target instanceof DataSource)) {
    throw ValidationError.forField('importTux', 'target', 'must be the DatabaseService (db.service) or a TypeORM DataSource');
  }
  checkOptions('importTux', options, ['dryRun', 'nullCaseType', 'batchRows', 'afterTable'], 'importTux');
  const { dryRun, nullCaseType, batchRows, afterTable } = options as ImportTuxOptions;
  if (dryRun !== undefined && typeof dryRun !== 'boolean') throw ValidationError.forField('importTux', 'dryRun', 'must be true or false');
  if (nullCaseType !== undefined && !(Object.values(CaseType) as unknown[]).includes(nullCaseType)) {
    throw ValidationError.forField('importTux', 'nullCaseType', `must be one of ${Object.values(CaseType).join(', ')}`);
  }
  if (batchRows !== undefined && !(typeof batchRows === 'number' && Number.isSafeInteger(batchRows) && batchRows >= 1)) {
    throw ValidationError.forField('importTux', 'batchRows', `must be a positive whole number (got ${typeof batchRows === 'number' ? String(batchRows) : typeof batchRows})`);
  }
  if (afterTable !== undefined && typeof afterTable !== 'function') throw ValidationError.forField('importTux', 'afterTable', 'must be a function (table: string) => void');
}
