// The statements the library sends for each operation, copied from its query events (db.service.onQuery) with
// the default options. The ceiling, postgres.js and every "best effort" peer send exactly these, so they do the
// library's server work and differ from it only on the client. The bench checks the copy: each workload's
// warm-up records the statement texts every implementation sent, and the report flags any that differ from
// the library's (a library change that alters a statement shows up there, not as a silent unfairness).

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
const REMINDER_INSERT = `INSERT INTO "reminder" ("reminder_content", "reminder_expires_at", "reminder_channel_id", "reminder_user_id", "guild_id") `;
// The default level formula (tuxLevelFormula(2)) as the library writes it for an XP expression.
const level = (xp: string): string => `LEAST(floor(sqrt(GREATEST(${xp}, 0) / 500::double precision) * 5::double precision), 2147483647)::int`;

/** Every statement the library sends in the bench's workloads, by operation. */
// addXp's new XP, saturating at MAX_XP (10^15) as the library's does.
const NEW_XP = `LEAST("l"."xp" + EXCLUDED."xp", 1000000000000000::double precision)`;

export const LIBRARY_SQL = {
  getCase: `SELECT ${CASE_COLUMNS} FROM "cases" WHERE "case_id" = $1`,
  findUserCases: `SELECT ${CASE_COLUMNS} FROM "cases" WHERE ("guild_id" = $1 AND "case_user_id" = $2) ORDER BY "case_number" DESC LIMIT $3`,
  countUserCases: `SELECT count(*) AS n FROM "cases" WHERE ("guild_id" = $1 AND "case_user_id" = $2)`,
  createReminder:
    `WITH "ensure_guild" AS (INSERT INTO "guild" ("guild_id") VALUES ($5) ON CONFLICT ("guild_id") DO NOTHING) ${REMINDER_INSERT}` +
    `VALUES ($1, $2, $3, $4, $5) RETURNING ${REMINDER_COLUMNS}`,
  createReminders:
    `WITH "ensure_guild" AS (INSERT INTO "guild" ("guild_id") SELECT DISTINCT unnest($5::bigint[]) ON CONFLICT ("guild_id") DO NOTHING) ${REMINDER_INSERT}` +
    `SELECT "t"."reminderContent", "t"."reminderExpiresAt", "t"."reminderChannelId", "t"."reminderUserId", "t"."guildId" ` +
    `FROM unnest($1::text[], $2::timestamptz[], $3::bigint[], $4::bigint[], $5::bigint[]) ` +
    `AS "t"("reminderContent", "reminderExpiresAt", "reminderChannelId", "reminderUserId", "guildId") RETURNING ${REMINDER_COLUMNS}`,
  updateCaseReason: `UPDATE "cases" SET "case_reason" = $1, "case_updated_at" = now() WHERE "case_id" = $2 RETURNING ${CASE_COLUMNS}`,
  createCase:
    `${COUNTER}INSERT INTO "cases" ("guild_id", "case_number", "case_type", "case_user_id", "case_moderator_id", "case_reason") ` +
    `VALUES ($1, (SELECT "case_count" FROM counter), $3, $4, $5, $6) RETURNING ${CASE_COLUMNS}`,
  createCases:
    `${COUNTER}INSERT INTO "cases" ("guild_id", "case_number", "case_type", "case_user_id", "case_moderator_id", "case_reason") ` +
    `SELECT $1::bigint, (SELECT "case_count" FROM counter) - $2::int + 1 + "t"."position", "t"."caseType", "t"."caseUserId", "t"."caseModeratorId", "t"."caseReason" ` +
    `FROM unnest($3::int[], $4::"case_type"[], $5::bigint[], $6::bigint[], $7::text[]) AS "t"("position", "caseType", "caseUserId", "caseModeratorId", "caseReason") ` +
    `RETURNING ${CASE_COLUMNS}`,
  setGuildCasesProcessed: `UPDATE "cases" SET "case_processed" = $1, "case_updated_at" = now() WHERE "guild_id" = $2`,
  casePage:
    `SELECT "page".*, (SELECT count(*) FROM "cases" WHERE "guild_id" = $1) AS "__total" FROM (SELECT ${CASE_COLUMNS} FROM "cases" ` +
    `WHERE "guild_id" = $1 ORDER BY "case_number" DESC LIMIT $2 OFFSET $3) AS "page"`,
  addXp:
    `WITH "ensure_guild" AS (INSERT INTO "guild" ("guild_id") VALUES ($2) ON CONFLICT ("guild_id") DO NOTHING), ` +
    `"seen" AS (SELECT "xp", "level", (NOT "s"."blacklisted" AND ($5::double precision IS NULL OR "s"."last_message" <= $4::timestamptz - make_interval(secs => $5::double precision))) IS NOT TRUE AS "blocked" ` +
    `FROM "levels" AS "s" WHERE "user_id" = $1 AND "guild_id" = $2), ` +
    `"before" AS (SELECT "xp", "level" FROM "seen"), ` +
    `"after" AS (INSERT INTO "levels" AS "l" ("user_id", "guild_id", "xp", "level", "last_message") ` +
    `SELECT $1, $2, $3::double precision, ${level('($3)::double precision')}, $4::timestamptz WHERE NOT EXISTS (SELECT 1 FROM "seen" WHERE "blocked") ` +
    `ON CONFLICT ("user_id", "guild_id") DO UPDATE SET "xp" = ${NEW_XP}, "level" = ${level(`(${NEW_XP})::double precision`)}, ` +
    `"last_message" = EXCLUDED."last_message" WHERE NOT "l"."blacklisted" AND ($5::double precision IS NULL OR "l"."last_message" <= EXCLUDED."last_message" - make_interval(secs => $5::double precision)) ` +
    `RETURNING "l"."xp", "l"."level", old."level" AS "oldLevel", (old."xp" IS NULL) AS "inserted"), ` +
    `"result" AS (SELECT COALESCE(a."xp", b."xp", s."xp") AS "xp", COALESCE(a."level", b."level", s."level") AS "level", (a."xp" IS NOT NULL) AS "awarded", ` +
    `CASE WHEN a."xp" IS NULL THEN COALESCE(b."level", s."level") WHEN a."inserted" THEN ${level('(0)::double precision')} ELSE a."oldLevel" END AS "previousLevel" ` +
    `FROM (SELECT 1) AS "one" LEFT JOIN "seen" s ON true LEFT JOIN "before" b ON true LEFT JOIN "after" a ON true) ` +
    `SELECT "xp", "level", "previousLevel", "awarded", COALESCE("awarded" AND "level" > "previousLevel", false) AS "levelUp", pg_current_xact_id_if_assigned()::text AS "xid" FROM "result"`,
} as const;

/** The name of one of the library's statements. */
export type LibraryStatement = keyof typeof LIBRARY_SQL;
