// One bot process of the soak (bench/soak.ts starts several): behind PgBouncer (DATABASE_URL, TUX_DB_BEHIND_POOLER)
// with a replica (TUX_DB_REPLICAS), it runs SOAK_CONCURRENCY loops of moderation, XP and reminder traffic until
// SOAK_SECONDS have passed, each event in a read context of its own, and prints one JSON line (SoakWorkerReport).
import 'reflect-metadata';
import { createDatabase } from '../src/container';
import { CaseType } from '../src/entities/enums';

/** What one soak process reports. */
export interface SoakWorkerReport {
  readonly cases: number;
  readonly xp: number;
  readonly reminders: ReadonlyArray<string>;
  readonly claimed: ReadonlyArray<string>;
  readonly errors: ReadonlyArray<string>;
  readonly stale: ReadonlyArray<string>;
  readonly onReplica: number;
  readonly onPrimary: number;
  readonly latenciesMs: ReadonlyArray<number>;
}

const pick = <T>(items: ReadonlyArray<T>): T => items[Math.floor(Math.random() * items.length)] as T;

async function main(): Promise<void> {
  const seconds = Number(process.env['SOAK_SECONDS'] ?? 60);
  const guilds = (process.env['SOAK_GUILDS'] ?? '1').split(',');
  const concurrency = Number(process.env['SOAK_CONCURRENCY'] ?? 4);
  const replicaPort = Number(new URL(process.env['TUX_DB_REPLICAS'] ?? 'postgres://x@h:0/x').port);
  const db = await createDatabase({ migrate: false, poolSize: Number(process.env['SOAK_POOL_SIZE'] ?? 4) });
  const report = { cases: 0, xp: 0, reminders: [] as string[], claimed: [] as string[], errors: [] as string[], stale: [] as string[], onReplica: 0, onPrimary: 0, latenciesMs: [] as number[] };
  db.service.onQuery((e) => {
    if (e.touches !== undefined && e.touches.writes.length === 0 && !e.inUnit) e.server?.port === replicaPort ? report.onReplica++ : report.onPrimary++;
  });

  // One gateway event: a read, then a moderation action read back, a message's XP, or a reminder set and the due ones claimed.
  const event = async (): Promise<void> => {
    const guildId = pick(guilds);
    const userId = String(1 + Math.floor(Math.random() * 50));
    // Every event reads first, as a bot checks a member's level or the guild's cases before acting: a fresh
    // context owes no write, so these may go to the replica.
    await db.levels.getLevel(userId, guildId);
    const kind = Math.random();
    if (kind < 0.4) {
      const created = await db.case.createCase({ caseType: CaseType.WARN, caseUserId: userId, caseModeratorId: '9', guildId, caseReason: `soak ${process.pid}` });
      report.cases++;
      const read = await db.case.getCaseByNumber(created.caseNumber, guildId);
      if (read?.caseId !== created.caseId) report.stale.push(`case ${guildId}#${created.caseNumber}: ${JSON.stringify(read?.caseId ?? null)}`);
    } else if (kind < 0.8) {
      const result = await db.levels.addXp(userId, guildId, 1);
      report.xp++;
      const xp = await db.levels.getXp(userId, guildId);
      if (xp < result.xp) report.stale.push(`xp of ${userId}@${guildId}: ${xp} < ${result.xp}`);
    } else {
      const reminder = await db.reminder.createReminder({ reminderContent: 'soak', reminderExpiresAt: new Date(Date.now() - 1), reminderChannelId: '5', reminderUserId: userId, guildId });
      report.reminders.push(reminder.reminderId);
      for (const claimed of await db.reminder.claimDueReminders(new Date(), 10)) report.claimed.push(claimed.reminderId);
    }
  };

  const deadline = Date.now() + seconds * 1_000;
  const loop = async (): Promise<void> => {
    while (Date.now() < deadline) {
      const started = performance.now();
      try {
        await db.service.withReadContext(event);
      } catch (e) {
        report.errors.push(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
      }
      report.latenciesMs.push(performance.now() - started);
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, loop));
  } finally {
    await db.close();
  }
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
