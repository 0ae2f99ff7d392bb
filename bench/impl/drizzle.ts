import { and, count, desc, eq, sql, type SQL } from 'drizzle-orm';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { Pool } from 'pg';
import { caseFields, type CasePage, type CaseRow, type Implementation, type NewCaseInput, type NewReminderInput, type ReminderRow } from '../implementation';
import { pgPoolConfig, type PoolSettings } from '../pool-settings';
import { cases, guild, levels, reminder } from './drizzle-schema';
import { ignoreIdleErrors } from './raw-pg';

/** A Drizzle database on its own pg Pool. */
export type DrizzleDb = NodePgDatabase<Record<string, never>> & { $client: Pool };

/** A Drizzle database on a new pg Pool with the shared settings. */
export function openDrizzle(url: string, settings: PoolSettings): DrizzleDb {
  return drizzle({ client: ignoreIdleErrors(new Pool(pgPoolConfig(url, settings))) });
}

/**
 * Drizzle ORM with node-postgres, written the way its documentation teaches: the query builder for each
 * statement, `db.transaction` around counter + insert.
 */
export class DrizzlePlain implements Implementation {
  readonly name = 'Drizzle as taught';

  constructor(protected readonly db: DrizzleDb) {}

  async getCase(caseId: string): Promise<CaseRow | null> {
    return (await this.db.select().from(cases).where(eq(cases.caseId, caseId)))[0] ?? null;
  }

  findUserCases(guildId: string, userId: string, limit: number): Promise<CaseRow[]> {
    return this.db
      .select()
      .from(cases)
      .where(and(eq(cases.guildId, guildId), eq(cases.caseUserId, userId)))
      .orderBy(desc(cases.caseNumber))
      .limit(limit);
  }

  async countUserCases(guildId: string, userId: string): Promise<number> {
    const rows = await this.db.select({ n: count() }).from(cases).where(and(eq(cases.guildId, guildId), eq(cases.caseUserId, userId)));
    return rows[0]?.n ?? 0;
  }

  async createReminder(input: NewReminderInput): Promise<ReminderRow> {
    return first(await this.db.insert(reminder).values(input).returning());
  }

  createReminders(inputs: ReadonlyArray<NewReminderInput>): Promise<ReminderRow[]> {
    return this.db.insert(reminder).values([...inputs]).returning();
  }

  async updateCaseReason(caseId: string, reason: string): Promise<CaseRow | null> {
    const rows = await this.db.update(cases).set({ caseReason: reason, caseUpdatedAt: sql`now()` }).where(eq(cases.caseId, caseId)).returning();
    return rows[0] ?? null;
  }

  createCase(guildId: string, input: NewCaseInput): Promise<CaseRow> {
    return this.db.transaction(async (tx) => {
      const caseNumber = await bumpCounter(tx, guildId, 1);
      return first(await tx.insert(cases).values(caseFields(input, guildId, caseNumber)).returning());
    });
  }

  createCases(guildId: string, inputs: ReadonlyArray<NewCaseInput>): Promise<CaseRow[]> {
    return this.db.transaction(async (tx) => {
      const last = await bumpCounter(tx, guildId, inputs.length);
      const rows = inputs.map((input, i) => caseFields(input, guildId, last - inputs.length + i + 1));
      return tx.insert(cases).values(rows).returning();
    });
  }

  async setGuildCasesProcessed(guildId: string, processed: boolean): Promise<number> {
    const result = await this.db.update(cases).set({ caseProcessed: processed, caseUpdatedAt: sql`now()` }).where(eq(cases.guildId, guildId));
    return result.rowCount ?? 0;
  }

  async casePage(guildId: string, page: number, perPage: number): Promise<CasePage> {
    const items = await this.db
      .select()
      .from(cases)
      .where(eq(cases.guildId, guildId))
      .orderBy(desc(cases.caseNumber))
      .limit(perPage)
      .offset((page - 1) * perPage);
    const total = (await this.db.select({ n: count() }).from(cases).where(eq(cases.guildId, guildId)))[0]?.n ?? 0;
    return { items, total };
  }

  async addXp(userId: string, guildId: string, amount: number): Promise<{ xp: number; level: number }> {
    const rows = await this.db
      .insert(levels)
      .values({ userId, guildId, xp: amount, level: tuxLevel(sql`${amount}::double precision`) })
      .onConflictDoUpdate({ target: [levels.userId, levels.guildId], set: XP_UPSERT_SET, setWhere: sql`not ${levels.blacklisted}` })
      .returning({ xp: levels.xp, level: levels.level });
    return first(rows);
  }

  async close(): Promise<void> {
    await this.db.$client.end();
  }
}

// The library's default level formula (tuxLevelFormula(2)) for an XP expression.
function tuxLevel(xp: SQL): SQL {
  return sql`floor(sqrt(GREATEST(${xp}, 0) / 500::double precision) * 5::double precision)`;
}

// The DO UPDATE SET of addXp: XP grows in SQL, the level follows from the new XP.
const XP_UPSERT_SET = {
  xp: sql`${levels.xp} + excluded.xp`,
  level: tuxLevel(sql`${levels.xp} + excluded.xp`),
  lastMessage: sql`now()`,
};

type Transaction = Parameters<Parameters<DrizzleDb['transaction']>[0]>[0];

// `case_count = case_count + n … RETURNING` holds the guild row's lock until commit: numbers stay gapless.
async function bumpCounter(tx: Transaction, guildId: string, n: number): Promise<number> {
  const rows = await tx
    .update(guild)
    .set({ caseCount: sql`${guild.caseCount} + ${n}`, updatedAt: sql`now()` })
    .where(eq(guild.guildId, guildId))
    .returning({ caseCount: guild.caseCount });
  return first(rows).caseCount;
}

function first<R>(rows: R[]): R {
  const row = rows[0];
  if (row === undefined) throw new Error('the statement returned no row');
  return row;
}

/** Drizzle as its documentation teaches it. */
export function createDrizzlePlain(url: string, settings: PoolSettings): Implementation {
  return new DrizzlePlain(openDrizzle(url, settings));
}
