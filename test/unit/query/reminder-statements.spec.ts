import { expect } from 'chai';
import { Reminder } from '../../../src/entities/reminder';
import { buildTableModel } from '../../../src/query/build-table-model';
import { claimDueRemindersStatement } from '../../../src/query/reminder-statements';
import type { TableModel } from '../../../src/query/table-model';
import { entityMetadata } from '../../support/entity-metadata';
import { textAndValues } from './text-and-values';

describe('reminder statements', () => {
  let reminder: TableModel;
  before(async () => {
    reminder = buildTableModel(await entityMetadata(Reminder));
  });

  it('claimDueRemindersStatement marks up to limit due reminders sent, picked once, skipping rows another poller has locked', () => {
    const now = new Date('2026-03-04T05:06:07Z');
    expect(textAndValues(claimDueRemindersStatement(reminder, now, 100))).to.deep.equal({
      text:
        'WITH "due" AS MATERIALIZED (SELECT "reminder_id" FROM "reminder" ' +
        'WHERE "reminder_sent" = false AND "reminder_expires_at" <= $1 ORDER BY "reminder_expires_at" LIMIT $2 FOR UPDATE SKIP LOCKED) ' +
        'UPDATE "reminder" SET "reminder_sent" = true WHERE "reminder_id" IN (SELECT "reminder_id" FROM "due") ' +
        `RETURNING ${reminder.selectList}`,
      values: [now, 100],
    });
  });
});
