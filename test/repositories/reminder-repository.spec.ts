import { spawn } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import type { Reminder } from '../../src/entities/reminder';
import { ValidationError } from '../../src/errors/validation-error';
import type { NewReminder } from '../../src/repositories/reminder-repository';
import { useTestDatabase } from '../support/test-database';
import { testDatabaseUrl } from '../support/test-server';

const ROOT = path.join(__dirname, '..', '..');

/** Starts the claimer fixture; resolves `ready` once it is connected, `done` with the ids it claimed. */
function startClaimer(env: Record<string, string>): { ready: Promise<void>; go(): void; done: Promise<string[]> } {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'reflect-metadata', path.join(ROOT, 'test', 'fixtures', 'reminder-claimer.ts')],
    { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (out.startsWith('ready\n')) markReady();
  });
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const done = new Promise<string[]>((resolve, reject) => {
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`reminder-claimer exited with ${code}: ${err}`));
      const last = out.trim().split('\n').pop() ?? '[]';
      resolve(JSON.parse(last) as string[]);
    });
  });
  // A child that dies before "ready" must fail the test, not hang it.
  const readyOrDead = Promise.race([ready, done.then(() => Promise.reject(new Error(`reminder-claimer ended before ready: ${out}`)))]);
  return { ready: readyOrDead, go: () => child.stdin.end('go\n'), done };
}

describe('ReminderRepository', () => {
  const t = useTestDatabase({ poolSize: 20, deleteGuilds: 'afterEach' });
  const { newGuild, countStatements } = t;
  // Due times far in the past, so a claim at CLAIM_NOW only ever sees this suite's reminders.
  const CLAIM_NOW = new Date('1991-08-25T20:57:08Z');
  const dueAt = (secondsBefore: number): Date => new Date(CLAIM_NOW.getTime() - secondsBefore * 1000);
  const reminder = (guildId: string, overrides: Partial<NewReminder> = {}): NewReminder => ({
    reminderContent: 'take out the trash',
    reminderExpiresAt: dueAt(60),
    reminderChannelId: '1111',
    reminderUserId: '2222',
    guildId,
    ...overrides,
  });
  const ids = (rows: ReadonlyArray<Reminder>): string[] => rows.map((r) => r.reminderId);

  describe('createReminder', () => {
    it('creates an unsent reminder and the missing guild row in one statement', async () => {
      const guildId = newGuild();
      const { result, statements } = await countStatements(() => t.db.reminder.createReminder(reminder(guildId, { reminderUserId: 9223372036854775807n })));
      expect(statements).to.have.length(1);
      expect(result).to.deep.include({ guildId, reminderSent: false, reminderUserId: '9223372036854775807', reminderContent: 'take out the trash' });
      expect(result.reminderId).to.be.a('string');
      expect(result.reminderExpiresAt.getTime()).to.equal(dueAt(60).getTime());
      expect(await t.db.guild.exists({ filters: { guildId } })).to.equal(true);
    });

    it('rejects bad input, including reminderSent, with ValidationError', async () => {
      const guildId = newGuild();
      await expect(t.db.reminder.createReminder(reminder(guildId, { reminderContent: '' }))).to.be.rejectedWith(ValidationError, /reminderContent/);
      await expect(t.db.reminder.createReminder(reminder(guildId, { reminderExpiresAt: new Date('nope') }))).to.be.rejectedWith(ValidationError, /reminderExpiresAt/);
      await expect(t.db.reminder.createReminder(reminder(guildId, { reminderChannelId: 'abc' }))).to.be.rejectedWith(ValidationError, /reminderChannelId/);
      await expect(t.db.reminder.createReminder({ ...reminder(guildId), reminderSent: true } as never)).to.be.rejectedWith(ValidationError, /reminderSent/);
      expect(await t.db.guild.exists({ filters: { guildId } })).to.equal(false);
    });

    it('makes every insert unsent: the generic writes refuse reminderSent: true before any SQL, so no reminder is lost', async () => {
      const guildId = newGuild();
      const sent = { ...reminder(guildId), reminderSent: true };
      const { statements } = await countStatements(async () => {
        await expect(t.db.reminder.create(sent)).to.be.rejectedWith(ValidationError, /reminderSent cannot be set: a new reminder is unsent/);
        await expect(t.db.reminder.createMany([reminder(guildId), sent])).to.be.rejectedWith(ValidationError, /\[1\]\.reminderSent/);
      });
      expect(statements).to.have.length(0);
      expect((await t.db.reminder.create({ ...reminder(guildId), reminderSent: false })).reminderSent).to.equal(false);
    });

    it('is also what the generic create does (guild row included)', async () => {
      const guildId = newGuild();
      expect((await t.db.reminder.create({ ...reminder(guildId), reminderExpiresAt: dueAt(60) })).guildId).to.equal(guildId);
    });
  });

  describe('listing and deleting', () => {
    it('getRemindersByUser lists a user’s pending reminders, soonest first, in one guild or all', async () => {
      const [a, b] = [newGuild(), newGuild()];
      const late = await t.db.reminder.createReminder(reminder(a, { reminderExpiresAt: new Date('2040-01-01T00:00:00Z') }));
      const soon = await t.db.reminder.createReminder(reminder(b, { reminderExpiresAt: dueAt(10) }));
      await t.db.reminder.createReminder(reminder(a, { reminderUserId: '3333' }));
      expect(ids(await t.db.reminder.getRemindersByUser('2222'))).to.include.ordered.members([soon.reminderId, late.reminderId]);
      expect(ids(await t.db.reminder.getRemindersByUser('2222', a))).to.deep.equal([late.reminderId]);
      await t.db.reminder.claimDueReminders(CLAIM_NOW);
      expect(ids(await t.db.reminder.getRemindersByUser('2222', b))).to.deep.equal([]);
    });

    it('getRemindersByGuild lists the guild’s pending reminders, soonest first', async () => {
      const guildId = newGuild();
      const second = await t.db.reminder.createReminder(reminder(guildId, { reminderExpiresAt: new Date('2040-01-02T00:00:00Z') }));
      const first = await t.db.reminder.createReminder(reminder(guildId, { reminderExpiresAt: new Date('2040-01-01T00:00:00Z') }));
      expect(ids(await t.db.reminder.getRemindersByGuild(guildId))).to.deep.equal([first.reminderId, second.reminderId]);
    });

    it('deleteReminder reports whether a reminder went', async () => {
      const r = await t.db.reminder.createReminder(reminder(newGuild()));
      expect(await t.db.reminder.deleteReminder(r.reminderId)).to.equal(true);
      expect(await t.db.reminder.deleteReminder(r.reminderId)).to.equal(false);
    });

    it('deleteSentReminders removes sent reminders only, optionally those expired by a date', async () => {
      const guildId = newGuild();
      const old = await t.db.reminder.createReminder(reminder(guildId, { reminderExpiresAt: dueAt(3600) }));
      const recent = await t.db.reminder.createReminder(reminder(guildId, { reminderExpiresAt: dueAt(1) }));
      const pending = await t.db.reminder.createReminder(reminder(guildId, { reminderExpiresAt: new Date('2040-01-01T00:00:00Z') }));
      await t.db.reminder.claimDueReminders(CLAIM_NOW);
      expect(await t.db.reminder.deleteSentReminders(dueAt(60))).to.equal(1);
      expect(await t.db.reminder.getById(old.reminderId)).to.equal(null);
      expect(await t.db.reminder.getById(recent.reminderId)).to.not.equal(null);
      expect(await t.db.reminder.deleteSentReminders()).to.be.at.least(1);
      expect(await t.db.reminder.getById(recent.reminderId)).to.equal(null);
      expect(await t.db.reminder.getById(pending.reminderId)).to.not.equal(null);
      await expect(t.db.reminder.deleteSentReminders(new Date('x'))).to.be.rejectedWith(ValidationError);
    });
  });

  describe('claimDueReminders', () => {
    it('marks due, unsent reminders sent and returns them soonest first, in exactly one statement', async () => {
      const guildId = newGuild();
      const b = await t.db.reminder.createReminder(reminder(guildId, { reminderExpiresAt: dueAt(5) }));
      const a = await t.db.reminder.createReminder(reminder(guildId, { reminderExpiresAt: dueAt(50) }));
      const future = await t.db.reminder.createReminder(reminder(guildId, { reminderExpiresAt: new Date(CLAIM_NOW.getTime() + 1000) }));
      const { result, statements } = await countStatements(() => t.db.reminder.claimDueReminders(CLAIM_NOW, 100));
      expect(statements).to.have.length(1);
      expect(statements[0]).to.match(/FOR UPDATE SKIP LOCKED/);
      expect(ids(result)).to.deep.equal([a.reminderId, b.reminderId]);
      expect(result.every((r) => r.reminderSent)).to.equal(true);
      expect((await t.db.reminder.getById(future.reminderId))?.reminderSent).to.equal(false);
      expect(await t.db.reminder.claimDueReminders(CLAIM_NOW)).to.deep.equal([]);
    });

    it('takes at most `limit`, oldest due first', async () => {
      const guildId = newGuild();
      const created: Reminder[] = [];
      for (let i = 0; i < 5; i++) created.push(await t.db.reminder.createReminder(reminder(guildId, { reminderExpiresAt: dueAt(100 - i) })));
      expect(ids(await t.db.reminder.claimDueReminders(CLAIM_NOW, 2))).to.deep.equal(ids(created.slice(0, 2)));
      expect(ids(await t.db.reminder.claimDueReminders(CLAIM_NOW, 10))).to.deep.equal(ids(created.slice(2)));
    });

    it('takes at most `limit` whatever plan the server picks, even one that rescans the pick for every row it updates', async () => {
      const guildId = newGuild();
      const created: Reminder[] = [];
      // Oldest due first in id order too: the order in which a rescanning plan meets them.
      for (let i = 0; i < 5; i++) created.push(await t.db.reminder.createReminder(reminder(guildId, { reminderExpiresAt: dueAt(100 - i) })));
      const claimed = await t.db.transaction(async () => {
        // Leaves the planner a nested loop whose inner side is the pick, run again for every outer row.
        for (const setting of ['enable_hashjoin', 'enable_mergejoin', 'enable_material', 'enable_sort', 'enable_hashagg', 'enable_seqscan']) {
          await t.db.service.query(`SET LOCAL ${setting} = off`, []);
        }
        return t.db.reminder.claimDueReminders(CLAIM_NOW, 2);
      });
      expect(ids(claimed)).to.deep.equal(ids(created.slice(0, 2)));
      expect(ids(await t.db.reminder.claimDueReminders(CLAIM_NOW, 10))).to.deep.equal(ids(created.slice(2)));
    });

    it('validates now and limit before sending SQL', async () => {
      await expect(t.db.reminder.claimDueReminders(new Date('bad'))).to.be.rejectedWith(ValidationError, /now/);
      await expect(t.db.reminder.claimDueReminders(CLAIM_NOW, 0)).to.be.rejectedWith(ValidationError, /limit/);
      await expect(t.db.reminder.claimDueReminders(CLAIM_NOW, 1.5)).to.be.rejectedWith(ValidationError, /limit/);
      await expect(t.db.reminder.claimDueReminders(CLAIM_NOW, 100_000)).to.be.rejectedWith(ValidationError, /limit/);
    });

    it('skips reminders another transaction holds instead of waiting, and a rolled-back claim releases them', async () => {
      const guildId = newGuild();
      for (let i = 0; i < 10; i++) await t.db.reminder.createReminder(reminder(guildId, { reminderExpiresAt: dueAt(100 - i) }));
      let inside: Reminder[] | undefined;
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const unit = t.db.transaction(async () => {
        inside = await t.db.reminder.claimDueReminders(CLAIM_NOW, 4);
        await gate;
        throw new Error('delivery failed');
      });
      while (inside === undefined) await sleep(5);
      // Without SKIP LOCKED this would wait for the unit, which waits for the gate: the timeout catches it.
      const outside = await Promise.race([t.db.reminder.claimDueReminders(CLAIM_NOW, 100), sleep(5000).then(() => 'blocked' as const)]);
      release();
      await expect(unit).to.be.rejectedWith('delivery failed');
      expect(outside).to.not.equal('blocked');
      const outsideIds = ids(outside as Reminder[]);
      expect(outsideIds).to.have.length(6);
      expect(outsideIds.filter((id) => ids(inside ?? []).includes(id))).to.deep.equal([]);
      // The rollback put the four back: they are due again.
      expect(ids(await t.db.reminder.claimDueReminders(CLAIM_NOW, 100)).sort()).to.deep.equal(ids(inside).sort());
    });

    it('gives 20 concurrent pollers in one process disjoint sets covering every reminder', async () => {
      const guildId = newGuild();
      const created = await Promise.all(Array.from({ length: 100 }, (_, i) => t.db.reminder.createReminder(reminder(guildId, { reminderExpiresAt: dueAt(i + 1) }))));
      const claimed: string[] = [];
      await Promise.all(
        Array.from({ length: 20 }, async () => {
          for (;;) {
            const got = await t.db.reminder.claimDueReminders(CLAIM_NOW, 3);
            if (got.length === 0) return;
            claimed.push(...ids(got));
          }
        }),
      );
      expect(claimed).to.have.length(100);
      expect(new Set(claimed)).to.deep.equal(new Set(ids(created)));
    });

    it('delivers each of 300 due reminders exactly once to two processes polling at once', async function () {
      this.timeout(120_000);
      const guildId = newGuild();
      const created: Reminder[] = [];
      for (let i = 0; i < 300; i += 50) {
        created.push(...(await Promise.all(Array.from({ length: 50 }, (_, k) => t.db.reminder.createReminder(reminder(guildId, { reminderExpiresAt: dueAt(i + k + 1) }))))));
      }
      const env = {
        TUX_CLAIMER_URL: testDatabaseUrl(),
        TUX_CLAIMER_NOW: CLAIM_NOW.toISOString(),
        TUX_CLAIMER_BATCH: '10',
        TUX_CLAIMER_WORKERS: '3',
        // A short pause between batches keeps both processes polling for the whole run.
        TUX_CLAIMER_PAUSE_MS: '2',
      };
      const claimers = [startClaimer(env), startClaimer(env)];
      // Both are connected before either starts claiming.
      await Promise.all(claimers.map((c) => c.ready));
      for (const c of claimers) c.go();
      const [first, second] = (await Promise.all(claimers.map((c) => c.done))) as [string[], string[]];

      expect(first.length, 'the first process claimed nothing').to.be.greaterThan(0);
      expect(second.length, 'the second process claimed nothing').to.be.greaterThan(0);
      expect(first.filter((id) => second.includes(id)), 'reminders delivered twice').to.deep.equal([]);
      const all = [...first, ...second];
      expect(all).to.have.length(300);
      expect(new Set(all)).to.deep.equal(new Set(ids(created)));
      expect(await t.db.reminder.count({ filters: { guildId, reminderSent: false } })).to.equal(0);
    });
  });
});
