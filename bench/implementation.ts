import type { CaseType } from '../src/entities/enums';

/** A case as every implementation returns it: camelCase keys, bigints as strings, timestamps as Dates. */
export interface CaseRow {
  readonly caseId: string;
  readonly caseNumber: number;
  readonly caseType: CaseType;
  readonly caseUserId: string;
  readonly caseModeratorId: string;
  readonly guildId: string;
  readonly caseReason: string | null;
  readonly caseStatus: boolean;
  readonly caseProcessed: boolean;
  readonly caseExpiresAt: Date | null;
  readonly caseUserRoles: unknown;
  readonly caseMetadata: unknown;
  readonly modLogMessageId: string | null;
  readonly caseCreatedAt: Date;
  readonly caseUpdatedAt: Date;
}

/** A reminder as every implementation returns it. */
export interface ReminderRow {
  readonly reminderId: string;
  readonly reminderContent: string;
  readonly reminderExpiresAt: Date;
  readonly reminderChannelId: string;
  readonly reminderUserId: string;
  readonly reminderSent: boolean;
  readonly guildId: string;
}

/** What a moderator gives for a new case; the number comes from the guild's counter. */
export interface NewCaseInput {
  readonly caseType: CaseType;
  readonly caseUserId: string;
  readonly caseModeratorId: string;
  readonly caseReason: string;
}

/**
 * A new case's fields with its guild (and its number, for a peer that assigns it), as one object literal. Every
 * implementation builds its case this way: `{ ...input, guildId }` gives each object a hidden class of its own once
 * V8 (Node 20) has optimized the spread, which measured 0.7 µs to build and made every later read of the object
 * slow (about 9 µs per createCase in the library, and the same kind of cost for every peer), a cost of the harness
 * and not of the implementation measured.
 */
export function caseFields(input: NewCaseInput, guildId: string): NewCaseInput & { readonly guildId: string };
export function caseFields(input: NewCaseInput, guildId: string, caseNumber: number): NewCaseInput & { readonly guildId: string; readonly caseNumber: number };
export function caseFields(input: NewCaseInput, guildId: string, caseNumber?: number): NewCaseInput & { readonly guildId: string; readonly caseNumber?: number } {
  const { caseType, caseUserId, caseModeratorId, caseReason } = input;
  return caseNumber === undefined ? { guildId, caseType, caseUserId, caseModeratorId, caseReason } : { guildId, caseNumber, caseType, caseUserId, caseModeratorId, caseReason };
}

/** A new reminder. */
export interface NewReminderInput {
  readonly reminderContent: string;
  readonly reminderExpiresAt: Date;
  readonly reminderChannelId: string;
  readonly reminderUserId: string;
  readonly guildId: string;
}

/** One page of cases and the total count. */
export interface CasePage {
  readonly items: ReadonlyArray<CaseRow>;
  readonly total: number;
}

/**
 * The operations the workloads measure, written once per way of talking to PostgreSQL (raw pg, TypeORM,
 * Drizzle, this library). Each method must do the real thing: the workloads check the answers.
 */
export interface Implementation {
  readonly name: string;
  /** The case with this id, or null. */
  getCase(caseId: string): Promise<CaseRow | null>;
  /** A user's cases in a guild, newest first, at most `limit`. */
  findUserCases(guildId: string, userId: string, limit: number): Promise<ReadonlyArray<CaseRow>>;
  /** How many cases a user has in a guild. */
  countUserCases(guildId: string, userId: string): Promise<number>;
  /** Inserts one reminder and returns it as stored. */
  createReminder(input: NewReminderInput): Promise<ReminderRow>;
  /** Inserts many reminders and returns them as stored. */
  createReminders(inputs: ReadonlyArray<NewReminderInput>): Promise<ReadonlyArray<ReminderRow>>;
  /** Sets a case's reason (and updated-at) and returns the case, or null. */
  updateCaseReason(caseId: string, reason: string): Promise<CaseRow | null>;
  /** Creates a case with the guild's next number (the guild row exists). */
  createCase(guildId: string, input: NewCaseInput): Promise<CaseRow>;
  /** Creates cases with contiguous numbers, in input order, in one go. */
  createCases(guildId: string, inputs: ReadonlyArray<NewCaseInput>): Promise<ReadonlyArray<CaseRow>>;
  /** Sets caseProcessed (and updated-at) on every case of a guild; returns how many rows changed. */
  setGuildCasesProcessed(guildId: string, processed: boolean): Promise<number>;
  /** Page `page` (from 1) of a guild's cases, newest first, and the guild's case total. */
  casePage(guildId: string, page: number, perPage: number): Promise<CasePage>;
  /** Adds XP to a member (creating the row when missing); returns the new XP and level. */
  addXp(userId: string, guildId: string, amount: number): Promise<{ readonly xp: number; readonly level: number }>;
  /** Closes the implementation's pool. */
  close(): Promise<void>;
}
