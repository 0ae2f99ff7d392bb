import { DatabaseError } from '../errors/database-error';
import { unnestColumns, unnestSource, type ColumnArrays } from './bulk-insert';
import { GUILD_TABLE } from './ensure-guild';
import { keyCondition } from './key-condition';
import { shapedStatement } from './shaped-statement';
import { compile, join, param, raw, sql, type Param, type SqlFragment, type Statement } from './sql';
import type { ColumnModel, TableModel } from './table-model';
import { columnNames, updateStatement, type ColumnValues } from './write-statements';

/** A createCases statement: the cases of one guild, numbered in the order of their rows. */
export interface InsertGuildCases {
  readonly statement: Statement;
  /** One INSERT per group of rows writing the same fields; several groups make the statement vary from call to call. */
  readonly groupCount: number;
}

/**
 * Bumps the guild's counter by `count` (creating the guild row if it has none) and hands back the new count: the
 * counter row is created or bumped in the statement that inserts the cases, so a number is never handed out twice,
 * and a case that rolls back takes its number back with it.
 */
function counter(guild: Param, count: Param): SqlFragment {
  return sql`counter AS (INSERT INTO "guild" ("guild_id", "case_count") VALUES (${guild}, ${count}) ON CONFLICT ("guild_id") DO UPDATE SET "case_count" = "guild"."case_count" + ${count}, "updated_at" = now() RETURNING "case_count")`;
}

const NUMBER_FROM_COUNTER = raw('(SELECT "case_count" FROM counter)');

/**
 * createCase: inserts one case numbered by its guild's counter (bumped by 1 in the same statement). `others` are the
 * case's validated fields other than guildId. The text is compiled once per set of fields (see shapedStatement).
 *
 * ```ts
 * createCaseStatement(caseModel, '7', { columns: [caseType], params: ['BAN'] });
 * // WITH counter AS (… VALUES ($1, $2) … + $2 …) INSERT INTO "cases" ("guild_id", "case_number", "case_type")
 * //   VALUES ($1, (SELECT "case_count" FROM counter), $3) RETURNING …   values ['7', 1, 'BAN']
 * ```
 */
export function createCaseStatement(model: TableModel, guildId: unknown, others: ColumnValues): Statement {
  return shapedStatement(model, 'createCase', others.columns, [guildId, 1, ...others.params], () => {
    const guild = param(guildId);
    const names = raw(['"guild_id"', '"case_number"', ...others.columns.map((c) => c.quoted)].join(', '));
    const values = join([guild, NUMBER_FROM_COUNTER, ...others.params]);
    return compile(sql`WITH ${counter(guild, param(1))} INSERT INTO ${raw(model.table)} (${names}) VALUES (${values}) RETURNING ${raw(model.selectList)}`, {
      reads: [],
      writes: [model.name, GUILD_TABLE],
      guild,
    });
  });
}

/** One guild's cases that write the same fields, and each case's place in the call (its number's offset). */
export interface GuildCaseGroup extends ColumnArrays {
  readonly positions: number[];
}

/**
 * createCases: one guild's validated cases in one statement, with one counter bump of their number (`count`, the
 * cases in all groups). The values go as one array per field plus each case's position in the call, and a case's
 * number is the counter before this call plus 1 plus its position, so the numbers are contiguous in call order.
 * Groups writing different fields are separate INSERTs (WITH items) sharing the one bump; one group's text is
 * compiled once per field list (see shapedStatement). `groups` must not be empty.
 *
 * ```ts
 * insertGuildCasesStatement(caseModel, '7', 2, [{ columns: [caseType], arrays: [['BAN', 'KICK']], positions: [0, 1] }]);
 * // WITH counter AS (… VALUES ($1, $2) …) INSERT INTO "cases" ("guild_id", "case_number", "case_type")
 * //   SELECT $1::bigint, … - $2::int + 1 + "t"."position", "t"."caseType" FROM unnest($3::int[], $4::case_type[]) …
 * ```
 */
export function insertGuildCasesStatement(model: TableModel, guildId: unknown, count: number, groups: ReadonlyArray<GuildCaseGroup>): InsertGuildCases {
  const [only] = groups;
  if (groups.length === 1 && only !== undefined) {
    const statement = shapedStatement(model, 'createCases', only.columns, [guildId, count, only.positions, ...only.arrays], () => buildInsertGuildCases(model, guildId, count, groups));
    return { statement, groupCount: 1 };
  }
  return { statement: buildInsertGuildCases(model, guildId, count, groups), groupCount: groups.length };
}

function buildInsertGuildCases(model: TableModel, guildId: unknown, rowCount: number, groups: ReadonlyArray<GuildCaseGroup>): Statement {
  const guild = param(guildId);
  const count = param(rowCount);
  const inserts = groups.map((group) => {
    const { from } = unnestSource(group, [{ alias: 'position', arrayType: 'int[]', values: group.positions }]);
    const number = sql`${NUMBER_FROM_COUNTER} - ${count}::int + 1 + "t"."position"`;
    const into = sql`INSERT INTO ${raw(model.table)} ("guild_id", "case_number", ${columnNames(group.columns)})`;
    return sql`${into} SELECT ${guild}::bigint, ${number}, ${unnestColumns(group.columns)} FROM ${from} RETURNING ${raw(model.selectList)}`;
  });
  const bump = counter(guild, count);
  const touches = { reads: [], writes: [model.name, GUILD_TABLE], guild };
  if (inserts.length === 1) return compile(sql`WITH ${bump} ${inserts[0] as SqlFragment}`, touches);
  const items = inserts.map((insert, k) => sql`${raw(`"cases${k}"`)} AS (${insert})`);
  const selects = inserts.map((_, k) => raw(`SELECT * FROM "cases${k}"`));
  return compile(sql`WITH ${join([bump, ...items])} ${join(selects, ' UNION ALL ')}`, touches);
}

/**
 * updateCaseByNumber: updates the case with this number in a guild (its `case_updated_at` bumped) and returns it.
 * @throws ValidationError when it would set nothing (see updateStatement).
 */
export function updateCaseByNumberStatement(model: TableModel, set: ColumnValues, guildId: unknown, caseNumber: unknown): Statement {
  const guild = param(guildId);
  return updateStatement(model, set, keyCondition(caseKey(model), [guild, caseNumber]), true, guild);
}

function caseKey(model: TableModel): ReadonlyArray<ColumnModel> {
  return ['guildId', 'caseNumber'].map((property) => {
    const column = model.columns.get(property);
    if (column === undefined) throw new DatabaseError(`${model.entityName} has no column ${property}`);
    return column;
  });
}
