import { CamelCasePlugin, CompiledQuery, Kysely, PostgresDialect, sql, type Expression, type RawBuilder, type Transaction } from 'kysely';
import { Pool } from 'pg';
import { caseFields, type CasePage, type CaseRow, type Implementation, type NewCaseInput, type NewReminderInput, type ReminderRow } from '../implementation';
import { pgPoolConfig, type PoolSettings } from '../pool-settings';
import type { KyselyDatabase } from './kysely-schema';
import { ignoreIdleErrors } from './raw-pg';
import { StatementImplementation } from './statement-implementation';

// The library's default level formula (tuxLevelFormula(2)) for an XP expression.
function tuxLevel(xp: Expression<number>): RawBuilder<number> {
  return sql<number>`floor(sqrt(GREATEST(${xp}, 0) / 500::double precision) * 5::double precision)`;
}

function first<R>(row: R | undefined): R {
  if (row === undefined) throw new Error('the statement returned no row');
  return row;
}

/**
 * Kysely on pg (PostgresDialect on a Pool with the shared settings), written the way its documentation teaches:
 * a typed database interface with CamelCasePlugin, the query builder for each statement, and
 * `db.transaction().execute` around counter + insert.
 */
export class KyselyPlain implements Implementation {
  readonly name = 'Kysely as taught';

  constructor(private readonly db: Kysely<KyselyDatabase>) {}

  async getCase(caseId: string): Promise<CaseRow | null> {
    return (await this.db.selectFrom('cases').selectAll().where('caseId', '=', caseId).executeTakeFirst()) ?? null;
  }

  findUserCases(guildId: string, userId: string, limit: number): Promise<CaseRow[]> {
    return this.db.selectFrom('cases').selectAll().where('guildId', '=', guildId).where('caseUserId', '=', userId).orderBy('caseNumber', 'desc').limit(limit).execute();
  }

  async countUserCases(guildId: string, userId: string): Promise<number> {
    const row = await this.db
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('guildId', '=', guildId)
      .where('caseUserId', '=', userId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  createReminder(input: NewReminderInput): Promise<ReminderRow> {
    return this.db.insertInto('reminder').values(input).returningAll().executeTakeFirstOrThrow();
  }

  createReminders(inputs: ReadonlyArray<NewReminderInput>): Promise<ReminderRow[]> {
    return this.db.insertInto('reminder').values([...inputs]).returningAll().execute();
  }

  async updateCaseReason(caseId: string, reason: string): Promise<CaseRow | null> {
    const row = await this.db.updateTable('cases').set({ caseReason: reason, caseUpdatedAt: sql<Date>`now()` }).where('caseId', '=', caseId).returningAll().executeTakeFirst();
    return row ?? null;
  }

  createCase(guildId: string, input: NewCaseInput): Promise<CaseRow> {
    return this.db.transaction().execute(async (trx) => {
      const caseNumber = await bumpCounter(trx, guildId, 1);
      return trx.insertInto('cases').values(caseFields(input, guildId, caseNumber)).returningAll().executeTakeFirstOrThrow();
    });
  }

  createCases(guildId: string, inputs: ReadonlyArray<NewCaseInput>): Promise<CaseRow[]> {
    return this.db.transaction().execute(async (trx) => {
      const last = await bumpCounter(trx, guildId, inputs.length);
      const rows = inputs.map((input, i) => caseFields(input, guildId, last - inputs.length + i + 1));
      return (await trx.insertInto('cases').values(rows).returningAll().execute()).sort((a, b) => a.caseNumber - b.caseNumber);
    });
  }

  async setGuildCasesProcessed(guildId: string, processed: boolean): Promise<number> {
    const result = await this.db.updateTable('cases').set({ caseProcessed: processed, caseUpdatedAt: sql<Date>`now()` }).where('guildId', '=', guildId).executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async casePage(guildId: string, page: number, perPage: number): Promise<CasePage> {
    const items = await this.db
      .selectFrom('cases')
      .selectAll()
      .where('guildId', '=', guildId)
      .orderBy('caseNumber', 'desc')
      .limit(perPage)
      .offset((page - 1) * perPage)
      .execute();
    const total = await this.db
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('guildId', '=', guildId)
      .executeTakeFirstOrThrow();
    return { items, total: Number(total.n) };
  }

  async addXp(userId: string, guildId: string, amount: number): Promise<{ xp: number; level: number }> {
    return first(
      await this.db
        .insertInto('levels')
        .values({ userId, guildId, xp: amount, level: tuxLevel(sql<number>`${amount}::double precision`) })
        .onConflict((oc) =>
          oc
            .columns(['userId', 'guildId'])
            .doUpdateSet((eb) => ({
              xp: eb('levels.xp', '+', eb.ref('excluded.xp')),
              level: tuxLevel(eb('levels.xp', '+', eb.ref('excluded.xp'))),
              lastMessage: sql<Date>`now()`,
            }))
            .where('levels.blacklisted', '=', false),
        )
        .returning(['xp', 'level'])
        .executeTakeFirst(),
    );
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}

// `case_count = case_count + n … RETURNING` holds the guild row's lock until commit: numbers stay gapless.
async function bumpCounter(trx: Transaction<KyselyDatabase>, guildId: string, n: number): Promise<number> {
  const row = await trx
    .updateTable('guild')
    .set((eb) => ({ caseCount: eb('caseCount', '+', n), updatedAt: sql<Date>`now()` }))
    .where('guildId', '=', guildId)
    .returning('caseCount')
    .executeTakeFirstOrThrow();
  return row.caseCount;
}

function openKysely(url: string, settings: PoolSettings, camelCase: boolean): Kysely<KyselyDatabase> {
  const pool = ignoreIdleErrors(new Pool(pgPoolConfig(url, settings)));
  return new Kysely<KyselyDatabase>({ dialect: new PostgresDialect({ pool }), plugins: camelCase ? [new CamelCasePlugin()] : [] });
}

/** Kysely as its documentation teaches it. */
export function createKyselyPlain(url: string, settings: PoolSettings): Implementation {
  return new KyselyPlain(openKysely(url, settings, true));
}

/**
 * Kysely's best: the library's statements as raw queries (`db.executeQuery(CompiledQuery.raw(text, values))`, the
 * cheapest path through Kysely's executor; the `sql` tag builds the same query). Kysely's PostgresDriver sends every
 * query unnamed, so each is parsed and planned on every call. No CamelCasePlugin: the statements alias the columns.
 */
export function createKyselyBest(url: string, settings: PoolSettings): Implementation {
  const db = openKysely(url, settings, false);
  return new StatementImplementation(
    'Kysely best effort',
    async (_name, text, values) => {
      const result = await db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(text, values));
      return { rows: result.rows, rowCount: Number(result.numAffectedRows ?? 0) };
    },
    () => db.destroy(),
  );
}
