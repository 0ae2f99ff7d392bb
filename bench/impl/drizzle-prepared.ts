import { and, count, desc, eq, sql } from 'drizzle-orm';
import type { CasePage, CaseRow, Implementation, NewReminderInput, ReminderRow } from '../implementation';
import { cases, levels, reminder } from './drizzle-schema';
import { DrizzlePlain, first, openDrizzle, XP_UPSERT_SET, type DrizzleDb } from './drizzle';

const p = sql.placeholder;

// Each single-statement query built once with placeholders and `.prepare(name)`: a named prepared statement.
// Transactions (createCase, createCases) and variable-length inserts stay as in DrizzlePlain: a prepared
// query is bound to the pool, not to a transaction's connection.
function prepareQueries(db: DrizzleDb) {
  const userCases = and(eq(cases.guildId, p('guildId')), eq(cases.caseUserId, p('userId')));
  return {
    getCase: db.select().from(cases).where(eq(cases.caseId, p('caseId'))).prepare('d_get_case'),
    findUserCases: db.select().from(cases).where(userCases).orderBy(desc(cases.caseNumber)).limit(p('limit')).prepare('d_find_user_cases'),
    countUserCases: db.select({ n: count() }).from(cases).where(userCases).prepare('d_count_user_cases'),
    createReminder: db
      .insert(reminder)
      .values({
        reminderContent: p('reminderContent'),
        reminderExpiresAt: p('reminderExpiresAt'),
        reminderChannelId: p('reminderChannelId'),
        reminderUserId: p('reminderUserId'),
        guildId: p('guildId'),
      })
      .returning()
      .prepare('d_create_reminder'),
    updateCaseReason: db
      .update(cases)
      .set({ caseReason: sql`${p('reason')}`, caseUpdatedAt: sql`now()` })
      .where(eq(cases.caseId, p('caseId')))
      .returning()
      .prepare('d_update_case_reason'),
    setProcessed: db
      .update(cases)
      .set({ caseProcessed: sql`${p('processed')}`, caseUpdatedAt: sql`now()` })
      .where(eq(cases.guildId, p('guildId')))
      .prepare('d_set_processed'),
    casePage: db
      .select()
      .from(cases)
      .where(eq(cases.guildId, p('guildId')))
      .orderBy(desc(cases.caseNumber))
      .limit(p('limit'))
      .offset(p('offset'))
      .prepare('d_case_page'),
    countGuildCases: db.select({ n: count() }).from(cases).where(eq(cases.guildId, p('guildId'))).prepare('d_count_guild_cases'),
    addXp: db
      .insert(levels)
      .values({ userId: p('userId'), guildId: p('guildId'), xp: p('amount'), level: sql`floor(sqrt(${p('amount')}::double precision / 100))` })
      .onConflictDoUpdate({ target: [levels.userId, levels.guildId], set: XP_UPSERT_SET, setWhere: sql`not ${levels.blacklisted}` })
      .returning({ xp: levels.xp, level: levels.level })
      .prepare('d_add_xp'),
  };
}

/** Drizzle with `.prepare()` on every single-statement query. */
export class DrizzlePrepared extends DrizzlePlain {
  override readonly name = 'Drizzle prepared';
  private readonly q: ReturnType<typeof prepareQueries>;

  constructor(db: DrizzleDb) {
    super(db);
    this.q = prepareQueries(db);
  }

  override async getCase(caseId: string): Promise<CaseRow | null> {
    return (await this.q.getCase.execute({ caseId }))[0] ?? null;
  }

  override findUserCases(guildId: string, userId: string, limit: number): Promise<CaseRow[]> {
    return this.q.findUserCases.execute({ guildId, userId, limit });
  }

  override async countUserCases(guildId: string, userId: string): Promise<number> {
    return (await this.q.countUserCases.execute({ guildId, userId }))[0]?.n ?? 0;
  }

  override async createReminder(input: NewReminderInput): Promise<ReminderRow> {
    return first(await this.q.createReminder.execute({ ...input }));
  }

  override async updateCaseReason(caseId: string, reason: string): Promise<CaseRow | null> {
    return (await this.q.updateCaseReason.execute({ caseId, reason }))[0] ?? null;
  }

  override async setGuildCasesProcessed(guildId: string, processed: boolean): Promise<number> {
    return (await this.q.setProcessed.execute({ guildId, processed })).rowCount ?? 0;
  }

  override async casePage(guildId: string, page: number, perPage: number): Promise<CasePage> {
    const items = await this.q.casePage.execute({ guildId, limit: perPage, offset: (page - 1) * perPage });
    const total = (await this.q.countGuildCases.execute({ guildId }))[0]?.n ?? 0;
    return { items, total };
  }

  override async addXp(userId: string, guildId: string, amount: number): Promise<{ xp: number; level: number }> {
    return first(await this.q.addXp.execute({ userId, guildId, amount }));
  }
}

/** Drizzle with prepared statements. */
export function createDrizzlePrepared(url: string, poolSize: number): Implementation {
  return new DrizzlePrepared(openDrizzle(url, poolSize));
}
