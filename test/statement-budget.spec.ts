import { expect } from 'chai';
import { Client } from 'pg';
import sinon from 'sinon';
import { CaseType } from '../src/entities/enums';
import { useTestDatabase } from './support/test-database';
import { behindPooler } from './support/behind-pooler';

// Every public method's statement budget (docs/guide.md, "Statements per call"). Each count is taken twice: by the library's query
// listener (the SQL its repositories send) and at the driver, by spying on pg's Client#query, which also sees
// anything sent around the listener (BEGIN/COMMIT of a unit of work, TypeORM's own queries). No timing.
describe('Statement budget', () => {
  // Behind PgBouncer before 1.21 the library's one-time fallback from lost prepared statements runs a unit of work
  // again, and a budget would count its statements twice: budgets are counted unnamed there.
  const t = useTestDatabase({ deleteGuilds: 'afterEach', ...(behindPooler() ? { preparedStatements: false } : {}) });
  const { newGuild } = t;
  // Due times far in the past, so claimDueReminders at CLAIM_NOW sees only this suite's reminders.
  const CLAIM_NOW = new Date('1979-03-01T00:00:00Z');
  let sandbox: sinon.SinonSandbox;

  beforeEach(() => {
    sandbox = sinon.createSandbox();
  });
  afterEach(() => sandbox.restore());

  /** Runs `fn` and returns its result with the statements the listener saw and the round trips pg sent. */
  async function measure<T>(fn: () => Promise<T>): Promise<{ result: T; statements: string[]; roundTrips: number }> {
    const spy = sandbox.spy(Client.prototype, 'query');
    try {
      const { result, statements } = await t.countStatements(fn);
      return { result, statements, roundTrips: spy.callCount };
    } finally {
      spy.restore();
    }
  }

  /** Asserts `fn` sends exactly `budget` statements in as many round trips, and returns its result. */
  async function expectBudget<T>(budget: number, fn: () => Promise<T>): Promise<T> {
    const { result, statements, roundTrips } = await measure(fn);
    expect(statements, `statements sent:\n${statements.join('\n')}`).to.have.length(budget);
    expect(roundTrips, 'round trips seen by pg').to.equal(budget);
    return result;
  }

  const ban = (guildId: string, caseUserId = '1001') => ({ caseType: CaseType.BAN, caseUserId, caseModeratorId: '2002', guildId, caseReason: 'raid' });
  const reminder = (guildId: string, i: number) => ({
    reminderContent: `reminder ${i}`,
    reminderExpiresAt: new Date(CLAIM_NOW.getTime() - (i + 1) * 1000),
    reminderChannelId: '3003',
    reminderUserId: '4004',
    guildId,
  });

  describe('case', () => {
    it('createCase sends 1 statement outside a unit of work, also for a guild without a row', async () => {
      const guildId = newGuild();
      const first = await expectBudget(1, () => t.db.case.createCase(ban(guildId)));
      const second = await expectBudget(1, () => t.db.case.createCase(ban(guildId)));
      expect([first.caseNumber, second.caseNumber]).to.deep.equal([1, 2]);
    });

    it('createCases sends 1 statement for 100 cases', async () => {
      const guildId = newGuild();
      const cases = await expectBudget(1, () => t.db.case.createCases(guildId, Array.from({ length: 100 }, (_, i) => ban(guildId, String(5000 + i)))));
      expect(cases.map((c) => c.caseNumber)).to.deep.equal(Array.from({ length: 100 }, (_, i) => i + 1));
    });

    it('getCasesByUser of 50 cases sends 1 statement, not one per case', async () => {
      const guildId = newGuild();
      await t.db.case.createCases(guildId, Array.from({ length: 50 }, () => ban(guildId, '7007')));
      const cases = await expectBudget(1, () => t.db.case.getCasesByUser('7007', guildId));
      expect(cases).to.have.length(50);
    });
  });

  describe('generic BaseRepository methods', () => {
    it('createMany of 100 rows sends 1 statement', async () => {
      const guildId = newGuild();
      const rows = await expectBudget(1, () => t.db.reminder.createMany(Array.from({ length: 100 }, (_, i) => reminder(guildId, i))));
      expect(rows).to.have.length(100);
    });

    it('getById sends 1 statement, found or not', async () => {
      const guildId = newGuild();
      const created = await t.db.case.createCase(ban(guildId));
      expect((await expectBudget(1, () => t.db.case.getById(created.caseId)))?.caseId).to.equal(created.caseId);
      expect(await expectBudget(1, () => t.db.case.getById('9223372036854775807'))).to.equal(null);
    });

    it('findAll of 200 rows sends 1 statement, not one per row', async () => {
      const guildId = newGuild();
      await t.db.reminder.createMany(Array.from({ length: 200 }, (_, i) => reminder(guildId, i)));
      const rows = await expectBudget(1, () => t.db.reminder.findAll({ filters: { guildId, reminderSent: false }, orderBy: { reminderExpiresAt: 'ASC' } }));
      expect(rows).to.have.length(200);
    });

    it('count sends 1 statement', async () => {
      const guildId = newGuild();
      await t.db.case.createCases(guildId, [ban(guildId), ban(guildId)]);
      expect(await expectBudget(1, () => t.db.case.count({ filters: { guildId, caseType: CaseType.BAN } }))).to.equal(2);
    });

    it('paginate sends 1 statement when the page has rows, total included', async () => {
      const guildId = newGuild();
      await t.db.case.createCases(guildId, Array.from({ length: 45 }, () => ban(guildId)));
      const page = await expectBudget(1, () => t.db.case.paginate({ filters: { guildId }, orderBy: { caseNumber: 'DESC' }, page: 2, perPage: 20 }));
      expect(page.items.map((c) => c.caseNumber)).to.deep.equal(Array.from({ length: 20 }, (_, i) => 25 - i));
      expect(page.total).to.equal(45);
    });

    it('paginate past the last page adds only the count', async () => {
      const guildId = newGuild();
      await t.db.case.createCases(guildId, [ban(guildId)]);
      const page = await expectBudget(2, () => t.db.case.paginate({ filters: { guildId }, page: 5, perPage: 20 }));
      expect(page.items).to.have.length(0);
      expect(page.total).to.equal(1);
    });

    it('updateWhere sends 1 statement for 60 rows', async () => {
      const guildId = newGuild();
      await t.db.case.createCases(guildId, Array.from({ length: 60 }, () => ban(guildId)));
      expect(await expectBudget(1, () => t.db.case.updateWhere({ filters: { guildId }, values: { caseProcessed: true } }))).to.equal(60);
    });

    it('deleteWhere sends 1 statement for 60 rows', async () => {
      const guildId = newGuild();
      await t.db.reminder.createMany(Array.from({ length: 60 }, (_, i) => reminder(guildId, i)));
      expect(await expectBudget(1, () => t.db.reminder.deleteWhere({ filters: { guildId } }))).to.equal(60);
    });

    it('getOrCreate sends 1 statement, whether it creates or finds', async () => {
      const guildId = newGuild();
      const [, created] = await expectBudget(1, () => t.db.guild.getOrCreate({ guildId }, { guildName: 'Tux' }));
      const [found, createdAgain] = await expectBudget(1, () => t.db.guild.getOrCreate({ guildId }, { guildName: 'Other' }));
      expect([created, createdAgain, found.guildName]).to.deep.equal([true, false, 'Tux']);
    });

    it('upsert sends 1 statement, whether it inserts or updates', async () => {
      const guildId = newGuild();
      const [, inserted] = await expectBudget(1, () => t.db.guild.upsert({ filters: { guildId }, values: { guildName: 'first' } }));
      const [row, insertedAgain] = await expectBudget(1, () => t.db.guild.upsert({ filters: { guildId }, values: { guildName: 'second' } }));
      expect([inserted, insertedAgain, row.guildName]).to.deep.equal([true, false, 'second']);
    });
  });

  describe('domain methods', () => {
    it('addXp sends 1 statement for a new member and for a known one', async () => {
      const guildId = newGuild();
      await expectBudget(1, () => t.db.levels.addXp('5005', guildId, 50));
      expect((await expectBudget(1, () => t.db.levels.addXp('5005', guildId, 50))).xp).to.equal(100);
    });

    it('claimDueReminders sends 1 statement for 30 due reminders', async () => {
      const guildId = newGuild();
      await t.db.reminder.createMany(Array.from({ length: 30 }, (_, i) => reminder(guildId, i)));
      expect(await expectBudget(1, () => t.db.reminder.claimDueReminders(CLAIM_NOW, 100))).to.have.length(30);
    });

    it('updateConfig sends 1 statement, also for a guild without rows', async () => {
      const guildId = newGuild();
      await expectBudget(1, () => t.db.guildConfig.updateConfig(guildId, { prefix: '?' }));
      expect((await expectBudget(1, () => t.db.guildConfig.updateConfig(guildId, { prefix: '$' }))).prefix).to.equal('$');
    });

    it('setMemberAfk sends 1 statement, also when replacing an earlier AFK', async () => {
      const guildId = newGuild();
      await expectBudget(1, () => t.db.afk.setMemberAfk({ userId: '6006', guildId, afkMessage: 'lunch' }));
      expect((await expectBudget(1, () => t.db.afk.setMemberAfk({ userId: '6006', guildId, afkMessage: 'dinner' }))).afkMessage).to.equal('dinner');
    });

    it('incrementUses sends 1 statement', async () => {
      const guildId = newGuild();
      const snippet = await t.db.snippet.createSnippet({ snippetName: 'faq', snippetContent: 'read it', snippetUserId: '8008', guildId });
      expect(await expectBudget(1, () => t.db.snippet.incrementUses(snippet.snippetId))).to.equal(1);
    });
  });

  it('counts the BEGIN and COMMIT of a unit of work at the driver, so hidden round trips cannot pass', async () => {
    const guildId = newGuild();
    const { statements, roundTrips } = await measure(() => t.db.transaction(() => t.db.case.createCase(ban(guildId))));
    expect(statements).to.have.length(1);
    expect(roundTrips).to.equal(3);
  });
});
