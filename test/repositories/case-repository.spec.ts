import { expect } from 'chai';
import type { Case } from '../../src/entities/case';
import { CaseType } from '../../src/entities/enums';
import { DataError } from '../../src/errors/data-error';
import { ValidationError } from '../../src/errors/validation-error';
import { useTestDatabase } from '../support/test-database';
import { runFixture } from '../support/child-process';
import { testDatabaseUrl } from '../support/test-server';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

describe('CaseRepository', () => {
  const t = useTestDatabase({ poolSize: 20 });
  const { newGuild, countStatements } = t;
  const ban = (guildId: string, caseUserId = '100') => ({ caseType: CaseType.BAN, caseUserId, caseModeratorId: '200', guildId, caseReason: 'Spam' });

  describe('createCase', () => {
    it('numbers a brand-new guild’s cases 1, 2, 3 and creates its guild row', async () => {
      const guildId = newGuild();
      const numbers = [];
      for (let i = 0; i < 3; i++) numbers.push((await t.db.case.createCase(ban(guildId))).caseNumber);
      expect(numbers).to.deep.equal([1, 2, 3]);
      expect((await t.db.guild.getById(guildId))?.caseCount).to.equal(3);
    });

    it('returns the stored case with defaults and every snowflake digit', async () => {
      const guildId = newGuild();
      const c = await t.db.case.createCase({ ...ban(guildId, '9223372036854775807'), caseUserRoles: ['1234567890123456789', 987654321987654321n] as string[] });
      expect(c.caseUserId).to.equal('9223372036854775807');
      expect(c.caseUserRoles).to.deep.equal(['1234567890123456789', '987654321987654321']);
      expect(c.caseStatus).to.equal(true);
      expect(c.caseProcessed).to.equal(false);
      expect(c.caseId).to.be.a('string');
      expect(c.caseCreatedAt).to.be.instanceOf(Date);
    });

    it('stores role ids given as numbers, bigints or strings as JSON strings, so a containment query finds each', async () => {
      const guildId = newGuild();
      // Tux passes role ids as ints (tests/integration/test_jail_system.py): [1001, 1002, …].
      const c = await t.db.case.createCase({ ...ban(guildId), caseType: CaseType.JAIL, caseUserRoles: [1001, 1002n, '1003', Number.MAX_SAFE_INTEGER] as unknown as string[] });
      expect(c.caseUserRoles).to.deep.equal(['1001', '1002', '1003', '9007199254740991']);
      const stored = await t.db.service.query<{ types: string[]; holds: boolean }>(
        `SELECT array(SELECT jsonb_typeof(e) FROM jsonb_array_elements(case_user_roles) AS e) AS types, case_user_roles @> '["1001"]' AS holds FROM cases WHERE case_id = $1`,
        [c.caseId],
      );
      expect(stored.rows[0]).to.deep.equal({ types: ['string', 'string', 'string', 'string'], holds: true });
      expect((await t.db.case.findAll({ filters: { guildId, caseUserRoles: [1001, 1002, 1003, Number.MAX_SAFE_INTEGER] as unknown as string[] } })).map((x) => x.caseId)).to.deep.equal([c.caseId]);
      const [updated] = await t.db.case.createCases(guildId, [{ caseType: CaseType.JAIL, caseUserId: '7', caseModeratorId: '8', caseUserRoles: [42] as unknown as string[] }]);
      expect(updated?.caseUserRoles).to.deep.equal(['42']);
      expect((await t.db.case.updateById(c.caseId, { caseUserRoles: [5n] as unknown as string[] }))?.caseUserRoles).to.deep.equal(['5']);
    });

    it('refuses role ids that are not Discord ids, naming the item, and writes nothing', async () => {
      const guildId = newGuild();
      const refused = async (roles: unknown, field: string, message: RegExp): Promise<void> => {
        const error = await t.db.case.createCase({ ...ban(guildId), caseUserRoles: roles as string[] }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error, JSON.stringify(roles, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))).to.be.instanceOf(ValidationError);
        expect((error as ValidationError).errors.map((e) => e.field)).to.include(field);
        expect((error as ValidationError).message).to.match(message);
      };
      await refused([1001, 2 ** 60], 'caseUserRoles[1]', /safe integer/);
      await refused(['1', 1.5], 'caseUserRoles[1]', /not a safe integer/);
      await refused([0], 'caseUserRoles[0]', /positive integer/);
      await refused(['012'], 'caseUserRoles[0]', /leading zeros/);
      await refused('1001', 'caseUserRoles', /array of Discord ids/);
      await refused([null], 'caseUserRoles[0]', /Discord id/);
      expect(await t.db.case.count({ filters: { guildId } })).to.equal(0);
    });

    it('numbers up to 2,147,483,647, then says the guild has no case number left, writing nothing', async () => {
      const guildId = newGuild();
      await t.db.guild.create({ guildId, caseCount: 2_147_483_646 });
      expect((await t.db.case.createCase(ban(guildId))).caseNumber).to.equal(2_147_483_647);
      const full = await t.db.case.createCase(ban(guildId)).catch((e: unknown) => e);
      expect(full).to.be.instanceOf(DataError).and.have.property('message', `Guild ${guildId} has no case number left: its case counter would pass 2,147,483,647, the most a case number holds`);
      await expect(t.db.case.createCases(guildId, [ban(guildId), ban(guildId)].map(({ guildId: _, ...c }) => c))).to.be.rejectedWith(DataError, /no case number left/);
      expect(await t.db.case.count({ filters: { guildId } })).to.equal(1);
      expect((await t.db.guild.getById(guildId))?.caseCount).to.equal(2_147_483_647);
    });

    it('sends exactly one statement outside a unit of work', async () => {
      const guildId = newGuild();
      expect((await countStatements(() => t.db.case.createCase(ban(guildId)))).statements).to.have.length(1);
    });

    it('gives 50 concurrent first cases of a new guild the numbers 1..50', async () => {
      const guildId = newGuild();
      const created = await Promise.all(range(50).map(() => t.db.case.createCase(ban(guildId))));
      expect(created.map((c) => c.caseNumber).sort((a, b) => a - b)).to.deep.equal(range(50));
      expect((await t.db.guild.getById(guildId))?.caseCount).to.equal(50);
    });

    it('numbers the generic create exactly like createCase', async () => {
      const guildId = newGuild();
      await t.db.case.createCase(ban(guildId));
      const generic = await t.db.case.create(ban(guildId));
      expect(generic.caseNumber).to.equal(2);
    });

    it('rejects a caller-chosen case number and bad fields together, sending no SQL', async () => {
      const guildId = newGuild();
      const bad = { caseType: 'NUKE', caseUserId: '0', caseModeratorId: 1.5, guildId, caseReason: 'x'.repeat(2001) } as never;
      const { statements: sent } = await countStatements(async () => {
        const error = await t.db.case.createCase(bad).catch((e: unknown) => e);
        expect(error).to.be.instanceOf(ValidationError);
        expect((error as ValidationError).errors.map((e) => e.field)).to.include.members(['caseType', 'caseUserId', 'caseModeratorId', 'caseReason']);
        await expect(t.db.case.createCase({ ...ban(guildId), caseNumber: 5 } as never)).to.be.rejectedWith(ValidationError, /assigned by the database/);
      });
      expect(sent).to.have.length(0);
      expect(await t.db.guild.getById(guildId)).to.equal(null);
    });

    it('leaves no case and no counter change when its unit of work throws', async () => {
      const guildId = newGuild();
      await t.db.case.createCase(ban(guildId));
      await expect(
        t.db.transaction(async () => {
          await t.db.case.createCase(ban(guildId));
          throw new Error('abort');
        }),
      ).to.be.rejectedWith('abort');
      expect(await t.db.case.countCasesByGuild(guildId)).to.equal(1);
      expect((await t.db.guild.getById(guildId))?.caseCount).to.equal(1);
    });

    it('numbers 400 cases from 4 processes and in-process parallelism as exactly 1..400', async function () {
      this.timeout(120_000);
      const guildId = newGuild();
      const env = { DATABASE_URL: testDatabaseUrl(), GUILD_ID: guildId, COUNT: '80', CONCURRENCY: '8' };
      const [children, local] = await Promise.all([
        Promise.all(range(4).map(() => runFixture('create-cases.ts', env))),
        Promise.all(range(80).map(() => t.db.case.createCase(ban(guildId)))),
      ]);
      const numbers = [...children.flatMap((out) => JSON.parse(out) as number[]), ...local.map((c) => c.caseNumber)];
      expect(numbers.sort((a, b) => a - b)).to.deep.equal(range(400));
      const stored = await t.db.case.findAll({ filters: { guildId }, orderBy: { caseNumber: 'ASC' } });
      expect(stored.map((c) => c.caseNumber)).to.deep.equal(range(400));
      expect((await t.db.guild.getById(guildId))?.caseCount).to.equal(400);
    });
  });

  describe('createCases', () => {
    it('creates 500 cases with contiguous numbers in input order, in one statement', async () => {
      const guildId = newGuild();
      await t.db.case.createCase(ban(guildId));
      const items = range(500).map((i) => ({ caseType: CaseType.BAN, caseUserId: String(1000 + i), caseModeratorId: '200', caseReason: `raid ${i}` }));
      let created: Awaited<ReturnType<typeof t.db.case.createCases>> = [];
      const { statements: sent } = await countStatements(async () => {
        created = await t.db.case.createCases(guildId, items);
      });
      expect(sent).to.have.length(1);
      expect(created.map((c) => c.caseNumber)).to.deep.equal(range(500).map((i) => i + 1));
      expect(created.map((c) => c.caseUserId)).to.deep.equal(items.map((i) => i.caseUserId));
      expect(created[0]?.caseStatus).to.equal(true);
      expect((await t.db.guild.getById(guildId))?.caseCount).to.equal(501);
    });

    it('numbers items that set different fields in input order, each with its own defaults, in one statement', async () => {
      const guildId = newGuild();
      const until = new Date('2030-01-01T00:00:00Z');
      const items = [
        { caseType: CaseType.BAN, caseUserId: '1', caseModeratorId: '9' },
        { caseType: CaseType.TEMPBAN, caseUserId: '2', caseModeratorId: '9', caseExpiresAt: until, caseStatus: false },
        { caseType: CaseType.JAIL, caseUserId: '3', caseModeratorId: '9', caseUserRoles: ['42'], guildId },
        { caseType: CaseType.BAN, caseUserId: '4', caseModeratorId: '9' },
        { caseType: CaseType.TEMPBAN, caseUserId: '5', caseModeratorId: '9', caseExpiresAt: until, caseStatus: false },
      ];
      let created: Awaited<ReturnType<typeof t.db.case.createCases>> = [];
      const { statements: sent } = await countStatements(async () => {
        created = await t.db.case.createCases(guildId, items);
      });
      expect(sent).to.have.length(1);
      expect(created.map((c) => [c.caseNumber, c.caseUserId, c.caseStatus, c.caseUserRoles])).to.deep.equal([
        [1, '1', true, []],
        [2, '2', false, []],
        [3, '3', true, ['42']],
        [4, '4', true, []],
        [5, '5', false, []],
      ]);
      expect(created[1]?.caseExpiresAt?.getTime()).to.equal(until.getTime());
      expect(created[0]?.caseExpiresAt).to.equal(null);
      expect((await t.db.guild.getById(guildId))?.caseCount).to.equal(5);
    });

    it('interleaves with single creates without gaps or duplicates', async () => {
      const guildId = newGuild();
      const batch = range(20).map(() => ({ caseType: CaseType.KICK, caseUserId: '5', caseModeratorId: '6' }));
      const results = await Promise.all([
        t.db.case.createCases(guildId, batch),
        ...range(10).map(() => t.db.case.createCase(ban(guildId))),
        t.db.case.createCases(guildId, batch),
      ]);
      const numbers = results.flatMap((r) => (Array.isArray(r) ? r.map((c) => c.caseNumber) : [r.caseNumber]));
      expect(numbers.sort((a, b) => a - b)).to.deep.equal(range(50));
    });

    it('writes nothing when any item is invalid, and names the item', async () => {
      const guildId = newGuild();
      const items = [
        { caseType: CaseType.BAN, caseUserId: '1', caseModeratorId: '2' },
        { caseType: CaseType.BAN, caseUserId: 'abc', caseModeratorId: '2' },
      ];
      const error = await t.db.case.createCases(guildId, items).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(ValidationError);
      expect((error as ValidationError).errors[0]?.field).to.equal('[1].caseUserId');
      expect(await t.db.guild.getById(guildId)).to.equal(null);
    });

    it('backs the generic createMany, one guild at a time, returning the cases in input order', async () => {
      const [a, b] = [newGuild(), newGuild()];
      const created = await t.db.case.createMany([ban(a, '1'), ban(b, '2'), ban(a, '3')]);
      expect(created.map((c) => [c.guildId, c.caseNumber, c.caseUserId])).to.deep.equal([
        [a, 1, '1'],
        [b, 1, '2'],
        [a, 2, '3'],
      ]);
    });

    it('checks every item of createMany, in every guild, before writing any, naming the input index', async () => {
      const [a, b] = [newGuild(), newGuild()];
      const items = [ban(a), ban(b), { ...ban(a), caseUserId: 'abc' }, { ...ban(b), caseReason: 'x'.repeat(2001) }, { ...ban(a), guildId: '0' }];
      const { statements, result: error } = await countStatements(() => t.db.case.createMany(items).catch((e: unknown) => e));
      expect(error).to.be.instanceOf(ValidationError);
      expect((error as ValidationError).errors.map((e) => e.field)).to.have.members(['[2].caseUserId', '[3].caseReason', '[4].guildId']);
      expect(statements).to.deep.equal([]);
      expect(await t.db.guild.count({ filters: { guildId: { in: [a, b] } } })).to.equal(0);
    });

    it('refuses a hole in a sparse array instead of skipping it', async () => {
      const guildId = newGuild();
      const sparse = [ban(guildId), , ban(guildId)] as ReturnType<typeof ban>[];
      for (const attempt of [t.db.case.createMany(sparse), t.db.case.createCases(guildId, sparse)]) {
        const error = await attempt.catch((e: unknown) => e);
        expect(error).to.be.instanceOf(ValidationError);
        expect((error as ValidationError).errors[0]?.field).to.match(/^\[1\]/);
      }
      expect(await t.db.case.count({ filters: { guildId } })).to.equal(0);
    });
  });

  describe('write rules: only the counter numbers a case, and a case never changes guild', () => {
    const warn = { caseType: CaseType.WARN, caseUserId: '1', caseModeratorId: '2' };
    /** A guild with cases 1..n. */
    const guildWithCases = async (n: number) => {
      const guildId = newGuild();
      const cases = await t.db.case.createCases(guildId, Array.from({ length: n }, () => warn));
      return { guildId, cases };
    };
    /** The guild's next case gets case_count + 1 and its numbers are still 1..count, each once. */
    const numberingIntact = async (guildId: string) => {
      const count = (await t.db.guild.getById(guildId))?.caseCount ?? 0;
      expect((await t.db.case.createCase(ban(guildId))).caseNumber).to.equal(count + 1);
      const numbers = (await t.db.case.findAll({ filters: { guildId }, orderBy: { caseNumber: 'ASC' } })).map((c) => c.caseNumber);
      expect(numbers).to.deep.equal(range(count + 1));
    };
    /** The write is a ValidationError naming `field`, and it sent no SQL. */
    const refused = async (field: string, write: () => Promise<unknown>) => {
      const { result: error, statements } = await countStatements(() => write().then(() => 'written', (e: unknown) => e));
      expect(error).to.be.instanceOf(ValidationError);
      expect((error as ValidationError).errors.map((e) => e.field)).to.include(field);
      expect(statements).to.deep.equal([]);
    };

    // Each of these succeeded before the write rules, and every later createCase in the guild then failed.
    const bypasses: ReadonlyArray<[string, string, (guildId: string, cases: ReadonlyArray<Case>, other: ReadonlyArray<Case>) => Promise<unknown>]> = [
      ['getOrCreate with a caseNumber', 'caseNumber', (guildId) => t.db.case.getOrCreate({ guildId, caseNumber: 3 }, warn)],
      ['upsert with a caseNumber in its filters', 'caseNumber', (guildId) => t.db.case.upsert({ filters: { guildId, caseNumber: 3 }, defaults: warn })],
      ['upsert with a caseNumber in its defaults', 'caseNumber', (guildId) => t.db.case.upsert({ filters: { guildId, caseNumber: 3 }, defaults: { ...warn, caseNumber: 4 } })],
      ['upsert with a caseNumber in its values', 'caseNumber', (guildId) => t.db.case.upsert({ filters: { guildId, caseNumber: 2 }, defaults: warn, values: { caseNumber: 3 } })],
      ['updateById with a caseNumber', 'caseNumber', (_, cases) => t.db.case.updateById(cases[1]?.caseId as string, { caseNumber: 3 })],
      // Case 3 of another guild moved in would take this guild's next number, and leave a gap behind.
      ['updateById moving a case to another guild', 'guildId', (guildId, _, other) => t.db.case.updateById(other[2]?.caseId as string, { guildId })],
      ['updateWhere with a caseNumber', 'caseNumber', (guildId) => t.db.case.updateWhere({ filters: { guildId, caseNumber: 2 }, values: { caseNumber: 3 } })],
      ['updateWhere moving cases to another guild', 'guildId', (guildId, _, other) => t.db.case.updateWhere({ filters: { guildId: other[2]?.guildId as string, caseNumber: 3 }, values: { guildId } })],
    ];
    for (const [how, field, write] of bypasses) {
      it(`refuses ${how} (ValidationError, no SQL sent); the next case is still case_count + 1`, async () => {
        const { guildId, cases } = await guildWithCases(2);
        const other = await guildWithCases(3);
        await refused(field, () => write(guildId, cases, other.cases));
        await numberingIntact(guildId);
        await numberingIntact(other.guildId);
      });
    }

    it('lets filters of reads and updates name caseNumber and guildId', async () => {
      const { guildId } = await guildWithCases(3);
      expect(await t.db.case.updateWhere({ filters: { guildId, caseNumber: { in: [1, 2] } }, values: { caseReason: 'reviewed' } })).to.equal(2);
      expect((await t.db.case.findAll({ filters: { guildId, caseReason: 'reviewed' }, orderBy: { caseNumber: 'ASC' } })).map((c) => c.caseNumber)).to.deep.equal([1, 2]);
      await numberingIntact(guildId);
    });

    it('refuses a caseNumber in create and in every item of createMany, and caseNumber or guildId in updateCaseByNumber', async () => {
      const { guildId } = await guildWithCases(2);
      await refused('caseNumber', () => t.db.case.create({ ...ban(guildId), caseNumber: 3 }));
      const error = await t.db.case.createMany([{ ...ban(guildId), caseNumber: 3 }, ban(guildId), { ...ban(guildId), caseNumber: 4 }]).catch((e: unknown) => e);
      expect((error as ValidationError).errors.map((e) => e.field)).to.have.members(['[0].caseNumber', '[2].caseNumber']);
      await refused('guildId', () => t.db.case.updateCaseByNumber(guildId, 1, { guildId: newGuild() } as never));
      await refused('caseNumber', () => t.db.case.updateCaseByNumber(guildId, 1, { caseNumber: 3 } as never));
      await numberingIntact(guildId);
    });
  });

  describe('queries of the seed and of Tux', () => {
    let guildId: string;
    const user = '300';
    before(async () => {
      guildId = newGuild();
      const past = new Date(Date.now() - 60_000);
      const future = new Date(Date.now() + 3_600_000);
      await t.db.case.createCase({ caseType: CaseType.WARN, caseUserId: user, caseModeratorId: '1', guildId });
      await t.db.case.createCase({ caseType: CaseType.JAIL, caseUserId: user, caseModeratorId: '2', guildId, caseUserRoles: ['11', '12'] });
      await t.db.case.createCase({ caseType: CaseType.TEMPBAN, caseUserId: user, caseModeratorId: '1', guildId, caseExpiresAt: past });
      await t.db.case.createCase({ caseType: CaseType.TEMPBAN, caseUserId: '301', caseModeratorId: '1', guildId, caseExpiresAt: future });
      await t.db.case.createCase({ caseType: CaseType.TIMEOUT, caseUserId: '302', caseModeratorId: '2', guildId, caseExpiresAt: past });
    });

    it('lists a user’s cases newest first, and only the open ones on request', async () => {
      expect((await t.db.case.getCasesByUser(user, guildId)).map((c) => c.caseNumber)).to.deep.equal([3, 2, 1]);
      const first = await t.db.case.getCaseByNumber(1, guildId);
      await t.db.case.closeCase(first?.caseId as string);
      expect((await t.db.case.getActiveCasesByUser(user, guildId)).map((c) => c.caseNumber)).to.deep.equal([3, 2]);
      expect((await t.db.case.getCaseByNumber(1, guildId))?.caseStatus).to.equal(false);
    });

    it('finds cases by number, recency, moderator, type and guild page', async () => {
      expect(await t.db.case.getCaseByNumber(99, guildId)).to.equal(null);
      expect((await t.db.case.getRecentCases(guildId, 2)).map((c) => c.caseNumber)).to.deep.equal([5, 4]);
      expect((await t.db.case.getRecentCases(guildId)).length).to.equal(5);
      expect((await t.db.case.getCasesByModerator('2', guildId)).map((c) => c.caseNumber)).to.deep.equal([5, 2]);
      expect((await t.db.case.getCasesByType(guildId, CaseType.TEMPBAN)).map((c) => c.caseNumber)).to.deep.equal([4, 3]);
      const page = await t.db.case.getCasesByGuild(guildId, { page: 2, perPage: 2 });
      expect(page.items.map((c) => c.caseNumber)).to.deep.equal([3, 2]);
      expect([page.total, page.pages, page.hasNext, page.hasPrev]).to.deep.equal([5, 3, true, true]);
      expect((await t.db.case.getLatestCaseByUser(user, guildId))?.caseNumber).to.equal(3);
      expect((await t.db.case.getLatestJailOrUnjailCase(user, guildId))?.caseUserRoles).to.deep.equal(['11', '12']);
    });

    it('tells whether a restriction is in force from the newest case of the pair', async () => {
      expect(await t.db.case.isUserUnderRestriction(user, guildId, CaseType.JAIL, CaseType.UNJAIL)).to.equal(true);
      await t.db.case.createCase({ caseType: CaseType.UNJAIL, caseUserId: user, caseModeratorId: '2', guildId });
      expect(await t.db.case.isUserUnderRestriction(user, guildId, CaseType.JAIL, CaseType.UNJAIL)).to.equal(false);
      expect(await t.db.case.isUserUnderRestriction(user, guildId, CaseType.BAN, CaseType.UNBAN)).to.equal(false);
    });

    it('finds expired unprocessed cases and forgets them once processed', async () => {
      const expired = await t.db.case.getExpiredCases(new Date(), guildId);
      expect(expired.map((c) => c.caseType).sort()).to.deep.equal([CaseType.TEMPBAN, CaseType.TIMEOUT]);
      const tempbans = await t.db.case.getExpiredTempbans(new Date(), guildId);
      expect(tempbans.map((c) => c.caseUserId)).to.deep.equal([user]);
      expect(await t.db.case.markProcessed(tempbans[0]?.caseId as string)).to.equal(true);
      expect(await t.db.case.getExpiredTempbans(new Date(), guildId)).to.have.length(0);
      expect(await t.db.case.markProcessed('999999999999')).to.equal(false);
    });

    it('updates a case by number and records its mod-log message', async () => {
      const updated = await t.db.case.updateCaseByNumber(guildId, 4, { caseReason: 'appeal denied' });
      expect(updated?.caseReason).to.equal('appeal denied');
      expect(await t.db.case.updateCaseByNumber(guildId, 404, { caseReason: 'x' })).to.equal(null);
      await expect(t.db.case.updateCaseByNumber(guildId, 4, { caseNumber: 9 } as never)).to.be.rejectedWith(ValidationError);
      const withLog = await t.db.case.updateModLogMessageId(updated?.caseId as string, '1300000000000000001');
      expect(withLog?.modLogMessageId).to.equal('1300000000000000001');
    });

    it('counts cases by guild and by user', async () => {
      expect(await t.db.case.countCasesByGuild(guildId)).to.be.at.least(5);
      expect(await t.db.case.countCasesByUser('301', guildId)).to.equal(1);
    });
  });
});
