import fs from 'node:fs';
import path from 'node:path';
import type { Client } from 'pg';

/** The DDL of Tux's schema at Alembic head (test/fixtures/tux-schema.sql). */
export const TUX_DDL = fs.readFileSync(path.join(__dirname, '../fixtures/tux-schema.sql'), 'utf8');

/** The largest Discord id PostgreSQL's bigint can hold. */
export const MAX_SNOWFLAKE = '9223372036854775807';
export const G1 = MAX_SNOWFLAKE;
export const G2 = '1';
export const G3 = '1100000000000000003';
export const CASE_TYPES = ['BAN', 'UNBAN', 'HACKBAN', 'TEMPBAN', 'KICK', 'TIMEOUT', 'UNTIMEOUT', 'WARN', 'JAIL', 'UNJAIL', 'SNIPPETBAN', 'SNIPPETUNBAN', 'POLLBAN', 'POLLUNBAN'] as const;
export const STAGES = ['NOT_STARTED', 'DISCOVERED', 'INITIALIZED', 'CONFIGURED', 'COMPLETED'] as const;
/** How many generated levels rows (enough for several read/write batches). */
export const LEVEL_ROWS = 240;

/**
 * Fills a database holding Tux's schema with Tux-shaped rows, edge cases included: the largest snowflake as
 * guild, user, role and message id; NULL in every nullable column; every enum value; snippet names that differ
 * only in letter case (with an alias naming the later one); a case with no number and one with no type; a guild
 * whose case_count is below its highest case number; a restricted command; JSON role ids beyond 2^53.
 */
export async function fillTux(c: Client): Promise<void> {
  const cases: string[] = [];
  CASE_TYPES.forEach((t, i) => {
    const n = i + 1;
    cases.push(
      `(${n}, '${G1}', ${n}, '${t}', 'reason ${n}', '${MAX_SNOWFLAKE}', '${1000 + n}', true, ${n % 2 === 0}, ` +
        `'[${MAX_SNOWFLAKE}, 123456789012345678]', ${n === 1 ? `'{"k": "v", "big": 9223372036854775807}'` : n === 2 ? `'null'` : 'NULL'}, ` +
        `${n === 3 ? `'2030-01-02 03:04:05.123456'` : 'NULL'}, ${n === 1 ? MAX_SNOWFLAKE : 'NULL'}, '2024-02-0${(n % 9) + 1} 10:00:00.000001', ${n === 5 ? 'NULL' : `'2024-03-01 00:00:00'`})`,
    );
  });
  // G1: case_count 20 above its highest number 14; a case with no number; a case with no type.
  cases.push(`(15, '${G1}', NULL, 'WARN', 'unnumbered', '2', '3', true, false, '[]', NULL, NULL, NULL, NULL, NULL)`);
  cases.push(`(16, '${G1}', 15, NULL, 'untyped', '2', '3', false, false, '{"not": "an array"}', '[1, 2]', NULL, NULL, '2024-01-01 00:00:00', '2024-01-01 00:00:00')`);
  // G2: case_count 1 below its highest number 7.
  cases.push(`(17, '${G2}', 7, 'KICK', 'gap', '4', '5', true, false, '[0, "x", 77]', NULL, NULL, NULL, '2024-01-01 00:00:00', '2024-01-01 00:00:00')`);

  await c.query(`
    INSERT INTO guild (id, guild_joined_at, case_count, created_at, updated_at) VALUES
      ('${G1}', '2020-01-01 12:00:00.5', 20, '2020-01-01 12:00:00', '2020-06-01 00:00:00'),
      ('${G2}', NULL, 1, NULL, '2021-05-05 05:05:05'),
      ('${G3}', NULL, 0, NULL, NULL);
    INSERT INTO guild_config (id, prefix, mod_log_id, audit_log_id, join_log_id, private_log_id, report_log_id, dev_log_id, jail_channel_id, jail_role_id, onboarding_completed, onboarding_stage, created_at, updated_at) VALUES
      ('${G1}', '$', '${MAX_SNOWFLAKE}', '11', '12', '13', '14', '15', '16', '${MAX_SNOWFLAKE}', true, 'COMPLETED', '2020-01-01 00:00:00', '2020-01-02 00:00:00'),
      ('${G2}', '!!!', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, false, NULL, NULL, NULL);
    INSERT INTO cases (id, guild_id, case_number, case_type, case_reason, case_user_id, case_moderator_id, case_status, case_processed, case_user_roles, case_metadata, case_expires_at, mod_log_message_id, created_at, updated_at) VALUES
      ${cases.join(',\n      ')};
    INSERT INTO afk (member_id, guild_id, nickname, reason, since, until, enforced, perm_afk, created_at, updated_at) VALUES
      ('${MAX_SNOWFLAKE}', '${G1}', '', 'gone', '2024-01-01 00:00:00.000001', NULL, false, true, NULL, NULL),
      ('2', '${G1}', 'nick', 'back soon', '2024-01-01 00:00:00', '2024-01-02 00:00:00', true, false, '2024-01-01 00:00:00', '2024-01-01 00:00:00'),
      ('3', '${G1}', 'perm', 'away for good', '2024-01-01 00:00:00', '2024-02-01 00:00:00', false, true, NULL, NULL);
    INSERT INTO levels (member_id, guild_id, xp, level, blacklisted, last_message)
      SELECT 100 + g, CASE WHEN g % 2 = 0 THEN ${G1} ELSE ${G3} END, g * 1.1, g % 50, g % 7 = 0, TIMESTAMP '2024-01-01' + g * INTERVAL '1 second 1 microsecond'
      FROM generate_series(1, ${LEVEL_ROWS - 1}) AS g;
    INSERT INTO levels (member_id, guild_id, xp, level, blacklisted, last_message) VALUES ('${MAX_SNOWFLAKE}', '${G1}', 1234.5678901234567, 7, false, '2024-05-05 05:05:05.999999');
    INSERT INTO snippet (id, snippet_name, snippet_content, snippet_user_id, guild_id, uses, locked, alias, created_at, updated_at) VALUES
      (1, 'Foo', 'first', '${MAX_SNOWFLAKE}', '${G1}', 3, false, NULL, '2023-01-01 00:00:00', '2023-01-01 00:00:00'),
      (2, 'foo', NULL, '5', '${G1}', 0, true, NULL, NULL, NULL),
      (3, 'bar', 'alias of foo', '5', '${G1}', 0, false, 'foo', '2023-01-01 00:00:00', NULL),
      (4, 'foo', 'other guild', '5', '${G2}', 1, false, NULL, '2023-01-01 00:00:00', '2023-01-01 00:00:00');
    INSERT INTO starboard (id, starboard_channel_id, starboard_emoji, starboard_threshold) VALUES ('${G1}', '${MAX_SNOWFLAKE}', '⭐', 3);
    INSERT INTO starboard_message (id, message_content, message_expires_at, message_channel_id, message_user_id, message_guild_id, star_count, starboard_message_id) VALUES
      ('${MAX_SNOWFLAKE}', 'starred', '2025-01-01 00:00:00', '7', '${MAX_SNOWFLAKE}', '${G1}', 0, '${MAX_SNOWFLAKE}'),
      ('42', '', '2025-01-01 00:00:00.000001', '7', '8', '${G2}', 12, '43');
    INSERT INTO reminder (id, reminder_content, reminder_expires_at, reminder_channel_id, reminder_user_id, reminder_sent, guild_id) VALUES
      (5, 'remind me', '2030-01-01 00:00:00', '${MAX_SNOWFLAKE}', '${MAX_SNOWFLAKE}', false, '${G1}'),
      (9, 'sent', '2020-01-01 00:00:00', '1', '1', true, '${G2}');
    INSERT INTO permission_ranks (id, guild_id, rank, name, description, created_at, updated_at) VALUES
      (3, '${G1}', 0, 'Member', NULL, NULL, NULL),
      (8, '${G1}', 10, 'Owner', 'all of it', '2022-01-01 00:00:00', '2022-01-01 00:00:00');
    INSERT INTO permission_assignments (id, guild_id, permission_rank_id, role_id) VALUES (4, '${G1}', 8, '${MAX_SNOWFLAKE}'), (6, '${G1}', 3, '77');
    INSERT INTO permission_commands (id, guild_id, command_name, required_rank, description, created_at, updated_at) VALUES
      (11, '${G1}', 'config ranks init', 10, 'set up ranks', NULL, NULL),
      (12, '${G1}', 'JSK py', 9, NULL, '2022-01-01 00:00:00', '2022-01-01 00:00:00'),
      (13, '${G2}', 'ban', 3, NULL, '2022-01-01 00:00:00', '2022-01-01 00:00:00');
    SELECT setval(pg_get_serial_sequence('cases', 'id'), 17);
  `);
}
