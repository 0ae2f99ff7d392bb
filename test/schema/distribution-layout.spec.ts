import { expect } from 'chai';
import { Client } from 'pg';
import sinon from 'sinon';
import type { DatabaseCoordinator } from '../../src/coordinator';
import { CaseType, OnboardingStage, PermissionLevel } from '../../src/entities/enums';
import type { Statement } from '../../src/query/sql';
import type { TableModel } from '../../src/query/table-model';
import { CROSS_GUILD_STATEMENTS } from '../../src/repositories/cross-guild-statements';
import { REPOSITORY_TABLE, type RepositoryName } from '../../src/repositories/repository-table';
import { readSourceSurface, type MethodInfo, type ParameterInfo } from '../fixtures/public-surface';
import { unconfined } from './guild-confinement';
import { layoutOffenders, type LayoutOffenders } from './layout-offenders';
import { deleteGuilds, openTestDatabase, randomSnowflake } from '../support/fixtures';
import { testDatabaseUrl } from '../support/test-server';

// The layout a database distributed by guild (Citus) needs, checked on the migrated test database: guild_id in every
// key (pg_catalog), and every statement a repository sends to a table confined to one guild unless
// CROSS_GUILD_STATEMENTS lists its method (every public repository method is called, and each statement's plan read).
// test/migrations/guild-id-in-every-key.spec.ts shows the same catalog walk naming what the schema before it broke.

describe('the layout for distribution by guild', function () {
  this.timeout(120_000);
  let db: DatabaseCoordinator;
  let catalog: Client;

  before(async () => {
    db = await openTestDatabase();
    catalog = new Client({ connectionString: testDatabaseUrl() });
    await catalog.connect();
  });
  after(async () => {
    await catalog?.end();
    await db?.close();
  });

  describe('in the live schema (pg_catalog)', () => {
    let found: LayoutOffenders;
    before(async () => {
      found = await layoutOffenders(catalog);
    });

    it('walks every table of the library', () => {
      expect(found.tables).to.have.members(REPOSITORY_TABLE.map(({ name }) => (db[name] as unknown as { model: TableModel }).model.name));
    });

    it('keys guild by guild_id alone, and gives every other table a guild_id in each primary key, unique constraint and unique index', () => {
      expect(found.keys, `keys without guild_id:\n${found.keys.join('\n')}\n`).to.deep.equal([]);
    });

    it('makes every foreign key between these tables pair guild_id with guild_id', () => {
      expect(found.foreignKeys, `foreign keys that do not pair guild_id with guild_id:\n${found.foreignKeys.join('\n')}\n`).to.deep.equal([]);
    });
  });

  describe('in every statement a repository sends', () => {
    const G = randomSnowflake();
    const USER = randomSnowflake();
    const OTHER_USER = randomSnowflake();
    const ROLE = randomSnowflake();
    const OTHER_ROLE = randomSnowflake();
    const CHANNEL = randomSnowflake();
    const MESSAGE = randomSnowflake();
    const COPY = randomSnowflake();
    const OTHER_MESSAGE = randomSnowflake();
    /** What one call of one method sent. */
    const sent = new Map<string, Statement[]>();
    const refusedBeforeSql = new Map<string, string>();
    const walked: string[] = [];
    let tables: Set<string>;
    let seeds: Seeds;

    before(async function () {
      this.timeout(300_000);
      tables = new Set(REPOSITORY_TABLE.map(({ name }) => (db[name] as unknown as { model: TableModel }).model.name));
      seeds = await seed(db, { G, USER, ROLE, CHANNEL, MESSAGE, COPY });
      const surface = readSourceSurface();
      const run = sinon.spy(db.service, 'run');
      try {
        for (const { name } of REPOSITORY_TABLE) {
          const repository = db[name] as unknown as Record<string, (...args: unknown[]) => unknown>;
          const model = (repository as unknown as { model: TableModel }).model;
          const context: CallContext = { G, USER, OTHER_USER, ROLE, OTHER_ROLE, CHANNEL, MESSAGE, COPY, OTHER_MESSAGE, seeds, model, name };
          for (const [method, info] of publicMethods(surface, repository)) {
            const label = `${name}.${method}`;
            walked.push(label);
            for (const args of argumentsFor(context, method, info)) {
              const before = run.callCount;
              // Each call in a unit that rolls back, so the seeds stay as they are for the next.
              const error = await db
                .transaction(async () => {
                  await (repository[method] as (...a: unknown[]) => unknown).apply(repository, args);
                  throw new RollBack();
                })
                .then(
                  () => undefined,
                  (e: unknown) => (e instanceof RollBack ? undefined : e),
                );
              const statements = run.getCalls().slice(before).map((c) => c.args[0] as Statement);
              sent.set(label, [...(sent.get(label) ?? []), ...statements]);
              if (statements.length === 0 && error !== undefined) refusedBeforeSql.set(label, error instanceof Error ? error.message : String(error));
            }
          }
        }
      } finally {
        run.restore();
        await deleteGuilds(db, [G]);
      }
    });

    it('calls every public method of every repository, and each sends a statement to a table (or says why it cannot)', () => {
      expect(walked).to.include.members(['case.getById', 'case.createCase', 'snippet.getSnippetByName', 'reminder.claimDueReminders', 'levels.addXp']);
      const silent = walked.filter((label) => !(sent.get(label) ?? []).some((s) => tablesOf(s).length > 0) && !(label in SENDS_NO_TABLE_STATEMENT));
      const detail = silent.map((label) => `${label}${refusedBeforeSql.has(label) ? `: ${refusedBeforeSql.get(label)}` : ''}`);
      expect(silent, `methods that sent no statement to a table:\n${detail.join('\n')}\n`).to.deep.equal([]);
      const stale = Object.keys(SENDS_NO_TABLE_STATEMENT).filter((label) => (sent.get(label) ?? []).some((s) => tablesOf(s).length > 0));
      expect(stale, 'listed as sending no statement to a table, yet did').to.deep.equal([]);
    });

    it('confines each statement to the one guild, in its declaration and in every table access of its plan, unless CROSS_GUILD_STATEMENTS lists its method', async () => {
      const listed = new Set(CROSS_GUILD_STATEMENTS.flatMap((e) => e.methods.map((m) => `${e.repository}.${m}`)));
      const offenders: string[] = [];
      const crossGuild = new Set<string>();
      for (const [label, statements] of sent) {
        for (const statement of statements) {
          if (tablesOf(statement).length === 0) continue;
          const problems = await unconfined(catalog, statement, G, tables);
          if (problems.length === 0) continue;
          crossGuild.add(label);
          if (!listed.has(label)) offenders.push(`${label}: ${problems.join('; ')}\n    ${statement.text}`);
        }
      }
      expect(offenders, `statements not confined to one guild, from methods CROSS_GUILD_STATEMENTS does not list:\n${offenders.join('\n')}\n`).to.deep.equal([]);
      // The list holds only methods that need it: each sent at least one statement spanning guilds.
      const needless = [...listed].filter((label) => !crossGuild.has(label));
      expect(needless, 'CROSS_GUILD_STATEMENTS lists methods whose every statement names one guild').to.deep.equal([]);
    });

    it('lists each cross-guild method once, naming only repositories and methods that exist', () => {
      const labels = CROSS_GUILD_STATEMENTS.flatMap((e) => e.methods.map((m) => `${e.repository}.${m}`));
      expect(labels.filter((l, i) => labels.indexOf(l) !== i), 'listed twice').to.deep.equal([]);
      expect(labels.filter((l) => !walked.includes(l)), 'not a public repository method').to.deep.equal([]);
      for (const entry of CROSS_GUILD_STATEMENTS) expect(entry.reason, entry.methods.join(', ')).to.match(/\w{3,}.*\w{3,}/);
    });
  });
});

// Their only unique keys hold a column the database assigns, so no call can name one and each is refused before SQL.
const NO_WRITABLE_UNIQUE_KEY = 'every unique key holds a column the database assigns (an identity, a case number): refused before any SQL';

/** Methods that never send a statement to a table, and why. */
const SENDS_NO_TABLE_STATEMENT: Readonly<Record<string, string>> = {
  'levels.levelFor': 'computes a level from XP in JavaScript',
  'levels.xpForLevel': 'computes XP from a level in JavaScript',
  'levels.verifyLevelFormula': 'asks the server to evaluate the formula on constants (SELECT … FROM unnest), no table',
  'case.getOrCreate': NO_WRITABLE_UNIQUE_KEY,
  'case.upsert': NO_WRITABLE_UNIQUE_KEY,
  'snippet.getOrCreate': NO_WRITABLE_UNIQUE_KEY,
  'snippet.upsert': NO_WRITABLE_UNIQUE_KEY,
  'reminder.getOrCreate': NO_WRITABLE_UNIQUE_KEY,
  'reminder.upsert': NO_WRITABLE_UNIQUE_KEY,
};

class RollBack extends Error {}

/** The rows every call may find: one of each table, in guild G. */
interface Seeds {
  readonly caseId: string;
  readonly caseNumber: number;
  readonly snippetId: string;
  readonly reminderId: string;
  readonly permissionRankId: string;
  readonly assignmentId: string;
  readonly commandId: string;
}

async function seed(db: DatabaseCoordinator, ids: { G: string; USER: string; ROLE: string; CHANNEL: string; MESSAGE: string; COPY: string }): Promise<Seeds> {
  const { G, USER, ROLE, CHANNEL, MESSAGE, COPY } = ids;
  await db.guild.getOrCreateGuild(G, 'walk');
  await db.guildConfig.getOrCreateConfig(G);
  const created = await db.case.createCase({ caseType: CaseType.TEMPBAN, caseUserId: USER, caseModeratorId: USER, guildId: G, caseExpiresAt: new Date(0) });
  await db.afk.setMemberAfk({ userId: USER, guildId: G, afkMessage: 'walk' });
  await db.levels.addXp(USER, G, 10);
  const snippet = await db.snippet.createSnippet({ snippetName: 'walk', snippetContent: 'walk', snippetUserId: USER, guildId: G });
  await db.starboard.createOrUpdateStarboard(G, { starboardChannelId: CHANNEL, starboardEmoji: '⭐' });
  await db.starboardMessage.createOrUpdateStarboardMessage({
    messageId: MESSAGE, guildId: G, messageChannelId: CHANNEL, messageUserId: USER, messageContent: 'walk', messageExpiresAt: new Date(), starboardMessageId: COPY,
  });
  const reminder = await db.reminder.createReminder({ reminderContent: 'walk', reminderExpiresAt: new Date(0), reminderChannelId: CHANNEL, reminderUserId: USER, guildId: G });
  await db.guildPermissions.setPermissionLevel(G, USER, PermissionLevel.MODERATOR);
  const rank = await db.permissionRanks.createRank(G, 3, 'walk');
  const assignment = await db.permissionAssignments.assignRole(G, ROLE, 3);
  const command = await db.permissionCommands.setCommandRank(G, 'walk', 3);
  return {
    caseId: created.caseId, caseNumber: created.caseNumber, snippetId: snippet.snippetId, reminderId: reminder.reminderId,
    permissionRankId: rank.permissionRankId, assignmentId: assignment.assignmentId, commandId: command.commandId,
  };
}

/** Everything a call's arguments are made of. */
interface CallContext {
  readonly G: string;
  readonly USER: string;
  readonly OTHER_USER: string;
  readonly ROLE: string;
  readonly OTHER_ROLE: string;
  readonly CHANNEL: string;
  readonly MESSAGE: string;
  readonly COPY: string;
  readonly OTHER_MESSAGE: string;
  readonly seeds: Seeds;
  readonly model: TableModel;
  readonly name: RepositoryName;
}

/** Per repository: a new row, a change to it, the seed's id, and a unique key with the rest of a row. */
function rowsFor(c: CallContext): { row: Record<string, unknown>; patch: Record<string, unknown>; id: unknown; unique: Record<string, unknown>; defaults: Record<string, unknown> } {
  const { G, USER, OTHER_USER, ROLE, OTHER_ROLE, CHANNEL, MESSAGE, OTHER_MESSAGE, COPY, seeds } = c;
  const expires = new Date(0);
  switch (c.name) {
    case 'case':
      return {
        row: { caseType: CaseType.WARN, caseUserId: USER, caseModeratorId: USER, guildId: G }, patch: { caseReason: 'walked' }, id: seeds.caseId,
        unique: { guildId: G, caseNumber: seeds.caseNumber }, defaults: {},
      };
    case 'guild':
      return { row: { guildId: G }, patch: { guildName: 'walked' }, id: G, unique: { guildId: G }, defaults: {} };
    case 'guildConfig':
      return { row: { guildId: G }, patch: { prefix: '?' }, id: G, unique: { guildId: G }, defaults: {} };
    case 'afk':
      return { row: { userId: OTHER_USER, guildId: G, afkMessage: 'walk' }, patch: { afkMessage: 'walked' }, id: { userId: USER, guildId: G }, unique: { userId: USER, guildId: G }, defaults: { afkMessage: 'walk' } };
    case 'levels':
      return { row: { userId: OTHER_USER, guildId: G }, patch: { blacklisted: true }, id: { userId: USER, guildId: G }, unique: { userId: USER, guildId: G }, defaults: {} };
    case 'snippet':
      return {
        row: { snippetName: 'walk-2', snippetUserId: USER, guildId: G }, patch: { snippetContent: 'walked' }, id: seeds.snippetId,
        unique: { snippetId: seeds.snippetId, guildId: G }, defaults: {},
      };
    case 'starboard':
      return { row: { guildId: G, starboardChannelId: CHANNEL, starboardEmoji: '⭐' }, patch: { starboardThreshold: 2 }, id: G, unique: { guildId: G }, defaults: { starboardChannelId: CHANNEL, starboardEmoji: '⭐' } };
    case 'starboardMessage': {
      const rest = { messageChannelId: CHANNEL, messageUserId: USER, messageContent: 'walk', messageExpiresAt: expires, starboardMessageId: COPY };
      return { row: { messageId: OTHER_MESSAGE, guildId: G, ...rest }, patch: { starCount: 2 }, id: MESSAGE, unique: { messageId: MESSAGE, guildId: G }, defaults: rest };
    }
    case 'reminder':
      return {
        row: { reminderContent: 'walk', reminderExpiresAt: expires, reminderChannelId: CHANNEL, reminderUserId: USER, guildId: G }, patch: { reminderContent: 'walked' },
        id: seeds.reminderId, unique: { reminderId: seeds.reminderId, guildId: G }, defaults: {},
      };
    case 'guildPermissions':
      return { row: { guildId: G, userId: OTHER_USER }, patch: { permissionLevel: PermissionLevel.MEMBER }, id: { guildId: G, userId: USER }, unique: { guildId: G, userId: USER }, defaults: {} };
    case 'permissionRanks':
      return { row: { guildId: G, rank: 4, name: 'walk-4' }, patch: { description: 'walked' }, id: seeds.permissionRankId, unique: { guildId: G, rank: 3 }, defaults: { name: 'walk' } };
    case 'permissionAssignments':
      return {
        row: { guildId: G, roleId: OTHER_ROLE, permissionRankId: seeds.permissionRankId }, patch: { roleId: OTHER_ROLE }, id: seeds.assignmentId,
        unique: { guildId: G, roleId: ROLE }, defaults: { permissionRankId: seeds.permissionRankId },
      };
    case 'permissionCommands':
      return { row: { guildId: G, commandName: 'walk-2', requiredRank: 2 }, patch: { requiredRank: 2 }, id: seeds.commandId, unique: { guildId: G, commandName: 'walk' }, defaults: { requiredRank: 3 } };
  }
}

/** The argument lists a method is called with: the generic methods from the repository's rows, the rest by parameter. */
function argumentsFor(c: CallContext, method: string, info: MethodInfo): unknown[][] {
  const { row, patch, id, unique, defaults } = rowsFor(c);
  const inGuild = { filters: { guildId: c.G } };
  switch (method) {
    case 'create': return [[row]];
    case 'createMany': return [[[row]]];
    case 'getById': case 'deleteById': return [[id]];
    case 'findOne': case 'findAll': case 'count': case 'exists': case 'paginate': case 'deleteWhere': return [[inGuild]];
    case 'updateById': return [[id, patch]];
    case 'updateWhere': return [[{ ...inGuild, values: patch }]];
    case 'bulkUpdate': return [[[{ id, values: patch }]]];
    case 'getOrCreate': return [[unique, defaults]];
    case 'upsert': return [[{ filters: unique, defaults, values: patch }]];
    case 'withSession': return [[(repository: { count(o: unknown): Promise<number> }) => repository.count(inGuild)]];
  }
  const special = SPECIAL[`${c.name}.${method}`];
  if (special !== undefined) return special(c);
  // Optional parameters are given too; a method whose guild is optional is also called without it (see SPECIAL).
  return [info.parameters.map((p) => plausible(c, method, p))];
}

/** Calls whose arguments the parameter's name and type do not say, or that are also made without their optional guild. */
const SPECIAL: Readonly<Record<string, (c: CallContext) => unknown[][]>> = {
  'case.createCase': (c) => [[{ caseType: CaseType.WARN, caseUserId: c.USER, caseModeratorId: c.USER, guildId: c.G }]],
  'case.createCases': (c) => [[c.G, [{ caseType: CaseType.WARN, caseUserId: c.USER, caseModeratorId: c.USER }, { caseType: CaseType.BAN, caseUserId: c.USER, caseModeratorId: c.USER, caseReason: 'r' }]]],
  'case.getCasesByGuild': (c) => [[c.G, { page: 1, perPage: 5 }]],
  'case.updateCaseByNumber': (c) => [[c.G, c.seeds.caseNumber, { caseReason: 'walked' }]],
  'case.getExpiredCases': (c) => [[c.G], [c.G, new Date()], [new Date()], []],
  'case.getExpiredTempbans': (c) => [[c.G], [c.G, new Date()], [new Date()], []],
  'guildConfig.updateConfig': (c) => [[c.G, { prefix: '?' }]],
  'guildConfig.getConfigField': (c) => [[c.G, 'prefix', '!']],
  'afk.setMemberAfk': (c) => [[{ userId: c.OTHER_USER, guildId: c.G, afkMessage: 'walk' }]],
  'levels.addXp': (c) => [[c.USER, c.G, 10], [c.USER, c.G, 10, { cooldownSeconds: 60 }]],
  'levels.leaderboard': (c) => [[c.G, 1, 10], [c.G, 2, 10]],
  'snippet.createSnippet': (c) => [[{ snippetName: 'walk-2', snippetUserId: c.USER, guildId: c.G }]],
  'snippet.createAlias': (c) => [[{ aliasName: 'walk-alias', targetName: 'walk', guildId: c.G, userId: c.USER }]],
  'snippet.createSnippetAlias': (c) => [[`walk`, 'walk-alias', c.G], ['walk', 'walk-alias', c.G, c.USER]],
  'starboard.createOrUpdateStarboard': (c) => [[c.G, { starboardChannelId: c.CHANNEL, starboardEmoji: '⭐' }]],
  'starboard.updateStarboard': (c) => [[c.G, { starboardThreshold: 2 }]],
  'starboardMessage.createOrUpdateStarboardMessage': (c) => [[{ ...rowsFor(c).row, messageId: c.MESSAGE }], [rowsFor(c).row]],
  'starboardMessage.getStarboardMessageByStarboardMessageId': (c) => [[c.COPY, c.G], [c.COPY]],
  'reminder.createReminder': (c) => [[rowsFor(c).row]],
  'reminder.getRemindersByUser': (c) => [[c.USER, c.G], [c.USER]],
  'reminder.claimDueReminders': () => [[new Date(), 10]],
  'reminder.deleteSentReminders': () => [[], [new Date()]],
  'permissionRanks.updateRank': (c) => [[c.G, 3, { description: 'walked' }]],
  'permissionRanks.createRank': (c) => [[c.G, 4, 'walk-4']],
  'permissionAssignments.getUserPermissionRank': (c) => [[c.G, c.USER, [c.ROLE, c.OTHER_ROLE]]],
  'permissionCommands.canRunCommand': (c) => [[c.G, 'walk sub', [c.ROLE]]],
  'permissionCommands.setCommandRank': (c) => [[c.G, 'walk-2', 2]],
};

/** A value for a parameter, from its name and declared type. */
function plausible(c: CallContext, method: string, p: ParameterInfo): unknown {
  const byName: Readonly<Record<string, unknown>> = {
    guildId: c.G, userId: c.USER, moderatorId: c.USER, roleId: c.ROLE, channelId: c.CHANNEL, messageId: c.MESSAGE, starboardMessageId: c.COPY,
    caseId: c.seeds.caseId, snippetId: c.seeds.snippetId, reminderId: c.seeds.reminderId, caseNumber: c.seeds.caseNumber,
    roleIds: [c.ROLE], rank: 3, level: 2, xp: 10, amount: 10, limit: 10, page: 1, perPage: 10, delta: 1, starCount: 2, requiredRank: 3,
    cooldownSeconds: 60, samples: [0, 100], now: new Date(), olderThan: new Date(), name: 'walk', targetName: 'walk', commandName: 'walk', prefix: '?', term: 'wa',
    guildName: 'walked', description: 'walked', permAfk: true, enforced: true, kind: 'mod', stage: OnboardingStage.COMPLETED,
    caseType: CaseType.WARN, restriction: CaseType.JAIL, removal: CaseType.UNJAIL,
  };
  if (p.type === 'PermissionLevel') return PermissionLevel.MODERATOR;
  if (p.name in byName) return byName[p.name];
  throw new Error(`${c.name}.${method}: no value for parameter ${p.name}: ${p.type} (add it to plausible or SPECIAL)`);
}

/** Every public method of a repository, from its class up to BaseRepository, as the source declares them. */
function publicMethods(surface: ReturnType<typeof readSourceSurface>, instance: object): Array<[string, MethodInfo]> {
  const found: Array<[string, MethodInfo]> = [];
  const seen = new Set<string>();
  for (let proto = Object.getPrototypeOf(instance) as object | null; proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    const declared = surface.classes.get((proto.constructor as { name: string }).name);
    if (declared === undefined) throw new Error(`no declaration of class ${(proto.constructor as { name: string }).name}`);
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (key === 'constructor' || seen.has(key) || typeof Object.getOwnPropertyDescriptor(proto, key)?.value !== 'function') continue;
      seen.add(key);
      const info = declared.get(key);
      if (info?.visibility === 'public') found.push([key, info]);
    }
  }
  return found;
}

/** The tables a statement declares it reads or writes. */
function tablesOf(statement: Statement): string[] {
  return [...(statement.touches?.reads ?? []), ...(statement.touches?.writes ?? [])];
}
