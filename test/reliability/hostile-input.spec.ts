import { expect } from 'chai';
import fc from 'fast-check';
import { inspect } from 'node:util';
import { Client } from 'pg';
import { main } from '../../src/cli/main';
import type { DatabaseCoordinator } from '../../src/coordinator';
import { CaseType } from '../../src/entities/enums';
import { CheckViolationError, ForeignKeyViolationError, UniqueViolationError } from '../../src/errors/constraint-errors';
import { DatabaseError } from '../../src/errors/database-error';
import { NotFoundError } from '../../src/errors/not-found-error';
import { ValidationError } from '../../src/errors/validation-error';
import { BaseRepository } from '../../src/repositories/base-repository';
import { openTestDatabase, randomSnowflake } from '../support/fixtures';
import { testDatabaseUrl } from '../support/test-server';
import {
  columnValue, filterArbitrary, hostileString, INJECTIONS, keyOf, nested, orderByArbitrary, rowArbitrary, scalar,
  typedFilterArbitrary, valuesArbitrary, type ColumnInfo,
} from '../fixtures/hostile-arbitraries';
import { tally, tallyLine } from '../fixtures/reliability-tally';

const counts = tally('hostile-input');

const TABLES = [
  'guild', 'guild_config', 'cases', 'afk', 'levels', 'snippet', 'starboard', 'starboard_message', 'reminder',
  'guild_permissions', 'permission_ranks', 'permission_assignments', 'permission_commands', 'migrations',
] as const;

/** Rolls back the unit the hostile writes ran in. */
class RollBack extends Error {}

/** Errors an input may legitimately end in; anything else is a defect. */
const EXPECTED_ERRORS = [ValidationError, UniqueViolationError, ForeignKeyViolationError, CheckViolationError, NotFoundError];
const HANG_MS = 15_000;
/** How the inputs of the current test ended. */
let outcomes = { ok: 0, rejected: 0 };

function show(input: unknown): string {
  return inspect(input, { depth: 4, maxArrayLength: 8, maxStringLength: 120, breakLength: Infinity });
}

/**
 * Runs `fn` with one hostile input: resolves 'ok' or 'rejected' (an expected, typed error); anything else
 * (a raw driver error, the bare DatabaseError a driver error becomes, a TypeError, a hang) fails the test.
 */
async function attempt(what: string, input: unknown, fn: () => Promise<unknown>): Promise<'ok' | 'rejected'> {
  counts.hostileInputs++;
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${HANG_MS} ms`)), HANG_MS);
  });
  try {
    await Promise.race([Promise.resolve().then(fn), hang]);
    outcomes.ok++;
    return 'ok';
  } catch (e) {
    if (EXPECTED_ERRORS.some((type) => e instanceof type)) {
      outcomes.rejected++;
      return 'rejected';
    }
    if (!(e instanceof DatabaseError) || e.constructor === DatabaseError) counts.rawDriverErrors++;
    const name = e instanceof Error ? e.name : typeof e;
    throw new Error(`${what}(${show(input)}) failed with ${name}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  } finally {
    clearTimeout(timer);
  }
}

describe('hostile input', function () {
  this.timeout(60_000);
  let db: DatabaseCoordinator;
  let admin: Client;
  let repositories: Array<[string, BaseRepository<object, unknown>, string[], ColumnInfo[], string[][]]>;
  const fuzzGuild = randomSnowflake();
  const sentinelGuild = randomSnowflake();
  const guildsBefore = new Set<string>();
  let rowsBefore: Record<string, number>;

  const rowCounts = async (): Promise<Record<string, number>> => {
    const result: Record<string, number> = {};
    for (const table of TABLES) result[table] = Number((await admin.query<{ n: string }>(`SELECT count(*) AS n FROM "${table}"`)).rows[0]?.n);
    return result;
  };
  /** Runs `fn` in a unit of work that is always rolled back: hostile writes leave nothing behind. */
  const rolledBack = async (fn: () => Promise<void>): Promise<void> => {
    await db.transaction(async () => {
      await fn();
      throw new RollBack();
    }).catch((e: unknown) => {
      if (!(e instanceof RollBack)) throw e;
    });
  };
  /** One hostile call in a savepoint of the surrounding unit, so its failure does not abort the others. */
  const savepoint = <T>(fn: () => Promise<T>) => () => db.transaction(fn);

  beforeEach(() => {
    outcomes = { ok: 0, rejected: 0 };
  });
  afterEach(() => {
    if (outcomes.ok + outcomes.rejected >= 100) console.log(`      ${outcomes.ok} inputs worked, ${outcomes.rejected} were refused with a typed error`);
  });

  before(async () => {
    db = await openTestDatabase({ poolSize: 4 });
    admin = new Client({ connectionString: testDatabaseUrl() });
    await admin.connect();
    for (const row of (await admin.query<{ guild_id: string }>('SELECT guild_id FROM guild')).rows) guildsBefore.add(row.guild_id);
    repositories = Object.entries(db)
      .filter((entry): entry is [string, BaseRepository<object, unknown>] => entry[1] instanceof BaseRepository)
      .map(([name, repository]) => {
        const entity = (repository as unknown as { entity: new () => object }).entity;
        const metadata = db.service.dataSource.getMetadata(entity);
        // The primary key, then every unique key: what getById, upsert and getOrCreate take.
        const keys = [metadata.primaryColumns, ...metadata.uniques.map((u) => u.columns)].map((k) => k.map((c) => c.propertyName));
        const columns: ColumnInfo[] = metadata.columns.map((c) => ({
          property: c.propertyName,
          type: String(c.type),
          length: Number(c.length) || 0,
          enumValues: (c.enum ?? []).map(String),
          nullable: c.isNullable,
          required: !c.isNullable && c.default === undefined && !c.isGenerated && !c.isCreateDate && !c.isUpdateDate,
          generated: c.isGenerated,
        }));
        return [name, repository, columns.map((c) => c.property), columns, keys];
      });
    expect(repositories.map(([name]) => name)).to.include.members(['case', 'snippet', 'levels', 'reminder', 'permissionCommands']);
    // Sentinel rows every hostile input must leave alone.
    await db.case.createCase({ caseType: CaseType.BAN, caseUserId: '1', caseModeratorId: '2', guildId: sentinelGuild, caseReason: 'sentinel' });
    await db.snippet.createSnippet({ snippetName: 'sentinel', snippetContent: 'keep me', snippetUserId: '1', guildId: sentinelGuild });
    await db.levels.addXp('1', sentinelGuild, 10);
    rowsBefore = await rowCounts();
  });

  after(async () => {
    // Every table is still there and no row was lost; then remove what this spec created.
    for (const table of TABLES) expect((await admin.query('SELECT to_regclass($1) AS t', [`public.${table}`])).rows[0]?.t, table).to.not.equal(null);
    const rowsAfter = await rowCounts();
    for (const table of TABLES) {
      const lost = Math.max(0, (rowsBefore[table] ?? 0) - (rowsAfter[table] ?? 0));
      counts.rowsLost += lost;
    }
    expect((await db.case.getCaseByNumber(1, sentinelGuild))?.caseReason).to.equal('sentinel');
    expect((await db.snippet.getSnippetByName('sentinel', sentinelGuild))?.snippetContent).to.equal('keep me');
    const created = (await admin.query<{ guild_id: string }>('SELECT guild_id FROM guild')).rows.map((r) => r.guild_id).filter((g) => !guildsBefore.has(g));
    if (created.length > 0) await admin.query('DELETE FROM guild WHERE guild_id = ANY($1::bigint[])', [created]);
    await db.close();
    await admin.end();
    console.log(`      ${tallyLine('hostile-input')}`);
    expect(counts.rowsLost, 'rows lost').to.equal(0);
    expect(counts.rawDriverErrors, 'raw driver errors').to.equal(0);
  });

  it('answers random filters (objects, arrays, strings, numbers, nesting) with rows or ValidationError', async () => {
    const repo = fc.constantFrom(...repositories);
    await fc.assert(
      fc.asyncProperty(
        repo.chain(([name, repository, fields, columns]) =>
          fc.tuple(
            fc.constant(name),
            fc.constant(repository),
            fc.oneof(filterArbitrary(fields), typedFilterArbitrary(columns, fuzzGuild)),
            fc.constantFrom('findAll', 'findOne', 'count', 'exists', 'paginate'),
          ),
        ),
        async ([name, repository, filters, method]) => {
          await attempt(`${name}.${method}`, filters, () => {
            const options = { filters } as never;
            switch (method) {
              case 'findAll': return repository.findAll({ filters, limit: 5 } as never);
              case 'findOne': return repository.findOne(options);
              case 'count': return repository.count(options);
              case 'exists': return repository.exists(options);
              default: return repository.paginate({ filters, perPage: 5 } as never);
            }
          });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('answers random orderBy, limit, offset, page and perPage with rows or ValidationError', async () => {
    const count = fc.oneof(
      { weight: 4, arbitrary: fc.constant(undefined) },
      { weight: 4, arbitrary: fc.integer({ min: 1, max: 50 }) },
      { weight: 2, arbitrary: fc.constantFrom(0, -1, 1000, 1001, 2 ** 31, 2 ** 53 - 1, 2 ** 53, -0, NaN, Infinity, 1.5) },
      { weight: 1, arbitrary: scalar },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...repositories).chain(([name, repository, fields]) =>
          fc.tuple(fc.constant(name), fc.constant(repository), orderByArbitrary(fields), count, count, fc.boolean()),
        ),
        async ([name, repository, orderBy, a, b, paginate]) => {
          await attempt(`${name}.${paginate ? 'paginate' : 'findAll'}`, { orderBy, a, b }, () =>
            paginate ? repository.paginate({ orderBy, page: a, perPage: b } as never) : repository.findAll({ orderBy, limit: a, offset: b } as never),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('answers random field values for create, createMany, update, upsert and getOrCreate with rows or a typed error', async () => {
    await rolledBack(async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...repositories).chain(([name, repository, fields, columns, keys]) =>
            fc.tuple(
              fc.constant(name),
              fc.constant(repository),
              fc.oneof({ weight: 4, arbitrary: rowArbitrary(columns, fuzzGuild) }, { weight: 1, arbitrary: valuesArbitrary(fields) }),
              fc.oneof(
                { weight: 4, arbitrary: fc.tuple(rowArbitrary(columns, fuzzGuild), fc.constantFrom(...keys), fc.boolean()).map(([row, key, bare]) => keyOf(row, key, bare)) },
                { weight: 1, arbitrary: typedFilterArbitrary(columns, fuzzGuild) },
                { weight: 1, arbitrary: valuesArbitrary(fields) },
              ),
              fc.constantFrom('create', 'createMany', 'updateById', 'updateWhere', 'upsert', 'getOrCreate'),
            ),
          ),
          async ([name, repository, values, other, method]) => {
            await attempt(`${name}.${method}`, { values, other }, savepoint(async (): Promise<unknown> => {
              switch (method) {
                case 'create': return repository.create(values as never);
                case 'createMany': return repository.createMany([values, other] as never);
                case 'updateById': return repository.updateById(other as never, values as never);
                case 'updateWhere': return repository.updateWhere({ filters: other, values } as never);
                case 'upsert': return repository.upsert({ filters: other, values } as never);
                default: return repository.getOrCreate(other as never, values as never);
              }
            }));
          },
        ),
        { numRuns: 500 },
      );
    });
  });

  it('answers plausible cases with hostile text, JSON and ids with a numbered case or a typed error', async () => {
    const guildId = randomSnowflake();
    // Every column of a case but the number, which the database assigns.
    const caseColumns = (): ColumnInfo[] => (repositories.find(([name]) => name === 'case')?.[3] ?? []).filter((c) => c.property !== 'caseNumber');
    await rolledBack(async () => {
      await fc.assert(
        fc.asyncProperty(
          rowArbitrary(caseColumns(), guildId),
          async (values) => {
            const outcome = await attempt('case.createCase', values, savepoint(() => db.case.createCase(values as never)));
            if (outcome === 'ok' && typeof values.caseReason === 'string') {
              // Stored exactly as given, found by equality.
              const found = await db.case.findOne({ filters: { guildId: values.guildId as string, caseReason: values.caseReason }, orderBy: { caseNumber: 'DESC' } });
              expect(found?.caseReason).to.equal(values.caseReason);
            }
          },
        ),
        { numRuns: 300 },
      );
    });
  });

  it('answers every public repository method called with hostile arguments with a result or a typed error', async () => {
    const internal = new Set([
      'constructor', 'runStatement', 'hydrate', 'prepare', 'firstRow', 'column', 'coerce', 'withCreatedFlag', 'idParams',
      'prepareRow', 'conflictKey', 'optionalCount',
      'requireFilters', 'withSession', 'cooldownValue', 'dateValue', 'fieldColumn', 'guild', 'hydrateJoined', 'joinedSelectList',
      'keyParams', 'levelSql', 'logField', 'memberParams', 'name', 'onlySettings', 'param', 'prepareCase', 'rankValue', 'string',
      'upsertConfig', 'value', 'writeBlacklist', 'xpValue', 'checkOptions', 'refuseCaseNumber', 'prepareGuildCases', 'insertGuildCases',
      'insertOptions', 'firstOrNull', 'affectedRows', 'expired', 'insertAlias', 'fields', 'skippedFromCache',
    ]);
    const methods: Array<[string, BaseRepository<object, unknown>, string, ColumnInfo[]]> = [];
    for (const [name, repository, , columns] of repositories) {
      const seen = new Set<string>();
      for (let proto: object | null = Object.getPrototypeOf(repository); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
        for (const key of Object.getOwnPropertyNames(proto)) {
          const descriptor = Object.getOwnPropertyDescriptor(proto, key);
          if (seen.has(key) || internal.has(key) || typeof descriptor?.value !== 'function') continue;
          seen.add(key);
          methods.push([name, repository, key, columns]);
        }
      }
    }
    expect(methods.length).to.be.greaterThan(100);
    const argument = (columns: ColumnInfo[]) =>
      fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...columns).chain((c) => columnValue(c, fuzzGuild, true)) },
        { weight: 2, arbitrary: fc.constantFrom(...columns).chain((c) => columnValue(c, fuzzGuild, false)) },
        { weight: 2, arbitrary: rowArbitrary(columns, fuzzGuild) },
        { weight: 1, arbitrary: typedFilterArbitrary(columns, fuzzGuild).map((filters) => ({ filters })) },
        { weight: 1, arbitrary: scalar },
      );
    await rolledBack(async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...methods).chain(([name, repository, method, columns]) =>
            fc.tuple(fc.constant(`${name}.${method}`), fc.constant(repository), fc.constant(method), fc.array(argument(columns), { maxLength: 4 })),
          ),
          async ([label, repository, method, args]) => {
            const fn = (repository as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[method];
            // Arguments of the wrong shape too (null options, a string where a list goes): a TypeError fails.
            await attempt(label, args, savepoint(() => fn?.apply(repository, args) ?? Promise.resolve()));
          },
        ),
        { numRuns: 600 },
      );
    });
  });

  it('refuses null where upsert and getOrCreate take an object of fields, writing nothing', async () => {
    const guildId = randomSnowflake();
    await expect(db.guild.upsert({ filters: { guildId }, values: null as never })).to.be.rejectedWith(ValidationError, /options\.values must be an object of fields/);
    await expect(db.guild.upsert({ filters: { guildId }, defaults: null as never })).to.be.rejectedWith(ValidationError, /options\.defaults must be an object of fields/);
    await expect(db.guild.getOrCreate({ guildId }, null as never)).to.be.rejectedWith(ValidationError, /defaults must be an object of fields/);
    expect(await db.guild.getById(guildId)).to.equal(null);
    counts.hostileInputs += 3;
  });

  it('refuses updatedAt in generic updates with ValidationError, as updateConfig does', async () => {
    const guildId = randomSnowflake();
    const at = new Date('2020-01-01T00:00:00Z');
    await db.guild.getOrCreateGuild(guildId);
    const snippet = await db.snippet.createSnippet({ snippetName: 'dated', snippetUserId: '1', guildId });
    const c = await db.case.createCase({ caseType: CaseType.WARN, caseUserId: '1', caseModeratorId: '2', guildId });
    try {
      await expect(db.guild.updateById(guildId, { updatedAt: at })).to.be.rejectedWith(ValidationError, /set by the database/);
      await expect(db.guild.updateWhere({ filters: { guildId }, values: { updatedAt: at } })).to.be.rejectedWith(ValidationError);
      await expect(db.guild.upsert({ filters: { guildId }, values: { updatedAt: at } })).to.be.rejectedWith(ValidationError);
      await expect(db.snippet.updateById(snippet.snippetId, { updatedAt: at })).to.be.rejectedWith(ValidationError);
      await expect(db.case.updateById(c.caseId, { caseUpdatedAt: at })).to.be.rejectedWith(ValidationError);
    } finally {
      await db.guild.deleteGuild(guildId);
    }
  });

  it('answers hostile snippet names and search terms literally: created, found by name and by search, or ValidationError', async () => {
    const guildId = randomSnowflake();
    await rolledBack(async () => {
      await fc.assert(
        fc.asyncProperty(hostileString, hostileString, async (name, term) => {
          const created = await attempt('snippet.createSnippet', name, savepoint(() => db.snippet.createSnippet({ snippetName: name, snippetContent: name, snippetUserId: '1', guildId })));
          if (created === 'ok') {
            expect((await db.snippet.getSnippetByName(name, guildId))?.snippetName).to.equal(name);
            const hits = await db.snippet.searchSnippets(guildId, name, 1000);
            expect(hits.map((s) => s.snippetName), `searching ${show(name)}`).to.include(name);
            // A literal search: every hit contains the term, ignoring case as ILIKE does.
            for (const hit of hits) expect(hit.snippetName.toLowerCase()).to.include(name.toLowerCase());
          }
          await attempt('snippet.searchSnippets', term, async () => {
            const hits = await db.snippet.searchSnippets(guildId, term, 1000);
            for (const hit of hits) expect(hit.snippetName.toLowerCase(), `searching ${show(term)}`).to.include(term.toLowerCase());
          });
          await attempt('snippet.getSnippetByName', term, () => db.snippet.getSnippetByName(term, guildId));
          await attempt('snippet.createAlias', { term, name }, savepoint(() => db.snippet.createAlias({ aliasName: term, targetName: name, guildId, userId: '1' })));
          await attempt('snippet.deleteSnippetByName', term, savepoint(() => db.snippet.deleteSnippetByName(term, guildId)));
        }),
        { numRuns: 200 },
      );
    });
  });

  it('answers every CLI argument list with exit 0, 1 or 2 and one clear line, never a stack trace', async () => {
    const saved = process.env['DATABASE_URL'];
    // Commands that get past argument checks fail to connect at once: nothing is migrated, reverted or written.
    process.env['DATABASE_URL'] = 'postgres://tux:cli-fuzz-secret@127.0.0.1:1/tux';
    try {
      const commands = fc.oneof(
        fc.constantFrom('migrate-generate', 'migrate-push', 'migrate-revert', 'migrate-status', 'health', 'demo', 'help', '--help', '-h'),
        hostileString,
      );
      await fc.assert(
        fc.asyncProperty(fc.tuple(commands, fc.array(hostileString, { maxLength: 3 })), async ([command, args]) => {
          const lines: string[] = [];
          let code = -1;
          await attempt('tux-db', [command, ...args], async () => {
            code = await main([command, ...args], (l) => lines.push(l), (l) => lines.push(l));
          });
          expect([0, 1, 2]).to.include(code);
          const output = lines.join('\n');
          expect(output).to.not.match(/^\s+at /m);
          expect(output).to.not.include('cli-fuzz-secret');
          if (code === 1) expect(lines, output).to.have.length(1);
        }),
        { numRuns: 150 },
      );
    } finally {
      if (saved === undefined) delete process.env['DATABASE_URL'];
      else process.env['DATABASE_URL'] = saved;
    }
  });

  it('stores SQL-injection payloads in every text position verbatim, matches them literally, and leaves every table intact', async () => {
    const guildId = randomSnowflake();
    const rank = await db.permissionRanks.createRank(guildId, 3, 'Helper');
    for (const payload of INJECTIONS) {
      const userId = randomSnowflake();
      // Each write must work (or, past a short column's limit, be refused by validation) and read back verbatim.
      const text = async (what: string, fn: () => Promise<unknown>, read: () => Promise<unknown>): Promise<void> => {
        if ((await attempt(what, payload, fn)) === 'ok') expect(await read(), `${what} with ${show(payload)}`).to.equal(payload);
      };
      const c = await db.case.createCase({ caseType: CaseType.WARN, caseUserId: userId, caseModeratorId: '2', guildId, caseReason: payload, caseMetadata: { [payload]: payload } });
      counts.hostileInputs++;
      expect(c.caseReason).to.equal(payload);
      expect(c.caseMetadata).to.deep.equal({ [payload]: payload });
      expect((await db.case.findAll({ filters: { guildId, caseReason: payload } })).map((x) => x.caseId)).to.deep.equal([c.caseId]);
      expect((await db.case.findAll({ filters: { guildId, caseReason: { in: [payload] } } })).map((x) => x.caseId)).to.deep.equal([c.caseId]);
      expect(await db.case.count({ filters: { guildId, caseReason: { ne: payload } } })).to.equal(INJECTIONS.indexOf(payload));
      await text('guild.updateGuildName', () => db.guild.updateGuildName(guildId, payload), async () => (await db.guild.getById(guildId))?.guildName);
      await text('guildConfig.setPrefix', () => db.guildConfig.setPrefix(guildId, payload), () => db.guildConfig.getPrefix(guildId));
      await text(
        'afk.setMemberAfk',
        () => db.afk.setMemberAfk({ userId, guildId, nickname: payload, afkMessage: payload }),
        async () => {
          const afk = await db.afk.getAfkByMember(userId, guildId);
          expect(afk?.nickname).to.equal(payload);
          return afk?.afkMessage;
        },
      );
      await text('snippet.createSnippet', () => db.snippet.createSnippet({ snippetName: payload, snippetContent: payload, snippetUserId: userId, guildId }), async () => (await db.snippet.getSnippetByName(payload, guildId))?.snippetContent);
      await text('reminder.createReminder', () => db.reminder.createReminder({ reminderContent: payload, reminderExpiresAt: new Date(Date.now() + 3_600_000), reminderChannelId: '5', reminderUserId: userId, guildId }), async () => (await db.reminder.getRemindersByUser(userId, guildId))[0]?.reminderContent);
      await text('starboard.createOrUpdateStarboard', () => db.starboard.createOrUpdateStarboard(guildId, { starboardChannelId: '6', starboardEmoji: payload, starboardThreshold: 2 }), async () => (await db.starboard.getById(guildId))?.starboardEmoji);
      await text('starboardMessage.createOrUpdateStarboardMessage', () => db.starboardMessage.createOrUpdateStarboardMessage({ messageId: userId, guildId, messageChannelId: '7', messageUserId: userId, messageContent: payload, messageExpiresAt: new Date(Date.now() + 3_600_000), starCount: 1, starboardMessageId: '8' } as never), async () => (await db.starboardMessage.getById(userId))?.messageContent);
      await text('permissionRanks.updateRank', () => db.permissionRanks.updateRank(guildId, 3, { name: payload } as never), async () => (await db.permissionRanks.findOne({ filters: { guildId, rank: 3 } }))?.name);
      await text('permissionCommands.setCommandRank', () => db.permissionCommands.setCommandRank(guildId, payload, 3), async () => ((await db.permissionCommands.getCommandRank(guildId, payload)) === 3 ? payload : 'rank not found'));
      // Field names and ordering keys are never SQL: an injection there is a ValidationError.
      await expect(db.case.findAll({ filters: { [payload]: 1 } as never })).to.be.rejectedWith(ValidationError);
      await expect(db.case.findAll({ filters: { caseReason: { [payload]: 'x' } } as never })).to.be.rejectedWith(ValidationError);
      await expect(db.case.findAll({ orderBy: { [payload]: 'ASC' } as never })).to.be.rejectedWith(ValidationError);
      await expect(db.case.findAll({ orderBy: { caseId: payload } as never })).to.be.rejectedWith(ValidationError);
      await expect(db.case.createCase({ caseType: payload as CaseType, caseUserId: '1', caseModeratorId: '2', guildId })).to.be.rejectedWith(ValidationError);
      await expect(db.case.findAll({ filters: { guildId: payload } })).to.be.rejectedWith(ValidationError);
      counts.hostileInputs += 6;
    }
    expect(rank.name).to.equal('Helper');
    // Searches take the payloads literally: `%` finds only names containing a percent sign, `_` an underscore.
    const names = (await db.snippet.getSnippetsByGuild(guildId)).map((s) => s.snippetName);
    for (const term of ['%', '_', '\\', '%_', "'", '$1']) {
      const hits = (await db.snippet.searchSnippets(guildId, term, 1000)).map((s) => s.snippetName);
      expect(hits.sort(), `search ${show(term)}`).to.deep.equal(names.filter((n) => n.toLowerCase().includes(term.toLowerCase())).sort());
      counts.hostileInputs++;
    }
    expect(await db.case.count({ filters: { guildId } })).to.equal(INJECTIONS.length);
    for (const table of TABLES) expect((await admin.query('SELECT to_regclass($1) AS t', [`public.${table}`])).rows[0]?.t, table).to.not.equal(null);
    await db.guild.deleteGuild(guildId);
  });

  it('rejects text over the column limits, NUL bytes, lone surrogates and out-of-range dates with ValidationError, everywhere', async () => {
    const guildId = randomSnowflake();
    const limits: Array<[string, number, (s: string) => Promise<unknown>]> = [
      ['caseReason', 2000, (s) => db.case.createCase({ caseType: CaseType.WARN, caseUserId: '1', caseModeratorId: '2', guildId, caseReason: s })],
      ['guildName', 100, (s) => db.guild.updateGuildName(guildId, s)],
      ['prefix', 10, (s) => db.guildConfig.setPrefix(guildId, s)],
      ['afkMessage', 500, (s) => db.afk.setMemberAfk({ userId: '9', guildId, afkMessage: s })],
      ['nickname', 100, (s) => db.afk.setMemberAfk({ userId: '9', guildId, afkMessage: 'x', nickname: s })],
      ['snippetName', 100, (s) => db.snippet.createSnippet({ snippetName: s, snippetUserId: '1', guildId })],
      ['snippetContent', 4000, (s) => db.snippet.createSnippet({ snippetName: `c${s.length}${s.codePointAt(0)}`, snippetContent: s, snippetUserId: '1', guildId })],
      ['reminderContent', 2000, (s) => db.reminder.createReminder({ reminderContent: s, reminderExpiresAt: new Date(), reminderChannelId: '5', reminderUserId: '1', guildId })],
    ];
    await db.guild.getOrCreateGuild(guildId);
    await rolledBack(async () => {
      for (const [field, limit, write] of limits) {
        for (const unit of ['a', '😀']) {
          expect(await attempt(field, `${limit} × ${unit}`, savepoint(() => write(unit.repeat(limit)))), `${field} at its limit of ${limit} code points`).to.equal('ok');
          await expect(savepoint(() => write(unit.repeat(limit + 1)))(), `${field} over its limit`).to.be.rejectedWith(ValidationError, /at most/);
          counts.hostileInputs++;
        }
        for (const bad of ['a\u0000b', '\u0000', 'x\uD800', '\uDFFFy', '\uD83D']) {
          await expect(savepoint(() => write(bad))(), `${field} with ${show(bad)}`).to.be.rejectedWith(ValidationError, /NUL|surrogate/);
          counts.hostileInputs++;
        }
      }
    });
    // The same checks guard filters, LIKE patterns and JSON (keys and values).
    for (const bad of ['a\u0000b', 'x\uD800']) {
      await expect(db.case.findAll({ filters: { caseReason: bad } })).to.be.rejectedWith(ValidationError);
      await expect(db.case.findAll({ filters: { caseReason: { like: bad } } })).to.be.rejectedWith(ValidationError);
      await expect(db.snippet.searchSnippets(guildId, bad)).to.be.rejectedWith(ValidationError);
      await expect(db.snippet.getSnippetByName(bad, guildId)).to.be.rejectedWith(ValidationError);
      await expect(db.case.createCase({ caseType: CaseType.WARN, caseUserId: '1', caseModeratorId: '2', guildId, caseMetadata: { note: bad } })).to.be.rejectedWith(ValidationError);
      await expect(db.case.createCase({ caseType: CaseType.WARN, caseUserId: '1', caseModeratorId: '2', guildId, caseMetadata: { [bad]: 1 } })).to.be.rejectedWith(ValidationError);
      counts.hostileInputs += 6;
    }
    // Dates a JS Date can hold but PostgreSQL cannot (before 4713 BC): refused as invalid input, not a bare error.
    for (const date of [new Date(-8.64e15), new Date('-004714-01-01T00:00:00Z')]) {
      await expect(db.case.createCase({ caseType: CaseType.WARN, caseUserId: '1', caseModeratorId: '2', guildId, caseExpiresAt: date })).to.be.rejectedWith(ValidationError, /from 4713 BC on/);
      await expect(db.case.findAll({ filters: { caseCreatedAt: { lt: date } } })).to.be.rejectedWith(ValidationError, /from 4713 BC on/);
      counts.hostileInputs += 2;
    }
    expect(await db.case.count({ filters: { guildId } })).to.equal(0);
    await db.guild.deleteGuild(guildId);
  });

  it('matches 100,000 ids in `in` / `notIn` as one array parameter, in seconds', async () => {
    const guildId = randomSnowflake();
    const cases = await db.case.createCases(guildId, Array.from({ length: 5 }, () => ({ caseType: CaseType.BAN, caseUserId: '1', caseModeratorId: '2' })));
    const ids = Array.from({ length: 100_000 }, (_, i) => String(10n ** 17n + BigInt(i)));
    ids[50_000] = cases[2]?.caseId as string;
    const started = Date.now();
    expect((await db.case.findAll({ filters: { caseId: { in: ids } } })).map((c) => c.caseNumber)).to.deep.equal([3]);
    expect(await db.case.count({ filters: { guildId, caseId: { notIn: ids } } })).to.equal(4);
    const userIds = Array.from({ length: 100_000 }, () => randomSnowflake());
    userIds.push('1');
    expect(await db.case.count({ filters: { guildId, caseUserId: { in: userIds } } })).to.equal(5);
    expect(await db.case.count({ filters: { caseNumber: { in: Array.from({ length: 100_000 }, (_, i) => i + 1) }, guildId } })).to.equal(5);
    expect(Date.now() - started, '100,000-id lists take seconds, not minutes').to.be.below(15_000);
    // One bad id among 100,000 is named precisely.
    const bad = [...ids];
    bad[99_999] = 'not-a-snowflake';
    await expect(db.case.findAll({ filters: { caseId: { in: bad } } })).to.be.rejectedWith(ValidationError, /caseId\.in\[99999\]/);
    counts.hostileInputs += 5;
    await db.guild.deleteGuild(guildId);
  });

  it('rejects 10,000-deep and / or / not nesting with ValidationError, without recursing into it', async () => {
    for (const kind of ['and', 'or', 'not'] as const) {
      const started = Date.now();
      await expect(db.case.findAll({ filters: nested(kind, 10_000, { caseNumber: 1 }) as never })).to.be.rejectedWith(ValidationError, /nested too deeply/);
      expect(Date.now() - started).to.be.below(1_000);
      counts.hostileInputs++;
    }
    // 30 levels are fine; 10,000 JSON levels in a JSON column are refused too.
    expect(await db.case.findAll({ filters: nested('and', 30, { caseNumber: -1 }) as never })).to.deep.equal([]);
    let deepJson: unknown = 'leaf';
    for (let i = 0; i < 10_000; i++) deepJson = [deepJson];
    await expect(db.case.createCase({ caseType: CaseType.WARN, caseUserId: '1', caseModeratorId: '2', guildId: randomSnowflake(), caseMetadata: { deep: deepJson } })).to.be.rejectedWith(ValidationError, /nested more than/);
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    await expect(db.case.createCase({ caseType: CaseType.WARN, caseUserId: '1', caseModeratorId: '2', guildId: randomSnowflake(), caseMetadata: cyclic })).to.be.rejectedWith(ValidationError, /cyclic/);
    counts.hostileInputs += 3;
  });

  it('answers db.service.query with no SQL text, values that are no array or options of the wrong shape with ValidationError, inside a unit too', async () => {
    const service = db.service as unknown as { query(text: unknown, values?: unknown, options?: unknown): Promise<unknown> };
    const cases: Array<[unknown, unknown, unknown, RegExp]> = [
      [undefined, [], undefined, /text must be a non-empty SQL string \(got undefined\)/],
      ['  ', [], undefined, /text must be a non-empty SQL string \(got a blank string\)/],
      [{ text: 'SELECT 1' }, [], undefined, /text must be a non-empty SQL string \(got object\)/],
      ['SELECT 1', null, undefined, /values must be an array of parameters, \[\] for none \(got null\)/],
      ['SELECT $1', '1', undefined, /values must be an array .*\(got string\)/],
      ['SELECT 1', [], null, /options must be an options object/],
      ['SELECT 1', [], { prepared: true }, /options\.prepared is not an option of query \(did you mean "prepare"\?\)/],
    ];
    for (const [text, values, options, message] of cases) {
      await expect(service.query(text, values, options), String(message)).to.be.rejectedWith(ValidationError, message);
      // Inside a unit of work too; the unit stays usable, as after any ValidationError.
      const inUnit = await db.transaction(async () => {
        const error: unknown = await service.query(text, values, options).catch((e: unknown) => e);
        return { error, after: await db.service.query<{ n: number }>('SELECT 1 AS n', []) };
      });
      expect(inUnit.error, String(message)).to.be.instanceOf(ValidationError);
      expect(inUnit.after.rows).to.deep.equal([{ n: 1 }]);
      counts.hostileInputs++;
    }
    expect((await db.health()).status).to.equal('healthy');
  });

  it('answers filters wider than PostgreSQL’s 65,535 parameters with ValidationError; 10,000-wide `or` works', async () => {
    const wide = (n: number) => ({ or: Array.from({ length: n }, (_, i) => ({ caseNumber: i + 1 })) });
    expect(await db.case.count({ filters: { guildId: sentinelGuild, ...wide(10_000) } })).to.equal(1);
    await expect(db.case.count({ filters: wide(70_000) })).to.be.rejectedWith(ValidationError, /65,?535/);
    await expect(db.case.findAll({ filters: wide(100_000) })).to.be.rejectedWith(ValidationError, /65,?535/);
    counts.hostileInputs += 3;
    // The connection is fine afterwards.
    expect((await db.health()).status).to.equal('healthy');
  });
});
