import type { Touches } from '../query/touches';

// The guild row that ensureGuild creates, or the case counter bumps, on the way to a write of another table.
const GUILD_TABLE = 'guild';
// Words that can start the main statement after a WITH list.
const MAIN_STATEMENTS: ReadonlySet<string> = new Set(['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'MERGE', 'VALUES', 'TABLE']);
// Texts are built once per statement shape, so few distinct ones repeat; the bound only stops a caller's raw texts growing it.
const MAX_CACHED = 1_000;
const operations = new Map<string, string | undefined>();

/**
 * The operation a statement performs, for a span name (OTel `db.operation.name`): its first keyword, upper-cased, or for
 * a `WITH …` statement the keyword of the statement after the WITH list (`INSERT` for `WITH ensure_guild AS (…)
 * INSERT INTO …`). Read from the text because a builder's declaration says which tables, not which verb; a label
 * only, never used to decide where or how a statement runs. Undefined when the text starts with no word.
 *
 * ```ts
 * operationNameOf('WITH "g" AS (INSERT INTO "guild" …) INSERT INTO "afk" …'); // 'INSERT'
 * operationNameOf('select 1'); // 'SELECT'
 * ```
 */
export function operationNameOf(sql: string): string | undefined {
  if (operations.has(sql)) return operations.get(sql);
  const found = scanOperation(sql);
  if (operations.size >= MAX_CACHED) operations.clear();
  operations.set(sql, found);
  return found;
}

/**
 * The one table a statement is about (OTel `db.collection.name`), from what its builder declared: the table it
 * writes, else the one it reads. A write that also creates or bumps its guild row (`guild` plus one table) is about
 * the other table. Undefined for a raw caller's statement (no declaration) and for one spanning several tables.
 *
 * ```ts
 * collectionNameOf({ reads: [], writes: ['afk', 'guild'], locks: false }); // 'afk'
 * collectionNameOf({ reads: ['cases', 'guild'], writes: [], locks: false }); // undefined
 * ```
 */
export function collectionNameOf(touches: Touches | undefined): string | undefined {
  if (touches === undefined) return undefined;
  const tables = touches.writes.length > 0 ? touches.writes : touches.reads;
  const distinct = new Set(tables);
  if (distinct.size === 1) return tables[0];
  if (touches.writes.length > 0 && distinct.size === 2 && distinct.has(GUILD_TABLE)) return tables.find((t) => t !== GUILD_TABLE);
  return undefined;
}

function scanOperation(sql: string): string | undefined {
  const words = topLevelWords(sql);
  const first = words.next();
  if (first.done) return undefined;
  if (first.value !== 'WITH') return first.value;
  for (const word of words) if (MAIN_STATEMENTS.has(word)) return word;
  return 'WITH';
}

// The words outside parentheses, string literals, quoted identifiers and comments, upper-cased, in order.
function* topLevelWords(sql: string): Generator<string> {
  let depth = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i] as string;
    if (c === "'" || c === '"') {
      const end = sql.indexOf(c, i + 1);
      i = end < 0 ? sql.length : end + 1;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
    } else if (c === '(') {
      depth++;
      i++;
    } else if (c === ')') {
      depth--;
      i++;
    } else if (/[A-Za-z_]/.test(c)) {
      let end = i + 1;
      while (end < sql.length && /[A-Za-z0-9_$]/.test(sql[end] as string)) end++;
      if (depth === 0) yield sql.slice(i, end).toUpperCase();
      i = end;
    } else {
      i++;
    }
  }
}
