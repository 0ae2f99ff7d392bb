import { compile, raw, sql, type Statement } from './sql';
import type { TableModel } from './table-model';

/**
 * claimDueReminders: marks up to `limit` unsent reminders due at `now` sent and returns them (in no order). The
 * rows are picked `FOR UPDATE SKIP LOCKED`, so two pollers at once claim disjoint sets. The pick is a MATERIALIZED
 * WITH item, run once: as an `IN (subquery)` the planner may rescan it for every row it updates, and each rescan
 * skips the rows this statement has just updated and picks the next ones, so a plan of that shape claimed every due
 * reminder whatever the limit (seen in CI, when other specs' rows changed the table's statistics).
 *
 * ```ts
 * claimDueRemindersStatement(reminderModel, new Date(), 100);
 * // WITH "due" AS MATERIALIZED (SELECT "reminder_id" FROM "reminder" WHERE … LIMIT $2 FOR UPDATE SKIP LOCKED)
 * //   UPDATE "reminder" SET "reminder_sent" = true WHERE "reminder_id" IN (SELECT "reminder_id" FROM "due") RETURNING …
 * ```
 */
export function claimDueRemindersStatement(model: TableModel, now: unknown, limit: number): Statement {
  const table = raw(model.table);
  const due = sql`SELECT "reminder_id" FROM ${table} WHERE "reminder_sent" = false AND "reminder_expires_at" <= ${now} ORDER BY "reminder_expires_at" LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
  // Across guilds: no guild to declare.
  return compile(sql`WITH "due" AS MATERIALIZED (${due}) UPDATE ${table} SET "reminder_sent" = true WHERE "reminder_id" IN (SELECT "reminder_id" FROM "due") RETURNING ${raw(model.selectList)}`, {
    reads: [model.name],
    writes: [model.name],
    locks: true,
  });
}
