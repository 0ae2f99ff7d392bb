import type { Param, Statement } from './sql';

/**
 * What a statement touches, as its builder declares it: the cache, the router and the retry rules decide from this,
 * never from the SQL text. Tables are SQL names (`guild_config`). It depends only on the statement's text, so a
 * statement compiled once per shape (shapedStatement) declares once too, and the one guild it concerns is named by
 * where its id is bound (guildIdOf reads it).
 *
 * ```ts
 * compile(sql`SELECT "prefix" FROM "guild_config" WHERE "guild_id" = ${guild}`, { reads: ['guild_config'], writes: [], guild }).touches;
 * // { reads: ['guild_config'], writes: [], locks: false, guildAt: 0 }
 * ```
 */
export interface Touches {
  /** The tables it selects from (FROM, JOIN, subqueries and WITH items included). */
  readonly reads: ReadonlyArray<string>;
  /** The tables it inserts into, updates or deletes from, in any part of it (a WITH item creating the guild row: `guild`). */
  readonly writes: ReadonlyArray<string>;
  /** It takes row locks (`SELECT … FOR UPDATE / FOR SHARE`): a locking read, which must run where the writes run. */
  readonly locks: boolean;
  /** Where in `values` the id of the one guild it concerns is bound ($n is guildAt + 1); absent when it spans guilds or has none. */
  readonly guildAt?: number;
  /** Where in `values` the id of the one member it concerns is bound, for a statement of one member's rows (levels). */
  readonly memberAt?: number;
}

/**
 * What a builder says about the statement it compiles (see compile): the tables it reads and writes, whether it
 * locks rows, and the Param the one guild's id is bound as, when it concerns one guild.
 */
export interface TouchesDeclaration {
  readonly reads: ReadonlyArray<string>;
  readonly writes: ReadonlyArray<string>;
  readonly locks?: boolean;
  /** The Param the guild id is bound as; it must be among the statement's holes (or `bindFirst`). */
  readonly guild?: Param | undefined;
  /** The Param the member's user id is bound as, for a statement of one member's rows; only with `guild`. */
  readonly member?: Param | undefined;
}

/**
 * The id of the one guild a statement concerns, as its builder declared it: undefined when it declared none (it
 * spans guilds, the table is not guild-owned, or it is a raw caller's statement).
 *
 * ```ts
 * guildIdOf(isMemberAfkStatement(afkModel, { userId: '5', guildId: '42' })); // '42'
 * ```
 */
export function guildIdOf(statement: Statement): string | undefined {
  const at = statement.touches?.guildAt;
  if (at === undefined) return undefined;
  const value = statement.values[at];
  return value === undefined || value === null ? undefined : String(value);
}

