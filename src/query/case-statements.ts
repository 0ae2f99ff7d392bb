import { DatabaseError } from '../errors/database-error';
import { groupArrays, groupByColumns, unnestColumns, unnestSource } from './bulk-insert';
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
  return shapedStatement(model, `createCase:${others.columns.map((c) => c.property).join(',')}`, [guildId, 1, ...others.params], () => {
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

/**
 * createCases: one guild's validated cases in one statement, with one counter bump of their number. The values go
 * as one array per field plus each row's position in `rows`, and a case's number is the counter before this call
 * plus 1 plus its position, so the numbers are contiguous in the order of `rows`. Rows writing different fields are
 * separate INSERTs (WITH items) sharing the one bump. `rows` must not be empty.
 */
export function insertGuildCasesStatement(model: TableModel, guildId: unknown, rows: ReadonlyArray<ColumnValues>): InsertGuildCases {
  const guild = param(guildId);
  const count = param(rows.length);
  const inserts = groupByColumns(rows).map((group) => {
    const { from } = unnestSource(groupArrays(group, rows), [{ alias: 'position', arrayType: 'int[]', values: group.positions }]);
    const number = sql`${NUMBER_FROM_COUNTER} - ${count}::int + 1 + "t"."position"`;
    const into = sql`INSERT INTO ${raw(model.table)} ("guild_id", "case_number", ${columnNames(group.columns)})`;
    return sql`${into} SELECT ${guild}::bigint, ${number}, ${unnestColumns(group.columns)} FROM ${from} RETURNING ${raw(model.selectList)}`;
  });
  const bump = counter(guild, count);
  const touches = { reads: [], writes: [model.name, GUILD_TABLE], guild };
  if (inserts.length === 1) return { statement: compile(sql`WITH ${bump} ${inserts[0] as SqlFragment}`, touches), groupCount: 1 };
  const items = inserts.map((insert, k) => sql`${raw(`"cases${k}"`)} AS (${insert})`);
  const selects = inserts.map((_, k) => raw(`SELECT * FROM "cases${k}"`));
  return { statement: compile(sql`WITH ${join([bump, ...items])} ${join(selects, ' UNION ALL ')}`, touches), groupCount: inserts.length };
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
