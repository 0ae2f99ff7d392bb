import { createDatabase } from '../../src/container';
import type { DatabaseCoordinator } from '../../src/coordinator';
import type { DatabaseOptions } from '../../src/config';
import { caseFields, type CasePage, type CaseRow, type Implementation, type NewCaseInput, type NewReminderInput, type ReminderRow } from '../implementation';

/** This library's public API, exactly as a bot calls it. */
export class Library implements Implementation {
  constructor(
    readonly name: string,
    readonly db: DatabaseCoordinator,
  ) {}

  getCase(caseId: string): Promise<CaseRow | null> {
    return this.db.case.getById(caseId);
  }

  findUserCases(guildId: string, userId: string, limit: number): Promise<CaseRow[]> {
    return this.db.case.findAll({ filters: { guildId, caseUserId: userId }, orderBy: { caseNumber: 'DESC' }, limit });
  }

  countUserCases(guildId: string, userId: string): Promise<number> {
    return this.db.case.count({ filters: { guildId, caseUserId: userId } });
  }

  createReminder(input: NewReminderInput): Promise<ReminderRow> {
    return this.db.reminder.createReminder(input);
  }

  createReminders(inputs: ReadonlyArray<NewReminderInput>): Promise<ReminderRow[]> {
    return this.db.reminder.createMany(inputs);
  }

  updateCaseReason(caseId: string, reason: string): Promise<CaseRow | null> {
    return this.db.case.updateById(caseId, { caseReason: reason });
  }

  createCase(guildId: string, input: NewCaseInput): Promise<CaseRow> {
    return this.db.case.createCase(caseFields(input, guildId));
  }

  createCases(guildId: string, inputs: ReadonlyArray<NewCaseInput>): Promise<CaseRow[]> {
    return this.db.case.createCases(guildId, inputs);
  }

  setGuildCasesProcessed(guildId: string, processed: boolean): Promise<number> {
    return this.db.case.updateWhere({ filters: { guildId }, values: { caseProcessed: processed } });
  }

  casePage(guildId: string, page: number, perPage: number): Promise<CasePage> {
    return this.db.case.paginate({ filters: { guildId }, orderBy: { caseNumber: 'DESC' }, page, perPage });
  }

  addXp(userId: string, guildId: string, amount: number): Promise<{ xp: number; level: number }> {
    return this.db.levels.addXp(userId, guildId, amount);
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

/**
 * The library through createDatabase: on `url`, or, without one, on the embedded server in `dataDir`
 * (started here, migrated, stopped by close()).
 */
export async function openLibrary(name: string, options: DatabaseOptions): Promise<Library> {
  return new Library(name, await createDatabase(options));
}
