import type { CasePage, CaseRow, Implementation, NewCaseInput, NewReminderInput, ReminderRow } from '../implementation';
import { LIBRARY_SQL, type LibraryStatement } from './library-sql';

/** What running one statement gave: its rows, and how many rows it changed (for an UPDATE without RETURNING). */
export interface StatementResult {
  readonly rows: ReadonlyArray<Record<string, unknown>>;
  readonly rowCount: number;
}

/** Runs one of the library's statements (its name, text and values) the way one driver or ORM does. */
export type RunStatement = (name: LibraryStatement, text: string, values: unknown[]) => Promise<StatementResult>;

/** The one row a statement must return. */
export function firstRow<R>(rows: ReadonlyArray<R>): R {
  const row = rows[0];
  if (row === undefined) throw new Error('the statement returned no row');
  return row;
}

// The statements' camelCase aliases are the rows' keys, so a row is the answer as it comes (the workloads check it).
function rowsAs<T>(rows: ReadonlyArray<Record<string, unknown>>): T[] {
  return rows as unknown as T[];
}

function cases(result: StatementResult): CaseRow[] {
  return rowsAs<CaseRow>(result.rows);
}

/**
 * Every operation as one of the library's own statements (LIBRARY_SQL), run by `run`: the ceiling, postgres.js
 * and the "best effort" ORM peers are this class with a different `run`. One statement per operation, the same
 * text and values as the library, so only the client side differs.
 */
export class StatementImplementation implements Implementation {
  constructor(
    readonly name: string,
    private readonly run: RunStatement,
    private readonly closePool: () => Promise<void>,
  ) {}

  async getCase(caseId: string): Promise<CaseRow | null> {
    return cases(await this.exec('getCase', [caseId]))[0] ?? null;
  }

  async findUserCases(guildId: string, userId: string, limit: number): Promise<ReadonlyArray<CaseRow>> {
    return cases(await this.exec('findUserCases', [guildId, userId, limit]));
  }

  async countUserCases(guildId: string, userId: string): Promise<number> {
    return Number(firstRow((await this.exec('countUserCases', [guildId, userId])).rows)['n']);
  }

  async createReminder(r: NewReminderInput): Promise<ReminderRow> {
    const result = await this.exec('createReminder', [r.reminderContent, r.reminderExpiresAt, r.reminderChannelId, r.reminderUserId, r.guildId]);
    return firstRow(rowsAs<ReminderRow>(result.rows));
  }

  async createReminders(inputs: ReadonlyArray<NewReminderInput>): Promise<ReadonlyArray<ReminderRow>> {
    const result = await this.exec('createReminders', [
      inputs.map((r) => r.reminderContent),
      inputs.map((r) => r.reminderExpiresAt),
      inputs.map((r) => r.reminderChannelId),
      inputs.map((r) => r.reminderUserId),
      inputs.map((r) => r.guildId),
    ]);
    return rowsAs<ReminderRow>(result.rows);
  }

  async updateCaseReason(caseId: string, reason: string): Promise<CaseRow | null> {
    return cases(await this.exec('updateCaseReason', [reason, caseId]))[0] ?? null;
  }

  async createCase(guildId: string, c: NewCaseInput): Promise<CaseRow> {
    return firstRow(cases(await this.exec('createCase', [guildId, 1, c.caseType, c.caseUserId, c.caseModeratorId, c.caseReason])));
  }

  async createCases(guildId: string, inputs: ReadonlyArray<NewCaseInput>): Promise<ReadonlyArray<CaseRow>> {
    const result = await this.exec('createCases', [
      guildId,
      inputs.length,
      inputs.map((_, i) => i),
      inputs.map((c) => c.caseType),
      inputs.map((c) => c.caseUserId),
      inputs.map((c) => c.caseModeratorId),
      inputs.map((c) => c.caseReason),
    ]);
    // RETURNING gives no order; the library sorts by number too.
    return cases(result).sort((a, b) => a.caseNumber - b.caseNumber);
  }

  async setGuildCasesProcessed(guildId: string, processed: boolean): Promise<number> {
    return (await this.exec('setGuildCasesProcessed', [processed, guildId])).rowCount;
  }

  async casePage(guildId: string, page: number, perPage: number): Promise<CasePage> {
    const { rows } = await this.exec('casePage', [guildId, perPage, (page - 1) * perPage]);
    const items = rows.map(({ __total, ...item }) => item as unknown as CaseRow);
    return { items, total: Number(rows[0]?.['__total'] ?? 0) };
  }

  async addXp(userId: string, guildId: string, amount: number): Promise<{ readonly xp: number; readonly level: number }> {
    const row = firstRow((await this.exec('addXp', [userId, guildId, amount, new Date(), null])).rows);
    return { xp: Number(row['xp']), level: Number(row['level']) };
  }

  close(): Promise<void> {
    return this.closePool();
  }

  private exec(name: LibraryStatement, values: unknown[]): Promise<StatementResult> {
    return this.run(name, LIBRARY_SQL[name], values);
  }
}
