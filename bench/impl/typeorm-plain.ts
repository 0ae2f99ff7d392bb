import { DataSource, type EntityManager } from 'typeorm';
import { ALL_ENTITIES } from '../../src/entities/all-entities';
import { Case } from '../../src/entities/case';
import { Guild } from '../../src/entities/guild';
import { DEFAULT_LEVEL_FORMULA } from '../../src/entities/level-formula';
import { Levels } from '../../src/entities/levels';
import { Reminder } from '../../src/entities/reminder';
import { caseFields, type CasePage, type CaseRow, type Implementation, type NewCaseInput, type NewReminderInput, type ReminderRow } from '../implementation';
import type { PoolSettings } from '../pool-settings';
import { StatementImplementation } from './statement-implementation';

/** A TypeORM DataSource on the library's entities with the shared pool settings (pg parsers, pg's Client). */
export async function openTypeOrm(url: string, s: PoolSettings): Promise<DataSource> {
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    entities: [...ALL_ENTITIES],
    poolSize: s.max,
    applicationName: s.applicationName,
    connectTimeoutMS: s.connectionTimeoutMillis,
    extra: { idleTimeoutMillis: s.idleTimeoutMillis, connectionTimeoutMillis: s.connectionTimeoutMillis, statement_timeout: s.statementTimeoutMs },
    logging: false,
  });
  await dataSource.initialize();
  return dataSource;
}

/**
 * Plain TypeORM on the same entities, written the way its documentation teaches: Repository find/save/
 * update, QueryBuilder where an expression is needed, and `dataSource.transaction` around counter + insert.
 */
export class TypeOrmPlain implements Implementation {
  readonly name = 'TypeORM as taught';

  constructor(private readonly dataSource: DataSource) {}

  private get cases() {
    return this.dataSource.getRepository(Case);
  }

  getCase(caseId: string): Promise<Case | null> {
    return this.cases.findOneBy({ caseId });
  }

  findUserCases(guildId: string, userId: string, limit: number): Promise<Case[]> {
    return this.cases.find({ where: { guildId, caseUserId: userId }, order: { caseNumber: 'DESC' }, take: limit });
  }

  countUserCases(guildId: string, userId: string): Promise<number> {
    return this.cases.countBy({ guildId, caseUserId: userId });
  }

  createReminder(input: NewReminderInput): Promise<ReminderRow> {
    const reminders = this.dataSource.getRepository(Reminder);
    return reminders.save(reminders.create(input));
  }

  createReminders(inputs: ReadonlyArray<NewReminderInput>): Promise<ReminderRow[]> {
    const reminders = this.dataSource.getRepository(Reminder);
    return reminders.save(inputs.map((input) => reminders.create(input)));
  }

  async updateCaseReason(caseId: string, reason: string): Promise<Case | null> {
    await this.cases.update({ caseId }, { caseReason: reason });
    return this.cases.findOneBy({ caseId });
  }

  createCase(guildId: string, input: NewCaseInput): Promise<CaseRow> {
    return this.dataSource.transaction(async (manager) => {
      const caseNumber = await bumpCounter(manager, guildId, 1);
      return manager.save(manager.create(Case, caseFields(input, guildId, caseNumber)));
    });
  }

  createCases(guildId: string, inputs: ReadonlyArray<NewCaseInput>): Promise<CaseRow[]> {
    return this.dataSource.transaction(async (manager) => {
      const last = await bumpCounter(manager, guildId, inputs.length);
      const created = inputs.map((input, i) => manager.create(Case, caseFields(input, guildId, last - inputs.length + i + 1)));
      return manager.save(created);
    });
  }

  async setGuildCasesProcessed(guildId: string, processed: boolean): Promise<number> {
    return (await this.cases.update({ guildId }, { caseProcessed: processed })).affected ?? 0;
  }

  async casePage(guildId: string, page: number, perPage: number): Promise<CasePage> {
    const [items, total] = await this.cases.findAndCount({ where: { guildId }, order: { caseNumber: 'DESC' }, skip: (page - 1) * perPage, take: perPage });
    return { items, total };
  }

  addXp(userId: string, guildId: string, amount: number): Promise<{ xp: number; level: number }> {
    return this.dataSource.transaction(async (manager) => {
      await manager.createQueryBuilder().insert().into(Levels).values({ userId, guildId }).orIgnore().execute();
      const result = await manager
        .createQueryBuilder()
        .update(Levels)
        .set({ xp: () => '"xp" + :amount', level: () => `${DEFAULT_LEVEL_FORMULA.levelSql('("xp" + :amount)')}` })
        .setParameter('amount', amount)
        .where({ userId, guildId, blacklisted: false })
        .returning(['xp', 'level'])
        .execute();
      return firstRaw<{ xp: number; level: number }>(result.raw);
    });
  }

  async close(): Promise<void> {
    await this.dataSource.destroy();
  }
}

// `case_count = case_count + n … RETURNING` takes the guild row's lock until commit: numbers stay gapless.
async function bumpCounter(manager: EntityManager, guildId: string, n: number): Promise<number> {
  const result = await manager
    .createQueryBuilder()
    .update(Guild)
    .set({ caseCount: () => '"case_count" + :n' })
    .setParameter('n', n)
    .where({ guildId })
    .returning(['caseCount'])
    .execute();
  return firstRaw<{ case_count: number }>(result.raw).case_count;
}

function firstRaw<R>(raw: unknown): R {
  if (!Array.isArray(raw) || raw.length === 0) throw new Error('the statement returned no row');
  return raw[0] as R;
}

/** TypeORM as its documentation teaches it. */
export async function createTypeOrmPlain(url: string, settings: PoolSettings): Promise<Implementation> {
  return new TypeOrmPlain(await openTypeOrm(url, settings));
}

/**
 * TypeORM's best: the library's statements through its raw-SQL API (a QueryRunner's `query`, what
 * `dataSource.query` runs, asked for the structured result to get UPDATE's row count). TypeORM has no named
 * statements, so each is parsed and planned on every call.
 */
export async function createTypeOrmBest(url: string, settings: PoolSettings): Promise<Implementation> {
  const dataSource = await openTypeOrm(url, settings);
  return new StatementImplementation(
    'TypeORM best effort',
    async (_statement, text, values) => {
      const runner = dataSource.createQueryRunner();
      try {
        const result = await runner.query(text, values, true);
        return { rows: Array.isArray(result.records) ? (result.records as Record<string, unknown>[]) : [], rowCount: result.affected ?? 0 };
      } finally {
        await runner.release();
      }
    },
    () => dataSource.destroy(),
  );
}
