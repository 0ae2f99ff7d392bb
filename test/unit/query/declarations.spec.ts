import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import { ALL_ENTITIES } from '../../../src/entities/all-entities';
import { DEFAULT_LEVEL_FORMULA } from '../../../src/entities/level-formula';
import { setMemberAfkStatement, isMemberAfkStatement, isMemberPermAfkStatement, AFK_ROW } from '../../../src/query/afk-statements';
import { buildTableModel } from '../../../src/query/build-table-model';
import { groupArrays, groupByColumns } from '../../../src/query/bulk-insert';
import { insertManyStatement } from '../../../src/query/bulk-insert-statements';
import { bulkUpdateStatement } from '../../../src/query/bulk-update-statements';
import { createCaseStatement, insertGuildCasesStatement, updateCaseByNumberStatement } from '../../../src/query/case-statements';
import { configFieldStatement, configFieldsStatement, upsertConfigStatement } from '../../../src/query/guild-config-statements';
import { permissionLevelStatement, setPermissionLevelStatement } from '../../../src/query/guild-permission-statements';
import { getOrCreateGuildStatement } from '../../../src/query/guild-statements';
import {
  addXpStatement,
  guildStatsStatement,
  isBlacklistedStatement,
  isOnCooldownStatement,
  memberRankStatement,
  resetXpStatement,
  setXpStatement,
  verifyLevelFormulaStatement,
  writeBlacklistStatement,
  xpStateStatement,
} from '../../../src/query/levels-statements';
import { assignmentsStatement, assignRoleStatement, unassignRoleStatement, userPermissionRankStatement } from '../../../src/query/permission-assignment-statements';
import {
  canRunCommandStatement,
  commandNameChain,
  commandRankStatement,
  deleteCommandRankStatement,
  setCommandRankStatement,
} from '../../../src/query/permission-command-statements';
import { createRankStatement, deleteRankStatement, seedRanksStatement, updateRankStatement } from '../../../src/query/permission-rank-statements';
import { claimDueRemindersStatement } from '../../../src/query/reminder-statements';
import { countStatement, existsStatement, findAllStatement, getByIdStatement, paginateStatement } from '../../../src/query/select-statements';
import {
  aliasesStatement,
  createAliasStatement,
  deleteSnippetByNameStatement,
  incrementUsesStatement,
  snippetByNameStatement,
  toggleLockStatement,
} from '../../../src/query/snippet-statements';
import type { Statement } from '../../../src/query/sql';
import { incrementStarCountStatement } from '../../../src/query/starboard-message-statements';
import { upsertStarboardStatement } from '../../../src/query/starboard-statements';
import type { ColumnModel, TableModel } from '../../../src/query/table-model';
import { guildIdOf } from '../../../src/query/touches';
import { upsertStatement } from '../../../src/query/upsert-statement';
import {
  deleteByIdStatement,
  deleteWhereStatement,
  insertStatement,
  updateByIdStatement,
  updateStatement,
  updateWhereStatement,
} from '../../../src/query/write-statements';
import { keyCondition } from '../../../src/query/key-condition';
import type { ColumnValues } from '../../../src/query/write-statements';
import { DEFAULT_RANKS } from '../../../src/repositories/permission-rank-repository';
import { entityMetadata } from '../../support/entity-metadata';

// Distinct ids, so the guild's value is never mistaken for another's.
const GUILD = '4242';
const USER = '5151';
const OTHER_GUILD = '4343';
const NOW = new Date(Date.UTC(2025, 0, 1));

/** One statement a builder made, and the guild it must declare (undefined: it spans guilds, or concerns none). */
interface Built {
  readonly statement: Statement;
  readonly guild: string | undefined;
  /** The member it declares (a statement of one member's rows of a member table), if any. */
  readonly member?: string;
}

// ---- What the text says, read back here only to check the builders' declarations (the library never parses SQL).

function matches(text: string, pattern: RegExp): Set<string> {
  return new Set([...text.matchAll(pattern)].map((m) => m[1] as string));
}

/** Tables an INSERT, UPDATE or DELETE names, in any WITH item. */
function writtenTables(text: string): Set<string> {
  return matches(text, /\b(?:INSERT INTO|UPDATE|DELETE FROM)\s+"([^"]+)"/g);
}

/** Tables a FROM or JOIN names (a DELETE's own FROM excepted); CTE names are dropped by the caller. */
function selectedTables(text: string): Set<string> {
  return matches(text, /(?<!DELETE )\b(?:FROM|JOIN)\s+"([^"]+)"/g);
}

function locksRows(text: string): boolean {
  return /\bFOR\s+(?:NO KEY UPDATE|UPDATE|KEY SHARE|SHARE)\b/.test(text);
}

/** The values the text equates the guild column with (`"guild_id" = $n`, or the guild row ensureGuild creates). */
function guildPlaceholders(statement: Statement): Set<unknown> {
  const numbers = [
    ...matches(statement.text, /"guild_id" = \$(\d+)/g),
    ...matches(statement.text, /"ensure_guild" AS \(INSERT INTO "guild" \("guild_id"\) VALUES \(\$(\d+)\)/g),
  ];
  return new Set(numbers.map((n) => statement.values[Number(n) - 1]));
}

describe('what every builder declares its statement touches', () => {
  const models = new Map<string, TableModel>();
  const model = (table: string): TableModel => {
    const found = models.get(table);
    if (found === undefined) throw new Error(`no entity has table ${table}`);
    return found;
  };
  const column = (table: string, property: string): ColumnModel => {
    const found = model(table).columns.get(property);
    if (found === undefined) throw new Error(`${table} has no column ${property}`);
    return found;
  };
  const set = (table: string, values: Readonly<Record<string, unknown>>): ColumnValues => ({
    columns: Object.keys(values).map((p) => column(table, p)),
    params: Object.values(values),
  });
  // createMany's input: the rows grouped by the fields they write, one array per field.
  const groups = (rows: ReadonlyArray<ColumnValues>) => groupByColumns(rows).map((group) => groupArrays(group, rows));
  // createCases' input: the same, each case numbered by its place among all rows.
  const caseGroups = (rows: ReadonlyArray<ColumnValues>) => groupByColumns(rows).map((group) => ({ ...groupArrays(group, rows), positions: group.positions }));
  const member = { userId: USER, guildId: GUILD };
  // A statement of GUILD, and one that concerns no single guild.
  const one = (statement: Statement): Built[] => [{ statement, guild: GUILD }];
  const noGuild = (statement: Statement): Built[] => [{ statement, guild: undefined }];
  // A statement of USER's rows in GUILD, declared so (the cache scopes it to that member).
  const oneMember = (statement: Statement): Built[] => [{ statement, guild: GUILD, member: USER }];

  before(async () => {
    for (const entity of ALL_ENTITIES) {
      const built = buildTableModel(await entityMetadata(entity));
      models.set(built.name, built);
    }
  });

  /** Every builder of src/query, called the ways a repository calls it. */
  const builders: Readonly<Record<string, () => Built[]>> = {
    setMemberAfkStatement: () =>
      one(setMemberAfkStatement(model('afk'), Object.fromEntries(AFK_ROW.map((p) => [p, p === 'userId' ? USER : p === 'guildId' ? GUILD : null])) as never)),
    isMemberAfkStatement: () => one(isMemberAfkStatement(model('afk'), member)),
    isMemberPermAfkStatement: () => one(isMemberPermAfkStatement(model('afk'), member)),
    insertManyStatement: () => [
      // Rows of several guilds, their ids bound as one array: no one guild.
      { statement: insertManyStatement(model('reminder'), groups([set('reminder', { guildId: GUILD, reminderContent: 'a' }), set('reminder', { guildId: OTHER_GUILD, reminderContent: 'b' })])).statement, guild: undefined },
      { statement: insertManyStatement(model('reminder'), groups([set('reminder', { guildId: GUILD }), set('reminder', { guildId: GUILD, reminderContent: 'b' })])).statement, guild: undefined },
      { statement: insertManyStatement(model('guild'), groups([set('guild', { guildId: GUILD })])).statement, guild: undefined },
    ],
    bulkUpdateStatement: () => noGuild(bulkUpdateStatement(model('cases'), [{ key: ['7'], set: set('cases', { caseReason: 'x' }) }])),
    createCaseStatement: () => one(createCaseStatement(model('cases'), GUILD, set('cases', { caseType: 'BAN', caseUserId: USER }))),
    insertGuildCasesStatement: () => [
      { statement: insertGuildCasesStatement(model('cases'), GUILD, 1, caseGroups([set('cases', { caseType: 'BAN' })])).statement, guild: GUILD },
      { statement: insertGuildCasesStatement(model('cases'), GUILD, 2, caseGroups([set('cases', { caseType: 'BAN' }), set('cases', { caseReason: 'x' })])).statement, guild: GUILD },
    ],
    updateCaseByNumberStatement: () => one(updateCaseByNumberStatement(model('cases'), set('cases', { caseReason: 'x' }), GUILD, 3)),
    configFieldStatement: () => one(configFieldStatement(model('guild_config'), column('guild_config', 'prefix'), GUILD)),
    configFieldsStatement: () => one(configFieldsStatement(model('guild_config'), [column('guild_config', 'jailRoleId'), column('guild_config', 'jailChannelId')], GUILD)),
    upsertConfigStatement: () => [
      { statement: upsertConfigStatement(model('guild_config'), GUILD, set('guild_config', { prefix: '?' }), true), guild: GUILD },
      { statement: upsertConfigStatement(model('guild_config'), GUILD, set('guild_config', {}), false), guild: GUILD },
    ],
    permissionLevelStatement: () => one(permissionLevelStatement(model('guild_permissions'), GUILD, USER)),
    setPermissionLevelStatement: () => one(setPermissionLevelStatement(model('guild_permissions'), GUILD, USER, 'MODERATOR')),
    getOrCreateGuildStatement: () => one(getOrCreateGuildStatement(model('guild'), GUILD, 'name')),
    verifyLevelFormulaStatement: () => noGuild(verifyLevelFormulaStatement(DEFAULT_LEVEL_FORMULA, [0, 100])),
    addXpStatement: () =>
      [true, false].map((returnsOld) => ({
        statement: addXpStatement(model('levels'), DEFAULT_LEVEL_FORMULA, { ...member, amount: 10, now: NOW, cooldownSeconds: null }, returnsOld),
        guild: GUILD,
        member: USER,
      })),
    setXpStatement: () => oneMember(setXpStatement(model('levels'), DEFAULT_LEVEL_FORMULA, member, 10)),
    resetXpStatement: () => oneMember(resetXpStatement(model('levels'), DEFAULT_LEVEL_FORMULA, member)),
    writeBlacklistStatement: () => [true, false].map((toggle) => ({ statement: writeBlacklistStatement(model('levels'), member, toggle), guild: GUILD, member: USER })),
    xpStateStatement: () => oneMember(xpStateStatement(model('levels'), member)),
    isBlacklistedStatement: () => one(isBlacklistedStatement(model('levels'), member)),
    memberRankStatement: () => one(memberRankStatement(model('levels'), member)),
    isOnCooldownStatement: () => one(isOnCooldownStatement(model('levels'), member, NOW, 60)),
    guildStatsStatement: () => one(guildStatsStatement(model('levels'), GUILD)),
    assignRoleStatement: () => one(assignRoleStatement(model('permission_assignments'), model('permission_ranks'), { guildId: GUILD, roleId: '9', rank: 3 })),
    assignmentsStatement: () => one(assignmentsStatement(model('permission_assignments'), model('permission_ranks'), GUILD)),
    userPermissionRankStatement: () => one(userPermissionRankStatement(model('permission_assignments'), GUILD, ['9'])),
    unassignRoleStatement: () => one(unassignRoleStatement(model('permission_assignments'), GUILD, '9')),
    setCommandRankStatement: () => one(setCommandRankStatement(model('permission_commands'), { guildId: GUILD, commandName: 'ban', requiredRank: 3 })),
    commandRankStatement: () => one(commandRankStatement(model('permission_commands'), GUILD, commandNameChain('config ranks'))),
    deleteCommandRankStatement: () => one(deleteCommandRankStatement(model('permission_commands'), GUILD, 'ban')),
    canRunCommandStatement: () => one(canRunCommandStatement(model('permission_commands'), GUILD, commandNameChain('ban'), ['9'])),
    createRankStatement: () => one(createRankStatement(model('permission_ranks'), { guildId: GUILD, rank: 3, name: 'Mod', description: null })),
    updateRankStatement: () => one(updateRankStatement(model('permission_ranks'), set('permission_ranks', { name: 'Mods' }), GUILD, 3)),
    deleteRankStatement: () => one(deleteRankStatement(model('permission_ranks'), GUILD, 3)),
    seedRanksStatement: () => one(seedRanksStatement(model('permission_ranks'), GUILD, DEFAULT_RANKS)),
    claimDueRemindersStatement: () => noGuild(claimDueRemindersStatement(model('reminder'), NOW, 10)),
    getByIdStatement: () => [
      { statement: getByIdStatement(model('cases'), ['7']), guild: undefined },
      { statement: getByIdStatement(model('levels'), [USER, GUILD]), guild: GUILD },
      { statement: getByIdStatement(model('guild'), [GUILD]), guild: GUILD },
    ],
    findAllStatement: () => [
      { statement: findAllStatement(model('cases'), { filters: { guildId: GUILD, caseStatus: true }, orderBy: { caseNumber: 'DESC' }, limit: 10 }), guild: GUILD },
      { statement: findAllStatement(model('cases'), { filters: { caseStatus: true, and: [{ caseUserId: USER }, { guildId: { eq: GUILD } }] } }), guild: GUILD },
      { statement: findAllStatement(model('cases'), {}), guild: undefined },
    ],
    countStatement: () => [
      { statement: countStatement(model('snippet'), { guildId: GUILD }), guild: GUILD },
      { statement: countStatement(model('snippet'), { snippetUserId: USER }), guild: undefined },
    ],
    existsStatement: () => one(existsStatement(model('afk'), { guildId: GUILD, userId: USER })),
    paginateStatement: () => one(paginateStatement(model('cases'), { filters: { guildId: GUILD }, perPage: 20, offset: 20 })),
    snippetByNameStatement: () => one(snippetByNameStatement(model('snippet'), GUILD, 'faq')),
    createAliasStatement: () => one(createAliasStatement(model('snippet'), { guildId: GUILD, aliasName: 'f', userId: USER, targetName: 'faq' })),
    aliasesStatement: () => one(aliasesStatement(model('snippet'), GUILD, 'faq')),
    deleteSnippetByNameStatement: () => one(deleteSnippetByNameStatement(model('snippet'), GUILD, 'faq')),
    incrementUsesStatement: () => noGuild(incrementUsesStatement(model('snippet'), '7')),
    toggleLockStatement: () => noGuild(toggleLockStatement(model('snippet'), '7')),
    incrementStarCountStatement: () => noGuild(incrementStarCountStatement(model('starboard_message'), '7', 1)),
    upsertStarboardStatement: () => one(upsertStarboardStatement(model('starboard'), GUILD, set('starboard', { starboardChannelId: '9', starboardEmoji: '⭐' }))),
    insertStatement: () => [
      { statement: insertStatement(model('afk'), set('afk', { userId: USER, guildId: GUILD, afkMessage: 'brb' })), guild: GUILD },
      { statement: insertStatement(model('guild'), set('guild', { guildId: GUILD })), guild: GUILD },
      { statement: insertStatement(model('cases'), set('cases', {})), guild: undefined },
    ],
    updateStatement: () => [
      { statement: updateStatement(model('cases'), set('cases', { caseReason: 'x' }), keyCondition([column('cases', 'caseId')], ['7']), true), guild: undefined },
    ],
    updateByIdStatement: () => [
      { statement: updateByIdStatement(model('cases'), set('cases', { caseReason: 'x' }), ['7']), guild: undefined },
      { statement: updateByIdStatement(model('levels'), set('levels', { xp: 5 }), [USER, GUILD]), guild: GUILD },
    ],
    updateWhereStatement: () => one(updateWhereStatement(model('reminder'), set('reminder', { reminderSent: true }), { guildId: GUILD })),
    deleteByIdStatement: () => [
      { statement: deleteByIdStatement(model('reminder'), ['7']), guild: undefined },
      { statement: deleteByIdStatement(model('afk'), [USER, GUILD]), guild: GUILD },
    ],
    deleteWhereStatement: () => one(deleteWhereStatement(model('starboard_message'), { guildId: GUILD, starCount: { lt: 1 } })),
    upsertStatement: () => [
      { statement: upsertStatement(model('guild'), { key: [column('guild', 'guildId')], inserted: set('guild', { guildId: GUILD }), updated: [] }), guild: GUILD },
      {
        statement: upsertStatement(model('levels'), {
          key: model('levels').primaryKeys,
          inserted: set('levels', { userId: USER, guildId: GUILD, xp: 1 }),
          updated: [column('levels', 'xp')],
        }),
        guild: GUILD,
      },
    ],
  };

  it('covers every statement builder src/query exports', () => {
    const dir = joinPath(__dirname, '../../../src/query');
    const exported = new Set<string>();
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const module = require(joinPath(dir, file)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(module)) if (typeof value === 'function' && name.endsWith('Statement')) exported.add(name);
    }
    // shapedStatement wraps a builder: each caller declares through its own build function.
    exported.delete('shapedStatement');
    expect([...exported].sort()).to.deep.equal(Object.keys(builders).sort());
  });

  for (const [name, build] of Object.entries(builders)) {
    describe(name, () => {
      // Twice: the second call of a shaped builder comes from its cache and must declare the same.
      const statements = (): Built[] => [...build(), ...build()];

      it('declares what it touches, naming only tables the entities have', () => {
        const tables = new Set(models.keys());
        for (const { statement } of statements()) {
          expect(statement.touches, statement.text).to.not.equal(undefined);
          for (const table of [...(statement.touches?.reads ?? []), ...(statement.touches?.writes ?? [])]) {
            expect(tables.has(table), `${table} in ${statement.text}`).to.equal(true);
          }
        }
      });

      it('declares exactly the tables it writes and reads, and its row locks', () => {
        const tables = new Set(models.keys());
        for (const { statement } of statements()) {
          const { text } = statement;
          const touches = statement.touches;
          expect(new Set(touches?.writes), `writes of ${text}`).to.deep.equal(writtenTables(text));
          const read = new Set([...selectedTables(text)].filter((t) => tables.has(t)));
          expect(new Set(touches?.reads), `reads of ${text}`).to.deep.equal(read);
          expect(touches?.locks, `locks of ${text}`).to.equal(locksRows(text));
          // A plain SELECT is a read: it may go to a replica, be cached, and run again after a lost connection.
          if (/^\s*SELECT\b/i.test(text) && !locksRows(text)) expect(touches?.writes, text).to.deep.equal([]);
        }
      });

      it('declares a member only for a statement of that one member’s rows, bound as the text’s user_id', () => {
        for (const { statement, member: expected } of statements()) {
          const at = statement.touches?.memberAt;
          expect(at === undefined ? undefined : String(statement.values[at]), statement.text).to.equal(expected);
          if (at === undefined) continue;
          // Every row it reads or writes is that member's: the user_id it names is the declared value, and only it.
          const users = [...statement.text.matchAll(/"user_id" = \$(\d+)/g)].map((m) => Number(m[1]) - 1);
          const written = /\bINSERT INTO\b/.test(statement.text) ? [at] : [];
          expect(new Set([...users, ...written]), statement.text).to.deep.equal(new Set([at]));
        }
      });

      it('declares the guild it targets, as the value the text binds it to', () => {
        for (const { statement, guild } of statements()) {
          expect(guildIdOf(statement), statement.text).to.equal(guild);
          const bound = guildPlaceholders(statement);
          // A statement that equates the guild column with one bound value targets that guild, and says so.
          if (bound.size === 1 && !Array.isArray([...bound][0])) expect(guildIdOf(statement), statement.text).to.equal(String([...bound][0]));
        }
      });
    });
  }

  describe('a filter’s guild', () => {
    it('is declared only when the filter requires one guild at its top level', () => {
      const cases = model('cases');
      const guildOf = (filters: unknown): string | undefined => guildIdOf(countStatement(cases, filters));
      expect(guildOf({ guildId: GUILD })).to.equal(GUILD);
      expect(guildOf({ and: [{ caseStatus: true }, { and: [{ guildId: { eq: GUILD } }] }] })).to.equal(GUILD);
      expect(guildOf({ or: [{ guildId: GUILD }, { guildId: OTHER_GUILD }] })).to.equal(undefined);
      expect(guildOf({ not: { guildId: GUILD } })).to.equal(undefined);
      expect(guildOf({ guildId: { ne: GUILD } })).to.equal(undefined);
      expect(guildOf({ guildId: { in: [GUILD] } })).to.equal(undefined);
      expect(guildOf({ caseUserId: USER })).to.equal(undefined);
    });

    it('is not declared by an update that moves rows to another guild', () => {
      const statement = updateWhereStatement(model('reminder'), set('reminder', { guildId: OTHER_GUILD }), { guildId: GUILD });
      expect(statement.touches?.writes).to.deep.equal(['reminder']);
      expect(guildIdOf(statement)).to.equal(undefined);
    });
  });
});
