import { boolean, customType, doublePrecision, integer, jsonb, pgEnum, pgTable, primaryKey, timestamp, varchar } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { CaseType } from '../../src/entities/enums';

// Drizzle's own description of the tables the workloads touch (the library's migrations created them).

// Discord ids stay strings end to end, as pg returns bigint (Drizzle's bigint column has only number and bigint modes).
const snowflake = customType<{ data: string; driverData: string }>({ dataType: () => 'bigint' });
// Identity keys are snowflake-typed too; the default only makes them optional on insert (Drizzle sends DEFAULT).
const IDENTITY = sql`DEFAULT`;

export const caseType = pgEnum('case_type', Object.values(CaseType) as [CaseType, ...CaseType[]]);

export const guild = pgTable('guild', {
  guildId: snowflake('guild_id').primaryKey(),
  guildName: varchar('guild_name', { length: 100 }),
  caseCount: integer('case_count').notNull().default(0),
  guildJoinedAt: timestamp('guild_joined_at', { withTimezone: true }).notNull().defaultNow(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const cases = pgTable('cases', {
  caseId: snowflake('case_id').primaryKey().default(IDENTITY),
  caseNumber: integer('case_number').notNull(),
  caseType: caseType('case_type').notNull(),
  caseUserId: snowflake('case_user_id').notNull(),
  caseModeratorId: snowflake('case_moderator_id').notNull(),
  guildId: snowflake('guild_id').notNull(),
  caseReason: varchar('case_reason', { length: 2000 }),
  caseStatus: boolean('case_status').notNull().default(true),
  caseProcessed: boolean('case_processed').notNull().default(false),
  caseExpiresAt: timestamp('case_expires_at', { withTimezone: true }),
  caseUserRoles: jsonb('case_user_roles').notNull().default([]),
  caseMetadata: jsonb('case_metadata'),
  modLogMessageId: snowflake('mod_log_message_id'),
  caseCreatedAt: timestamp('case_created_at', { withTimezone: true }).notNull().defaultNow(),
  caseUpdatedAt: timestamp('case_updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const reminder = pgTable('reminder', {
  reminderId: snowflake('reminder_id').primaryKey().default(IDENTITY),
  reminderContent: varchar('reminder_content', { length: 2000 }).notNull(),
  reminderExpiresAt: timestamp('reminder_expires_at', { withTimezone: true }).notNull(),
  reminderChannelId: snowflake('reminder_channel_id').notNull(),
  reminderUserId: snowflake('reminder_user_id').notNull(),
  reminderSent: boolean('reminder_sent').notNull().default(false),
  guildId: snowflake('guild_id').notNull(),
});

export const levels = pgTable(
  'levels',
  {
    userId: snowflake('user_id').notNull(),
    guildId: snowflake('guild_id').notNull(),
    xp: doublePrecision('xp').notNull().default(0),
    level: integer('level').notNull().default(0),
    blacklisted: boolean('blacklisted').notNull().default(false),
    lastMessage: timestamp('last_message', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.guildId] })],
);
