import { expect } from 'chai';
import { CaseType } from '../../src/entities/enums';
import { ValidationError } from '../../src/errors/validation-error';
import { CheckViolationError, ForeignKeyViolationError, UniqueViolationError } from '../../src/errors/constraint-errors';
import { DatabaseConnectionError } from '../../src/errors/connection-error';
import { DatabaseError } from '../../src/errors/database-error';
import { createDatabase } from '../../src/container';
import { randomSnowflake } from '../support/fixtures';
import { useTestDatabase } from '../support/test-database';

describe('BaseRepository', () => {
  const t = useTestDatabase({ poolSize: 20 });
  const { newGuild, countStatements } = t;

  describe('writes', () => {
    it('creates a row and returns it with the database defaults filled in', async () => {
      const guildId = newGuild();
      const guild = await t.db.guild.create({ guildId, guildName: 'Tux HQ' });
      expect(guild).to.include({ guildId, guildName: 'Tux HQ', caseCount: 0 });
      expect(guild.createdAt).to.be.instanceOf(Date);
    });

    it('creates the guild row of a guild-owned row when it is missing, in the same statement', async () => {
      const [a, b, c] = [newGuild(), newGuild(), newGuild()];
      const { statements: sent } = await countStatements(async () => {
        await t.db.levels.create({ userId: '1', guildId: a });
        await t.db.levels.createMany([{ userId: '1', guildId: b }, { userId: '2', guildId: b }, { userId: '1', guildId: c }]);
        await t.db.guildPermissions.upsert({ filters: { guildId: c, userId: '3' }, values: { permissionLevel: 'TRUSTED' as never } });
      });
      expect(sent).to.have.length(3);
      expect(await t.db.guild.count({ filters: { guildId: { in: [a, b, c] } } })).to.equal(3);
    });

    it('reports every failing field of a create at once and writes nothing', async () => {
      const guildId = newGuild();
      await t.db.guild.create({ guildId });
      const error = await t.db.guildConfig.create({ guildId, prefix: '', modLogId: '-5', onboardingStage: 'NOPE', bogus: 1 } as never).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(ValidationError);
      expect((error as ValidationError).errors.map((e) => e.field)).to.have.members(['prefix', 'modLogId', 'onboardingStage', 'bogus']);
      expect(await t.db.guildConfig.getById(guildId)).to.equal(null);
    });

    it('rejects missing required fields and database-generated keys', async () => {
      const error = await t.db.reminder.create({ reminderId: '5', reminderContent: 'x' } as never).catch((e: unknown) => e);
      const fields = (error as ValidationError).errors.map((e) => e.field);
      expect(fields).to.include.members(['reminderId', 'reminderExpiresAt', 'reminderChannelId', 'reminderUserId', 'guildId']);
    });

    it('creates many rows in one INSERT, or none when one row is invalid', async () => {
      const ids = [newGuild(), newGuild(), newGuild()];
      const { statements: sent } = await countStatements(async () => {
        const rows = await t.db.guild.createMany(ids.map((guildId, i) => ({ guildId, ...(i === 1 ? { guildName: 'middle' } : {}) })));
        expect(rows.map((r) => r.guildName)).to.deep.equal([null, 'middle', null]);
      });
      expect(sent).to.have.length(1);
      const more = [newGuild(), newGuild()];
      const error = await t.db.guild.createMany([{ guildId: more[0] as string }, { guildId: more[1] as string, guildName: 'x'.repeat(101) }]).catch((e: unknown) => e);
      expect((error as ValidationError).errors[0]?.field).to.equal('[1].guildName');
      expect(await t.db.guild.count({ filters: { guildId: { in: more } } })).to.equal(0);
    });

    it('createMany names every failing field of every bad row as [index].field, not only the first bad row’s, before any SQL', async () => {
      const [a, b] = [newGuild(), newGuild()];
      const rows = [{ guildId: 'abc' }, { guildId: a }, { guildId: b, guildName: 'x'.repeat(101), guildJoinedAt: 'yesterday' }, { guildId: a, nickname: 'x' }];
      const { result: error, statements } = await countStatements(() => t.db.guild.createMany(rows as never).catch((e: unknown) => e));
      expect(error).to.be.instanceOf(ValidationError);
      expect((error as ValidationError).errors.map((e) => e.field)).to.have.members(['[0].guildId', '[2].guildName', '[2].guildJoinedAt', '[3].nickname']);
      expect(statements).to.deep.equal([]);
      expect(await t.db.guild.count({ filters: { guildId: { in: [a, b] } } })).to.equal(0);
    });

    it('createMany of rows that all set the same fields refuses a bad row anywhere in the batch by [index].field, before any SQL', async () => {
      const guildId = newGuild();
      const reminder = (i: number) => ({ reminderContent: `r${i}`, reminderExpiresAt: new Date(Date.UTC(2030, 0, 1, 0, 0, i)), reminderChannelId: '5', reminderUserId: '6', guildId });
      const rows: Record<string, unknown>[] = Array.from({ length: 6 }, (_, i) => reminder(i));
      rows[2] = { ...reminder(2), reminderContent: '' };
      rows[5] = { ...reminder(5), reminderExpiresAt: 'tomorrow', reminderUserId: 7n };
      const { result: error, statements } = await countStatements(() => t.db.reminder.createMany(rows as never).catch((e: unknown) => e));
      expect(error).to.be.instanceOf(ValidationError);
      expect((error as ValidationError).errors.map((e) => e.field)).to.deep.equal(['[2].reminderContent', '[5].reminderExpiresAt']);
      expect(statements).to.deep.equal([]);
      expect(await t.db.reminder.count({ filters: { guildId } })).to.equal(0);
      rows[2] = reminder(2);
      rows[5] = { ...reminder(5), reminderUserId: 7n };
      const created = await t.db.reminder.createMany(rows as never);
      expect(created.map((r) => [r.reminderContent, r.reminderExpiresAt.toISOString(), r.reminderUserId])).to.deep.equal(
        rows.map((_, i) => [`r${i}`, new Date(Date.UTC(2030, 0, 1, 0, 0, i)).toISOString(), i === 5 ? '7' : '6']),
      );
    });

    it('createMany returns rows that set different fields in input order, each with its own defaults, in one statement', async () => {
      const guildId = newGuild();
      const rows = [
        { userId: '1', guildId, xp: 5 },
        { userId: '2', guildId },
        { guildId, userId: '3', xp: 7 },
        { userId: '4', guildId, blacklisted: true },
        { userId: '5', guildId, xp: 9 },
      ];
      const { statements: sent } = await countStatements(async () => {
        const created = await t.db.levels.createMany(rows);
        expect(created.map((r) => [r.userId, r.xp, r.blacklisted])).to.deep.equal([
          ['1', 5, false],
          ['2', 0, false],
          ['3', 7, false],
          ['4', 0, true],
          ['5', 9, false],
        ]);
      });
      expect(sent).to.have.length(1);
    });

    it('createMany writes more values than one statement may bind parameters (65,535) in one statement', async () => {
      const guildId = newGuild();
      const rows = Array.from({ length: 25_000 }, (_, i) => ({ userId: String(i + 1), guildId, xp: i }));
      const { statements: sent } = await countStatements(async () => {
        const created = await t.db.levels.createMany(rows);
        expect(created.map((r) => r.xp)).to.deep.equal(rows.map((r) => r.xp));
      });
      expect(sent).to.have.length(1);
      expect(await t.db.levels.count({ filters: { guildId } })).to.equal(25_000);
    });

    it('updates by id returning the row, or null when it does not exist', async () => {
      const guildId = newGuild();
      const created = await t.db.guild.create({ guildId });
      const updated = await t.db.guild.updateById(guildId, { guildName: 'renamed' });
      expect(updated?.guildName).to.equal('renamed');
      expect(updated?.updatedAt.getTime()).to.be.at.least(created.updatedAt.getTime());
      expect(await t.db.guild.updateById(randomSnowflake(), { guildName: 'x' })).to.equal(null);
    });

    it('updateWhere and deleteWhere return the true number of affected rows', async () => {
      const ids = [newGuild(), newGuild(), newGuild()];
      await t.db.guild.createMany(ids.map((guildId) => ({ guildId })));
      expect(await t.db.guild.updateWhere({ filters: { guildId: { in: ids.slice(0, 2) } }, values: { guildName: 'pair' } })).to.equal(2);
      expect(await t.db.guild.updateWhere({ filters: { guildId: { in: ids }, guildName: 'pair' }, values: { guildName: 'pair' } })).to.equal(2);
      expect(await t.db.guild.deleteWhere({ filters: { guildId: { in: ids }, guildName: { isNull: true } } })).to.equal(1);
      expect(await t.db.guild.deleteById(ids[0] as string)).to.equal(true);
      expect(await t.db.guild.deleteById(ids[0] as string)).to.equal(false);
    });

    it('validates the values of updateById, updateWhere and upsert, every failing field at once, before any SQL', async () => {
      const guildId = newGuild();
      await t.db.guildConfig.updateConfig(guildId, { prefix: '?' });
      const bad = { prefix: 'x'.repeat(11), jailRoleId: 'abc' } as never;
      const { statements } = await countStatements(async () => {
        for (const attempt of [
          t.db.guildConfig.updateById(guildId, bad),
          t.db.guildConfig.updateWhere({ filters: { guildId }, values: bad }),
          t.db.guildConfig.upsert({ filters: { guildId }, values: bad }),
        ]) {
          const error = await attempt.catch((e: unknown) => e);
          expect(error).to.be.instanceOf(ValidationError);
          expect((error as ValidationError).errors.map((e) => e.field)).to.have.members(['prefix', 'jailRoleId']);
        }
      });
      expect(statements).to.have.length(0);
      expect((await t.db.guildConfig.getById(guildId))?.prefix).to.equal('?');
    });

    it('refuses to move a row to another guild on every update path of every guild-owned table, before any SQL', async () => {
      const guildId = newGuild();
      const other = newGuild();
      const userId = randomSnowflake();
      await t.db.guildConfig.updateConfig(guildId, { prefix: '?' });
      await t.db.starboard.createOrUpdateStarboard(guildId, { starboardChannelId: randomSnowflake(), starboardEmoji: '⭐' });
      await t.db.levels.setXp(userId, guildId, 80);
      const snippet = await t.db.snippet.createSnippet({ snippetName: 'rules', snippetContent: 'be kind', snippetUserId: userId, guildId });
      const { statements } = await countStatements(async () => {
        for (const attempt of [
          t.db.guildConfig.updateById(guildId, { guildId: other }),
          t.db.starboard.updateWhere({ filters: { guildId }, values: { guildId: other } }),
          t.db.levels.upsert({ filters: { userId, guildId }, values: { guildId: other } }),
          t.db.snippet.bulkUpdate([{ id: snippet.snippetId, values: { guildId: other } }]),
        ]) {
          const error = await attempt.catch((e: unknown) => e);
          expect(error).to.be.instanceOf(ValidationError);
          expect((error as Error).message).to.match(/guildId cannot change: a row stays in the guild it was created in/);
        }
      });
      expect(statements).to.have.length(0);
      expect(await t.db.guildConfig.getById(other)).to.equal(null);
      expect(await t.db.snippet.getById(snippet.snippetId)).to.include({ guildId });
    });

    it('takes a creation timestamp on insert (a backfill) and refuses to change it on every update path, before any SQL', async () => {
      const guildId = newGuild();
      const created = new Date('2020-01-01T00:00:00Z');
      expect((await t.db.guild.create({ guildId, createdAt: created })).createdAt.toISOString()).to.equal(created.toISOString());
      const kase = await t.db.case.createCase({ guildId, caseType: CaseType.WARN, caseUserId: randomSnowflake(), caseModeratorId: randomSnowflake() });
      const { statements } = await countStatements(async () => {
        for (const attempt of [
          t.db.guild.updateById(guildId, { createdAt: new Date() }),
          t.db.guild.upsert({ filters: { guildId }, values: { createdAt: new Date() } }),
          t.db.case.updateWhere({ filters: { guildId }, values: { caseCreatedAt: new Date() } }),
          t.db.case.updateCaseByNumber(guildId, kase.caseNumber, { caseCreatedAt: new Date() } as never),
        ]) {
          await expect(attempt).to.be.rejectedWith(ValidationError, /(createdAt|caseCreatedAt) is set when the row is created and never changes/);
        }
      });
      expect(statements).to.have.length(0);
      expect((await t.db.guild.getById(guildId))?.createdAt.toISOString()).to.equal(created.toISOString());
    });

    it('refuses updateWhere/deleteWhere without filters instead of touching every row', async () => {
      await expect(t.db.guild.deleteWhere({} as never)).to.be.rejectedWith(ValidationError, /filters/);
      await expect(t.db.guild.updateWhere({ values: { guildName: 'all' } } as never)).to.be.rejectedWith(ValidationError, /filters/);
    });
  });

  describe('reads', () => {
    it('refuses options that are not an object, and sparse-array holes, with ValidationError before any SQL', async () => {
      const guildId = newGuild();
      const repo = t.db.guild as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
      const calls: Array<[string, unknown[]]> = [
        ['findOne', [null]], ['findAll', ['guildId']], ['count', [null]], ['exists', [42]], ['paginate', [null]],
        ['upsert', [undefined]], ['updateWhere', [null]], ['deleteWhere', [[]]], ['createMany', [[{ guildId }, , { guildId: newGuild() }]]],
      ];
      const { statements } = await countStatements(async () => {
        for (const [method, args] of calls) {
          const error = await repo[method]?.apply(t.db.guild, args).catch((e: unknown) => e);
          expect(error, method).to.be.instanceOf(ValidationError);
        }
        const xp = await t.db.levels.addXp('1', guildId, 5, null as never).catch((e: unknown) => e);
        expect(xp).to.be.instanceOf(ValidationError).with.nested.property('errors[0].field', 'options');
      });
      expect(statements).to.deep.equal([]);
      expect(await t.db.guild.getById(guildId)).to.equal(null);
    });

    let guildId: string;
    before(async () => {
      guildId = newGuild();
      const items = ['a', 'b', 'c', 'd', 'e'].map((r, i) => ({ caseType: i % 2 ? CaseType.KICK : CaseType.WARN, caseUserId: String(10 + (i % 2)), caseModeratorId: '1', caseReason: r }));
      await t.db.case.createCases(guildId, items);
    });

    it('gets by id, or null', async () => {
      const first = await t.db.case.findOne({ filters: { guildId }, orderBy: { caseNumber: 'ASC' } });
      expect((await t.db.case.getById(first?.caseId as string))?.caseReason).to.equal('a');
      expect(await t.db.case.getById('9223372036854775807')).to.equal(null);
    });

    it('filters, orders, limits and offsets', async () => {
      const rows = await t.db.case.findAll({ filters: { guildId, caseType: CaseType.WARN }, orderBy: { caseNumber: 'DESC' }, limit: 2, offset: 1 });
      expect(rows.map((r) => r.caseReason)).to.deep.equal(['c', 'a']);
      const either = await t.db.case.findAll({ filters: { guildId, or: [{ caseReason: 'b' }, { caseNumber: { gte: 5 } }] }, orderBy: [{ caseNumber: 'ASC' }] });
      expect(either.map((r) => r.caseReason)).to.deep.equal(['b', 'e']);
      const none = await t.db.case.findAll({ filters: { guildId, caseNumber: { in: [] } } });
      expect(none).to.deep.equal([]);
    });

    it('counts and tests existence', async () => {
      expect(await t.db.case.count({ filters: { guildId, caseUserId: '11' } })).to.equal(2);
      expect(await t.db.case.exists({ filters: { guildId, caseReason: { like: 'c%' } } })).to.equal(true);
      expect(await t.db.case.exists({ filters: { guildId, caseReason: 'zzz' } })).to.equal(false);
    });

    it('paginates with exact totals', async () => {
      const page = await t.db.case.paginate({ filters: { guildId }, orderBy: { caseNumber: 'ASC' }, page: 3, perPage: 2 });
      expect(page).to.deep.include({ total: 5, page: 3, perPage: 2, pages: 3, hasNext: false, hasPrev: true });
      expect(page.items.map((c) => c.caseReason)).to.deep.equal(['e']);
      await expect(t.db.case.paginate({ page: 0 })).to.be.rejectedWith(ValidationError, /page/);
    });

    it('rejects an unknown filter field or order key before any SQL', async () => {
      const { statements: sent } = await countStatements(async () => {
        await expect(t.db.case.findAll({ filters: { guildID: guildId } as never })).to.be.rejectedWith(ValidationError, /guildID/);
        await expect(t.db.case.findAll({ orderBy: { nope: 'ASC' } as never })).to.be.rejectedWith(ValidationError);
        await expect(t.db.case.findAll({ limit: -1 })).to.be.rejectedWith(ValidationError, /limit/);
      });
      expect(sent).to.have.length(0);
    });
  });

  describe('getOrCreate and upsert', () => {
    it('creates exactly one row for 50 concurrent getOrCreate calls and returns it to all', async () => {
      const guildId = newGuild();
      const results = await Promise.all(Array.from({ length: 50 }, () => t.db.guild.getOrCreate({ guildId }, { guildName: 'first' })));
      expect(results.filter(([, created]) => created)).to.have.length(1);
      expect(new Set(results.map(([g]) => g.guildId))).to.deep.equal(new Set([guildId]));
      expect(await t.db.guild.count({ filters: { guildId } })).to.equal(1);
    });

    it('sends one statement for getOrCreate and for upsert', async () => {
      const guildId = newGuild();
      expect((await countStatements(() => t.db.guild.getOrCreate({ guildId }))).statements).to.have.length(1);
      expect((await countStatements(() => t.db.guild.upsert({ filters: { guildId }, values: { guildName: 'x' } }))).statements).to.have.length(1);
    });

    it('upserts one new row from many processes at once, on a table with a second unique key, without a UniqueViolationError', async () => {
      // permission_ranks is unique on (guild, rank), the upsert's key, and on (guild, name): PostgreSQL's ON CONFLICT
      // handles only its key, so a racing insert of the same new row fails on the other one unless it runs again.
      for (let round = 0; round < 50; round++) {
        const guildId = newGuild();
        // The guild exists first: creating it in the statement would queue the racers behind the first one's guild row.
        await t.db.guild.create({ guildId });
        const results = await Promise.allSettled(Array.from({ length: 12 }, () => t.db.permissionRanks.upsert({ filters: { guildId, rank: 5 }, values: { name: 'Moderator' } })));
        expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason)), `round ${round}`).to.deep.equal([]);
        expect(await t.db.permissionRanks.count({ filters: { guildId } })).to.equal(1);
      }
      // A real conflict on the other key still fails, after its runs again.
      const guildId = newGuild();
      await t.db.permissionRanks.upsert({ filters: { guildId, rank: 5 }, values: { name: 'Moderator' } });
      const taken = await t.db.permissionRanks.upsert({ filters: { guildId, rank: 6 }, values: { name: 'Moderator' } }).catch((e: unknown) => e);
      expect(taken).to.be.instanceOf(UniqueViolationError);
    });

    it('upserts: defaults on insert only, values always', async () => {
      const guildId = newGuild();
      await t.db.guild.create({ guildId });
      const [created, wasCreated] = await t.db.guildPermissions.upsert({ filters: { guildId, userId: '5' }, values: { permissionLevel: 'MODERATOR' as never } });
      expect([created.permissionLevel, wasCreated]).to.deep.equal(['MODERATOR', true]);
      const [updated, again] = await t.db.guildPermissions.upsert({ filters: { guildId, userId: '5' }, values: { permissionLevel: 'ADMINISTRATOR' as never } });
      expect([updated.permissionLevel, again]).to.deep.equal(['ADMINISTRATOR', false]);
      const [kept] = await t.db.guild.upsert({ filters: { guildId }, defaults: { guildName: 'ignored' } });
      expect(kept.guildName).to.equal(null);
    });

    it('requires filters that name exactly one unique key', async () => {
      await expect(t.db.guild.getOrCreate({ guildName: 'x' })).to.be.rejectedWith(ValidationError, /unique key/);
    });
  });

  describe('errors', () => {
    it('turns a duplicate key into a UniqueViolationError naming the constraint', async () => {
      const guildId = newGuild();
      await t.db.guild.create({ guildId });
      const error = await t.db.guild.create({ guildId }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(UniqueViolationError);
      expect(error).to.include({ constraint: 'pk_guild', table: 'guild' });
      expect((error as Error).cause).to.be.an('error');
    });

    it('turns a missing parent into a ForeignKeyViolationError', async () => {
      const guildId = newGuild();
      const error = await t.db.permissionAssignments.create({ guildId, roleId: '5', permissionRankId: '9223372036854775807' }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(ForeignKeyViolationError);
      expect(error).to.include({ constraint: 'fk_permission_assignments_rank' });
      expect(await t.db.guild.getById(guildId), 'the statement rolled back whole').to.equal(null);
    });

    it('turns a CHECK failure into a CheckViolationError', async () => {
      const guildId = newGuild();
      await t.db.guild.create({ guildId });
      const since = new Date();
      await t.db.afk.create({ userId: '1', guildId, afkMessage: 'brb', since });
      // An end alone, before the stored start: only the table's CHECK can tell (the repository refuses what it sees).
      const error = await t.db.afk.updateById({ userId: '1', guildId }, { until: new Date(since.getTime() - 1000) }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(CheckViolationError);
      expect(error).to.include({ constraint: 'afk_until_after_since', table: 'afk' });
    });

    it('turns a refused connection into a DatabaseConnectionError without the password', async () => {
      const error = await createDatabase({ url: 'postgres://tux:hunter2@127.0.0.1:1/tux', migrate: false, acquireTimeoutMs: 2000 }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(DatabaseConnectionError);
      expect((error as Error).message).to.include('127.0.0.1:1').and.not.include('hunter2');
    });

    it('never lets a raw driver error escape', async () => {
      const error = await t.db.service.query('SELECT * FROM no_such_table', []).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(DatabaseError);
    });
  });

  describe('snowflakes', () => {
    for (const id of ['9223372036854775807', '1234567890123456789', '1']) {
      it(`stores and reads back ${id} exactly`, async () => {
        const guildId = newGuild();
        await t.db.guild.create({ guildId });
        await t.db.guildConfig.create({ guildId, modLogId: id });
        expect((await t.db.guildConfig.getById(guildId))?.modLogId).to.equal(id);
        expect((await t.db.guildConfig.findOne({ filters: { modLogId: id, guildId } }))?.modLogId).to.equal(id);
      });
    }

    it('accepts bigint input and safe integer numbers', async () => {
      const guildId = newGuild();
      await t.db.guild.create({ guildId: BigInt(guildId) });
      await t.db.guildConfig.create({ guildId, modLogId: 9223372036854775807n, logChannelId: 42 as never });
      const config = await t.db.guildConfig.getById(guildId);
      expect([config?.modLogId, config?.logChannelId]).to.deep.equal(['9223372036854775807', '42']);
    });

    for (const bad of ['0', '-1', '12a', '18446744073709551616', 1.5, 9007199254740993]) {
      it(`rejects ${typeof bad === 'string' ? `'${bad}'` : bad} with a ValidationError before any SQL`, async () => {
        const { statements: sent } = await countStatements(async () => {
          await expect(t.db.guild.create({ guildId: bad as string })).to.be.rejectedWith(ValidationError, /guildId/);
        });
        expect(sent).to.have.length(0);
      });
    }
  });
});
