import type { Client } from 'pg';
import type { Statement } from '../../src/query/sql';
import { guildIdOf } from '../../src/query/touches';

// Whether one statement is confined to one guild, the way a database distributed by guild (Citus) routes it to one
// node: read from its declaration, its text (INSERTs) and PostgreSQL's plan for it (everything it reads).

/** One node of EXPLAIN (FORMAT JSON, VERBOSE). */
interface PlanNode {
  readonly 'Node Type': string;
  readonly 'Relation Name'?: string;
  readonly Alias?: string;
  readonly Operation?: string;
  readonly 'Parent Relationship'?: string;
  readonly Output?: ReadonlyArray<string>;
  readonly 'Index Cond'?: string;
  readonly 'Recheck Cond'?: string;
  readonly Filter?: string;
  readonly 'TID Cond'?: string;
  readonly Plans?: ReadonlyArray<PlanNode>;
}

/**
 * Why `statement` is not confined to guild `guild`, or nothing when it is: its declaration names the guild, every
 * INSERT puts that guild's id in guild_id (read from the text: the item of its VALUES or SELECT list in guild_id's
 * place must be the guild's parameter), and in its plan (the planner's, with the statement's own values) every scan
 * of a table has `guild_id = <guild>` among its conditions.
 */
export async function unconfined(catalog: Client, statement: Statement, guild: string, tables: ReadonlySet<string>): Promise<string[]> {
  const problems: string[] = [];
  if (guildIdOf(statement) !== guild) problems.push(`declares guild ${String(guildIdOf(statement))}`);
  const isGuild = (expression: string): boolean => {
    const bare = expression.trim().replace(/^\((.*)\)$/, '$1');
    const constant = /^'(\d+)'::bigint$/.exec(bare);
    const parameter = /^\$(\d+)(?:::bigint)?$/.exec(bare);
    return constant?.[1] === guild || (parameter !== null && String(statement.values[Number(parameter[1]) - 1]) === guild);
  };
  problems.push(...insertProblems(statement.text, isGuild));
  const explained = await catalog.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(`EXPLAIN (VERBOSE, FORMAT JSON) ${statement.text}`, statement.values);
  const plan = explained.rows[0]?.['QUERY PLAN'][0]?.Plan;
  if (plan === undefined) return [...problems, 'no plan'];
  const restricts = (condition: string | undefined): boolean =>
    condition !== undefined && [...condition.matchAll(/(?:^|[\s(.])guild_id = ('\d+'::bigint|\$\d+)/g)].some((m) => isGuild(m[1] ?? ''));
  const visit = (node: PlanNode): void => {
    const table = node['Relation Name'];
    // A ModifyTable's rows come from its source: an UPDATE's or DELETE's from a scan of its table below, checked
    // there; an INSERT's from the text, checked above.
    if (table !== undefined && tables.has(table) && node['Node Type'] !== 'ModifyTable') {
      const conditions = [node['Index Cond'], node['Recheck Cond'], node.Filter, node['TID Cond'], ...bitmapConditions(node)];
      if (!conditions.some(restricts)) problems.push(`${node['Node Type']} on ${table} ${node.Alias ?? ''} is not restricted to the guild (${conditions.filter(Boolean).join(' / ') || 'no condition'})`);
    }
    for (const child of node.Plans ?? []) visit(child);
  };
  visit(plan);
  return problems;
}

/** The index conditions of a Bitmap Heap Scan's bitmap (its Bitmap Index Scans, through any BitmapAnd/BitmapOr). */
function bitmapConditions(node: PlanNode): Array<string | undefined> {
  return (node.Plans ?? [])
    .filter((child) => child['Parent Relationship'] === 'Outer' && child['Node Type'].startsWith('Bitmap'))
    .flatMap((child) => [child['Index Cond'], ...bitmapConditions(child)]);
}

/** Each INSERT of the text whose guild_id item is not the guild (by `isGuild`). */
function insertProblems(text: string, isGuild: (expression: string) => boolean): string[] {
  const problems: string[] = [];
  const inserts = [...text.matchAll(/INSERT INTO "([^"]+)"(?: AS "[^"]+")? \(([^)]*)\)(?: OVERRIDING SYSTEM VALUE)? (VALUES \(|SELECT )/g)];
  const all = text.match(/INSERT INTO/g)?.length ?? 0;
  if (inserts.length !== all) problems.push(`${all - inserts.length} INSERT(s) of a shape this check does not read`);
  for (const insert of inserts) {
    const [, table, columnList, kind] = insert;
    const at = (columnList ?? '').split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1')).indexOf('guild_id');
    if (at < 0) {
      problems.push(`INSERT INTO ${table} sets no guild_id`);
      continue;
    }
    const item = listItems(text, (insert.index ?? 0) + insert[0].length, kind === 'VALUES (')[at] ?? '';
    if (!isGuild(item)) problems.push(`INSERT INTO ${table} puts ${item} in guild_id`);
  }
  return problems;
}

/**
 * The top-level items of the list starting at `start`: a VALUES row up to its closing parenthesis, or a SELECT list
 * up to its FROM (or the end of the statement, ON CONFLICT, RETURNING, or a parenthesis closing it). Quotes and nested
 * parentheses are skipped whole.
 */
function listItems(text: string, start: number, values: boolean): string[] {
  const items: string[] = [];
  let depth = 0;
  let from = start;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'" || ch === '"') {
      i = text.indexOf(ch, i + 1);
      if (i < 0) break;
    } else if (ch === '(') {
      depth++;
    } else if (ch === ')') {
      if (depth === 0) return [...items, text.slice(from, i)];
      depth--;
    } else if (ch === ',' && depth === 0) {
      items.push(text.slice(from, i));
      from = i + 1;
    } else if (!values && depth === 0 && /^ (FROM|ON CONFLICT|RETURNING) /.test(text.slice(i, i + 14))) {
      return [...items, text.slice(from, i)];
    }
  }
  return [...items, text.slice(from)];
}
