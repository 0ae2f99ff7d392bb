import { DatabaseError } from '../errors/database-error';
import type { Touches, TouchesDeclaration } from './touches';

/**
 * A statement as a value: its text, with `$1, $2, …` numbered in order, the values bound to them, and what it touches
 * as its builder declared it. Every builder of src/query declares; a raw caller's statement has no declaration and
 * counts as an unknown write.
 */
export interface Statement {
  readonly text: string;
  readonly values: unknown[];
  readonly touches?: Touches;
}

/** compile's options: the Params to number first (see compile) and what the statement touches. */
export interface CompileOptions extends TouchesDeclaration {
  readonly bindFirst?: ReadonlyArray<Param>;
}

/**
 * A piece of SQL: literal text between holes, each hole either a value (bound as a parameter) or another
 * piece (inlined). Built with the `sql` tag, never by pasting strings, so no code counts `$n` by hand and no
 * value ever reaches the text.
 */
export class SqlFragment {
  constructor(
    /** The literal text around the holes; one more entry than `holes`. */
    readonly strings: ReadonlyArray<string>,
    readonly holes: ReadonlyArray<unknown>,
  ) {}

  /** Numbers the parameters and returns the statement (see compile). */
  toStatement(): Statement {
    return compile(this);
  }
}

/**
 * A value bound once however often the statement names it: every `${p}` of the same Param is the same `$n`
 * (a guild id both in the guild-creating CTE and in the row, say).
 *
 * ```ts
 * const g = param(guildId);
 * sql`WITH "g" AS (INSERT INTO "guild" ("guild_id") VALUES (${g}) ON CONFLICT DO NOTHING) INSERT INTO "afk" ("guild_id") VALUES (${g})`;
 * // … VALUES ($1) … VALUES ($1), values [guildId]
 * ```
 */
export class Param {
  constructor(readonly value: unknown) {}
}

/** A value to bind once and name several times (see Param). */
export function param(value: unknown): Param {
  return new Param(value);
}

/**
 * Tags a template as SQL: `${value}` becomes a parameter, `${fragment}` is inlined.
 *
 * ```ts
 * const q = sql`SELECT ${raw('"case_id"')} FROM ${raw('"cases"')} WHERE "guild_id" = ${guildId} AND ${sql`"case_status" = ${true}`}`;
 * q.toStatement(); // { text: 'SELECT "case_id" FROM "cases" WHERE "guild_id" = $1 AND "case_status" = $2', values: [guildId, true] }
 * ```
 */
export function sql(strings: TemplateStringsArray | ReadonlyArray<string>, ...holes: unknown[]): SqlFragment {
  return new SqlFragment(strings, holes);
}

/**
 * Trusted SQL text with no parameters: identifiers and expressions built from entity metadata or the
 * library's own constants. Never pass input here.
 *
 * ```ts
 * sql`SELECT ${raw(model.selectList)} FROM ${raw(model.table)}`;
 * ```
 */
export function raw(text: string): SqlFragment {
  return new SqlFragment([text], []);
}

/**
 * The pieces joined by `separator` (trusted text), as one piece; empty for no pieces. A piece that is not a
 * fragment is a value, bound like any other hole (a row's values, say).
 *
 * ```ts
 * join([sql`"a" = ${1}`, sql`"b" = ${2}`], ' AND '); // "a" = $1 AND "b" = $2
 * join(['spam', 42n]); // $1, $2
 * ```
 */
export function join(pieces: ReadonlyArray<unknown>, separator = ', '): SqlFragment {
  if (pieces.length === 0) return raw('');
  const strings = [''];
  const holes: unknown[] = [];
  pieces.forEach((piece, i) => {
    if (i > 0) strings[strings.length - 1] += separator;
    holes.push(piece);
    strings.push('');
  });
  return new SqlFragment(strings, holes);
}

/**
 * The statement a piece stands for: its text with every value replaced by the next `$n`, in order, and
 * those values. `bindFirst` are numbered `$1, $2, …` in that order before the text is read, so a WITH item may
 * name a value of the row that follows it and the row's values still read `$1, $2, $3`.
 *
 * ```ts
 * compile(sql`UPDATE "cases" SET "case_reason" = ${'spam'} WHERE "case_id" = ${'42'}`);
 * // { text: 'UPDATE "cases" SET "case_reason" = $1 WHERE "case_id" = $2', values: ['spam', '42'] }
 * const row = [param('7'), param('42')];
 * compile(sql`WITH ${ensureGuild(row[1])} INSERT INTO "afk" VALUES (${row[0]}, ${row[1]})`, row);
 * // WITH … VALUES ($2) … INSERT INTO "afk" VALUES ($1, $2), values ['7', '42']
 * ```
 * Builders pass options instead: `bindFirst` as above, and the declaration of what the statement touches (see
 * Touches), whose `guild` Param becomes the index its value is bound at.
 * ```ts
 * const guild = param('42');
 * compile(sql`SELECT "prefix" FROM "guild_config" WHERE "guild_id" = ${guild}`, { reads: ['guild_config'], writes: [], guild });
 * // { text: '… WHERE "guild_id" = $1', values: ['42'], touches: { reads: ['guild_config'], writes: [], locks: false, guildAt: 0 } }
 * ```
 * @throws DatabaseError when the declared `guild` Param is not bound by the statement.
 */
export function compile(fragment: SqlFragment, options: ReadonlyArray<Param> | CompileOptions = []): Statement {
  const values: unknown[] = [];
  const named = new Map<Param, number>();
  const declared = Array.isArray(options) ? undefined : (options as CompileOptions);
  const bindFirst = declared === undefined ? (options as ReadonlyArray<Param>) : (declared.bindFirst ?? []);
  for (const p of bindFirst) if (!named.has(p)) named.set(p, values.push(p.value));
  const text = write(fragment, values, named);
  if (declared === undefined) return { text, values };
  return { text, values, touches: touchesOf(declared, named) };
}

function touchesOf(declared: TouchesDeclaration, named: ReadonlyMap<Param, number>): Touches {
  const { reads, writes } = declared;
  const locks = declared.locks === true;
  if (declared.guild === undefined) return { reads, writes, locks };
  const index = named.get(declared.guild);
  if (index === undefined) throw new DatabaseError('A statement declares its guild as a Param it does not bind');
  if (declared.member === undefined) return { reads, writes, locks, guildAt: index - 1 };
  const member = named.get(declared.member);
  if (member === undefined) throw new DatabaseError('A statement declares its member as a Param it does not bind');
  return { reads, writes, locks, guildAt: index - 1, memberAt: member - 1 };
}

function write(fragment: SqlFragment, values: unknown[], named: Map<Param, number>): string {
  let text = fragment.strings[0] ?? '';
  for (let i = 0; i < fragment.holes.length; i++) {
    const hole = fragment.holes[i];
    if (hole instanceof SqlFragment) {
      text += write(hole, values, named);
    } else if (hole instanceof Param) {
      let index = named.get(hole);
      if (index === undefined) named.set(hole, (index = values.push(hole.value)));
      text += `$${index}`;
    } else {
      text += `$${values.push(hole)}`;
    }
    text += fragment.strings[i + 1] ?? '';
  }
  return text;
}
