import { param, SqlFragment, type Param } from './sql';
import type { ColumnModel } from './table-model';

/**
 * `"pk1" = $n AND "pk2" = $n+1`: each column equal to its bound value, in order (a primary key, or any other
 * key a statement looks a row up by).
 *
 * ```ts
 * compile(sql`DELETE FROM "levels" WHERE ${keyCondition(model.primaryKeys, [userId, guildId])}`);
 * // DELETE FROM "levels" WHERE "user_id" = $1 AND "guild_id" = $2
 * ```
 */
export function keyCondition(columns: ReadonlyArray<ColumnModel>, values: ReadonlyArray<unknown>): SqlFragment {
  // Built as one fragment (no nested joins to walk): it is on every lookup by key.
  const strings = new Array<string>(columns.length + 1);
  strings[0] = '';
  columns.forEach((column, i) => {
    strings[i] += `${i === 0 ? '' : ' AND '}${column.quoted} = `;
    strings[i + 1] = '';
  });
  return new SqlFragment(strings, values);
}

/** A key's values bound as Params, and the one among them that binds the guild id (when the key holds the guild column). */
export interface BoundKey {
  readonly values: ReadonlyArray<Param>;
  readonly guild: Param | undefined;
}

/**
 * Binds a key's values as Params, so a statement can declare the one holding `guildColumn` as its guild (see Touches).
 *
 * ```ts
 * const key = bindKey(levelsModel.primaryKeys, ['5', '42'], levelsModel.guildColumn);
 * compile(sql`SELECT … WHERE ${keyCondition(levelsModel.primaryKeys, key.values)}`, { reads: ['levels'], writes: [], guild: key.guild });
 * ```
 */
export function bindKey(columns: ReadonlyArray<ColumnModel>, values: ReadonlyArray<unknown>, guildColumn: ColumnModel | undefined): BoundKey {
  const bound = values.map(param);
  const at = guildColumn === undefined ? -1 : columns.indexOf(guildColumn);
  return { values: bound, guild: at < 0 ? undefined : bound[at] };
}
