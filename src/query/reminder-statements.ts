import { compile, raw, sql, type Statement } from './sql';
import type { TableModel } from './table-model';

/**
 * claimDueReminders: marks up to `limit` unsent reminders due at `now` sent and returns them (in no order). The
 * rows are picked `FOR UPDATE SKIP LOCKED`, so two pollers at once claim disjoint sets.
 */
export function claimDueRemindersStatement(model: TableModel, now: unknown, limit: number): Statement {
  const table = raw(model.table);
  const due = sql`SELECT "reminder_id" FROM ${table} WHERE "reminder_sent" = false AND "reminder_expires_at" <= ${now} ORDER BY "reminder_expires_at" LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
  // Across guilds: no guild to declare.
  return compile(sql`UPDATE ${table} SET "reminder_sent" = true WHERE "reminder_id" IN (${due}) RETURNING ${raw(model.selectList)}`, {
    reads: [model.name],
    writes: [model.name],
    locks: true,
  });
}
