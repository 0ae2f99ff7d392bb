import { Pool, type QueryConfig, type QueryResultRow } from 'pg';
import type { CasePage, CaseRow, Implementation, NewCaseInput, NewReminderInput, ReminderRow } from '../implementation';

// Hand-written SQL, what a careful human writes against pg: one statement per operation, camelCase aliases.
const CASE_COLUMNS =
  `"case_id" AS "caseId", "case_number" AS "caseNumber", "case_type" AS "caseType", "case_user_id" AS "caseUserId", ` +
  `"case_moderator_id" AS "caseModeratorId", "guild_id" AS "guildId", "case_reason" AS "caseReason", "case_status" AS "caseStatus", ` +
  `"case_processed" AS "caseProcessed", "case_expires_at" AS "caseExpiresAt", "case_user_roles" AS "caseUserRoles", ` +
  `"case_metadata" AS "caseMetadata", "mod_log_message_id" AS "modLogMessageId", "case_created_at" AS "caseCreatedAt", "case_updated_at" AS "caseUpdatedAt"`;
const REMINDER_COLUMNS =
  `"reminder_id" AS "reminderId", "reminder_content" AS "reminderContent", "reminder_expires_at" AS "reminderExpiresAt", ` +
  `"reminder_channel_id" AS "reminderChannelId", "reminder_user_id" AS "reminderUserId", "reminder_sent" AS "reminderSent", "guild_id" AS "guildId"`;
const COUNTER =
  `WITH counter AS (INSERT INTO "guild" ("guild_id", "case_count") VALUES ($1, $2) ` +
  `ON CONFLICT ("guild_id") DO UPDATE SET "case_count" = "guild"."case_count" + $2, "updated_at" = now() RETURNING "case_count") `;

/** Every statement the raw implementations send, by name (the name doubles as the prepared statement's). */
export const RAW_SQL = {
  getCase: `SELECT ${CASE_COLUMNS} FROM "cases" WHERE "case_id" = $1`,
  findUserCases: `SELECT ${CASE_COLUMNS} FROM "cases" WHERE "guild_id" = $1 AND "case_user_id" = $2 ORDER BY "case_number" DESC LIMIT $3`,
  countUserCases: `SELECT count(*) AS "n" FROM "cases" WHERE "guild_id" = $1 AND "case_user_id" = $2`,
  createReminder:
    `INSERT INTO "reminder" ("reminder_content", "reminder_expires_at", "reminder_channel_id", "reminder_user_id", "guild_id") ` +
    `VALUES ($1, $2, $3, $4, $5) RETURNING ${REMINDER_COLUMNS}`,
  createReminders:
    `INSERT INTO "reminder" ("reminder_content", "reminder_expires_at", "reminder_channel_id", "reminder_user_id", "guild_id") ` +
    `SELECT * FROM unnest($1::varchar[], $2::timestamptz[], $3::bigint[], $4::bigint[], $5::bigint[]) RETURNING ${REMINDER_COLUMNS}`,
  updateCaseReason: `UPDATE "cases" SET "case_reason" = $1, "case_updated_at" = now() WHERE "case_id" = $2 RETURNING ${CASE_COLUMNS}`,
  createCase:
    `${COUNTER}INSERT INTO "cases" ("guild_id", "case_number", "case_type", "case_user_id", "case_moderator_id", "case_reason") ` +
    `VALUES ($1, (SELECT "case_count" FROM counter), $3, $4, $5, $6) RETURNING ${CASE_COLUMNS}`,
  createCases:
    `${COUNTER}INSERT INTO "cases" ("guild_id", "case_number", "case_type", "case_user_id", "case_moderator_id", "case_reason") ` +
    `SELECT $1, (SELECT "case_count" FROM counter) - $2 + t.ord::int, t.type, t.usr, t.mod, t.reason ` +
    `FROM unnest($3::case_type[], $4::bigint[], $5::bigint[], $6::varchar[]) WITH ORDINALITY AS t(type, usr, mod, reason, ord) ` +
    `ORDER BY t.ord RETURNING ${CASE_COLUMNS}`,
  setGuildCasesProcessed: `UPDATE "cases" SET "case_processed" = $1, "case_updated_at" = now() WHERE "guild_id" = $2`,
  casePage: `SELECT ${CASE_COLUMNS} FROM "cases" WHERE "guild_id" = $1 ORDER BY "case_number" DESC LIMIT $2 OFFSET $3`,
  countGuildCases: `SELECT count(*) AS "n" FROM "cases" WHERE "guild_id" = $1`,
  addXp:
    `INSERT INTO "levels" AS "l" ("user_id", "guild_id", "xp", "level") VALUES ($1, $2, $3, floor(sqrt($3::double precision / 100))) ` +
    `ON CONFLICT ("user_id", "guild_id") DO UPDATE SET "xp" = "l"."xp" + EXCLUDED."xp", ` +
    `"level" = floor(sqrt(("l"."xp" + EXCLUDED."xp") / 100)), "last_message" = now() WHERE NOT "l"."blacklisted" RETURNING "xp", "level"`,
} as const;

type Statement = keyof typeof RAW_SQL;

/**
 * Raw `pg` on its own Pool: unnamed statements (parsed and planned on every call), or, with `prepared`,
 * named ones (parsed once per connection): the ceiling of what any layer on pg can reach.
 */
export class RawPg implements Implementation {
  private readonly pool: Pool;

  constructor(
    readonly name: string,
    url: string,
    poolSize: number,
    private readonly prepared: boolean,
  ) {
    this.pool = new Pool({ connectionString: url, max: poolSize });
    ignoreIdleErrors(this.pool);
  }

  async getCase(caseId: string): Promise<CaseRow | null> {
    return (await this.query<CaseRow>('getCase', [caseId]))[0] ?? null;
  }

  findUserCases(guildId: string, userId: string, limit: number): Promise<CaseRow[]> {
    return this.query<CaseRow>('findUserCases', [guildId, userId, limit]);
  }

  async countUserCases(guildId: string, userId: string): Promise<number> {
    return Number((await this.query<{ n: string }>('countUserCases', [guildId, userId]))[0]?.n);
  }

  async createReminder(r: NewReminderInput): Promise<ReminderRow> {
    return first(await this.query<ReminderRow>('createReminder', [r.reminderContent, r.reminderExpiresAt, r.reminderChannelId, r.reminderUserId, r.guildId]));
  }

  createReminders(inputs: ReadonlyArray<NewReminderInput>): Promise<ReminderRow[]> {
    return this.query<ReminderRow>('createReminders', [
      inputs.map((r) => r.reminderContent),
      inputs.map((r) => r.reminderExpiresAt),
      inputs.map((r) => r.reminderChannelId),
      inputs.map((r) => r.reminderUserId),
      inputs.map((r) => r.guildId),
    ]);
  }

  async updateCaseReason(caseId: string, reason: string): Promise<CaseRow | null> {
    return (await this.query<CaseRow>('updateCaseReason', [reason, caseId]))[0] ?? null;
  }

  async createCase(guildId: string, c: NewCaseInput): Promise<CaseRow> {
    return first(await this.query<CaseRow>('createCase', [guildId, 1, c.caseType, c.caseUserId, c.caseModeratorId, c.caseReason]));
  }

  createCases(guildId: string, inputs: ReadonlyArray<NewCaseInput>): Promise<CaseRow[]> {
    return this.query<CaseRow>('createCases', [
      guildId,
      inputs.length,
      inputs.map((c) => c.caseType),
      inputs.map((c) => c.caseUserId),
      inputs.map((c) => c.caseModeratorId),
      inputs.map((c) => c.caseReason),
    ]);
  }

  async setGuildCasesProcessed(guildId: string, processed: boolean): Promise<number> {
    return (await this.send('setGuildCasesProcessed', [processed, guildId])).rowCount ?? 0;
  }

  async casePage(guildId: string, page: number, perPage: number): Promise<CasePage> {
    const items = await this.query<CaseRow>('casePage', [guildId, perPage, (page - 1) * perPage]);
    const total = Number((await this.query<{ n: string }>('countGuildCases', [guildId]))[0]?.n);
    return { items, total };
  }

  async addXp(userId: string, guildId: string, amount: number): Promise<{ xp: number; level: number }> {
    return first(await this.query<{ xp: number; level: number }>('addXp', [userId, guildId, amount]));
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async query<R extends QueryResultRow>(statement: Statement, values: unknown[]): Promise<R[]> {
    return (await this.send<R>(statement, values)).rows;
  }

  private send<R extends QueryResultRow = QueryResultRow>(statement: Statement, values: unknown[]) {
    const config: QueryConfig = this.prepared ? { name: statement, text: RAW_SQL[statement], values } : { text: RAW_SQL[statement], values };
    return this.pool.query<R>(config);
  }
}

/**
 * pg requires an 'error' listener on a Pool: an idle client whose server goes away (the embedded server stops
 * right after the pools end, while their sockets are still closing) emits one, and without a listener the
 * process dies. A client in use reports its error to its query instead.
 */
export function ignoreIdleErrors(pool: Pool): Pool {
  pool.on('error', () => undefined);
  return pool;
}

function first<R>(rows: R[]): R {
  const row = rows[0];
  if (row === undefined) throw new Error('the statement returned no row');
  return row;
}

/** Raw pg, unnamed statements: the 1.0 every ratio is against. */
export function createRawPg(url: string, poolSize: number): Implementation {
  return new RawPg('raw pg', url, poolSize, false);
}
