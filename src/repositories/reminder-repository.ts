import { injectable } from 'tsyringe';
import { Reminder } from '../entities/reminder';
import type { SnowflakeInput } from '../entities/snowflake';
import { ValidationError } from '../errors/validation-error';
import { claimDueRemindersStatement } from '../query/reminder-statements';
import { DatabaseService } from '../service/database-service';
import { UnitOfWork } from '../service/unit-of-work';
import { BaseRepository } from './base-repository';
import { preparedValue, type PreparedValues, type WriteMode } from './prepare-values';

/** What createReminder takes: a new reminder is always unsent. */
export interface NewReminder {
  /** What to remind the user of, 1–2000 characters. */
  readonly reminderContent: string;
  /** When the reminder is due. */
  readonly reminderExpiresAt: Date;
  /** The channel to deliver the reminder in: Discord snowflake (a string; a bigint or safe-integer number is accepted). */
  readonly reminderChannelId: SnowflakeInput;
  /** The user to remind: Discord snowflake (a string; a bigint or safe-integer number is accepted). */
  readonly reminderUserId: SnowflakeInput;
  /** The guild the reminder is set in: Discord snowflake (a string; a bigint or safe-integer number is accepted). */
  readonly guildId: SnowflakeInput;
}

const NEW_REMINDER_KEYS = ['reminderContent', 'reminderExpiresAt', 'reminderChannelId', 'reminderUserId', 'guildId'] as const;

const SENT_ON_INSERT = 'cannot be set: a new reminder is unsent until claimDueReminders delivers it';

/** The most reminders one claimDueReminders call may take. */
export const MAX_CLAIM_BATCH = 1000;

/**
 * Reminders and their exactly-once delivery: claimDueReminders marks due reminders sent and returns them in
 * one statement, skipping rows another poller has locked, so concurrent bot processes never share one.
 */
@injectable()
export class ReminderRepository extends BaseRepository<Reminder> {
  constructor(service: DatabaseService, unitOfWork?: UnitOfWork) {
    super(service, Reminder, unitOfWork);
  }

  /**
   * Every insert, the generic ones too (create, createMany, upsert, getOrCreate), makes an unsent reminder:
   * `reminderSent: true` there is refused, since claimDueReminders would never deliver it.
   * @throws ValidationError for such a reminder.
   */
  protected override prepare(values: unknown, mode: WriteMode, path?: string, provided?: ReadonlySet<string>): PreparedValues {
    const prepared = super.prepare(values, mode, path, provided);
    if (mode === 'insert' && preparedValue(prepared, 'reminderSent') === true) throw ValidationError.forField(this.model.entityName, 'reminderSent', SENT_ON_INSERT);
    return prepared;
  }

  /**
   * Creates an unsent reminder (and the guild row if the guild has none yet) in one statement and returns it.
   * @throws ValidationError for bad input or a key that is not a NewReminder field (including reminderSent: new
   * reminders are unsent).
   *
   * ```ts
   * const reminder = await db.reminder.createReminder({
   *   reminderContent: 'Check the logs', reminderExpiresAt: new Date(Date.now() + 3_600_000), // due in an hour
   *   reminderChannelId: channelId, reminderUserId: userId, guildId,
   * }); // reminder.reminderSent: false
   * ```
   */
  async createReminder(values: NewReminder): Promise<Reminder> {
    if (typeof values === 'object' && values !== null && 'reminderSent' in values) {
      throw ValidationError.forField(this.model.entityName, 'reminderSent', SENT_ON_INSERT);
    }
    this.checkOptions(values, NEW_REMINDER_KEYS, 'createReminder');
    return this.create(values);
  }

  /**
   * A user's pending (unsent) reminders, in one guild or all, soonest first; empty when none. @throws ValidationError.
   *
   * ```ts
   * const pending = await db.reminder.getRemindersByUser(userId); // [the 'Check the logs' reminder]: every guild
   * ```
   */
  getRemindersByUser(userId: SnowflakeInput, guildId?: SnowflakeInput): Promise<Reminder[]> {
    return this.findAll({
      filters: { reminderUserId: userId, reminderSent: false, ...(guildId === undefined ? {} : { guildId }) },
      orderBy: { reminderExpiresAt: 'ASC', reminderId: 'ASC' },
    });
  }

  /**
   * A guild's pending (unsent) reminders, soonest first; empty when none. @throws ValidationError.
   *
   * ```ts
   * const pending = await db.reminder.getRemindersByGuild(guildId); // [the 'Check the logs' reminder]
   * ```
   */
  getRemindersByGuild(guildId: SnowflakeInput): Promise<Reminder[]> {
    return this.findAll({ filters: { guildId, reminderSent: false }, orderBy: { reminderExpiresAt: 'ASC', reminderId: 'ASC' } });
  }

  /**
   * Deletes a reminder; true when it existed. @throws ValidationError for a bad id.
   *
   * ```ts
   * const { reminderId } = await db.reminder.createReminder({
   *   reminderContent: 'Tea', reminderExpiresAt: new Date(), reminderChannelId: channelId, reminderUserId: userId, guildId,
   * });
   * const deleted = await db.reminder.deleteReminder(reminderId); // true; false when it did not exist
   * ```
   */
  deleteReminder(reminderId: SnowflakeInput): Promise<boolean> {
    return this.deleteById(reminderId);
  }

  /**
   * Marks up to `limit` (1–1000, default 100) unsent reminders due at `now` sent and returns them, soonest
   * first. One `WITH due AS MATERIALIZED (SELECT … FOR UPDATE SKIP LOCKED) UPDATE … RETURNING …` statement: two
   * processes polling at once get disjoint sets, so each reminder is delivered exactly once. Inside a unit of
   * work that rolls back, the claim is undone too.
   * @throws ValidationError for a bad `now` or `limit`.
   *
   * ```ts
   * const inTwoHours = new Date(Date.now() + 7_200_000);
   * const due = await db.reminder.claimDueReminders(inTwoHours); // [the 'Check the logs' reminder], now marked sent
   * const again = await db.reminder.claimDueReminders(inTwoHours); // []: a reminder is claimed once
   * ```
   */
  async claimDueReminders(now: Date = new Date(), limit = 100): Promise<Reminder[]> {
    if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1 || limit > MAX_CLAIM_BATCH) {
      throw ValidationError.forField(this.model.entityName, 'limit', `must be an integer from 1 to ${MAX_CLAIM_BATCH}`);
    }
    const statement = claimDueRemindersStatement(this.model, this.coerce('reminderExpiresAt', now, 'now'), limit);
    const result = await this.runStatement(statement, { prepare: true });
    // RETURNING has no order of its own.
    return result.rows.map((r) => this.hydrate(r)).sort(soonestFirst);
  }

  /**
   * Deletes sent reminders, all of them or only those that expired at or before `olderThan`; returns how many.
   * @throws ValidationError for a bad date.
   *
   * ```ts
   * const old = await db.reminder.deleteSentReminders(new Date(Date.now() - 7 * 86_400_000)); // 0: none was due a week ago
   * const all = await db.reminder.deleteSentReminders(); // 1
   * ```
   */
  deleteSentReminders(olderThan?: Date): Promise<number> {
    return this.deleteWhere({ filters: { reminderSent: true, ...(olderThan === undefined ? {} : { reminderExpiresAt: { lte: olderThan } }) } });
  }

}

function soonestFirst(a: Reminder, b: Reminder): number {
  const byTime = a.reminderExpiresAt.getTime() - b.reminderExpiresAt.getTime();
  if (byTime !== 0) return byTime;
  return a.reminderId.length - b.reminderId.length || (a.reminderId < b.reminderId ? -1 : a.reminderId > b.reminderId ? 1 : 0);
}
