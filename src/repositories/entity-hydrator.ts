import type { QueryResultRow } from 'pg';

/**
 * Turns a row into an entity instance: a row keyed by property name, or the same columns as an array in the order of
 * the hydrator's properties (pg's `rowMode: 'array'`, which a repository asks for with StatementOptions.rowsAsArrays).
 */
export type Hydrator<T> = (row: QueryResultRow | ReadonlyArray<unknown>) => T;

/**
 * A function that copies `properties` of a row onto a new `entity`, and nothing else (helper columns such as
 * `__total` stay behind). A row keyed by property name (as `TableModel.selectList` returns them) gives the properties
 * it has, leaving out the ones it lacks; an array row gives them by position, `properties[i]` from `row[i]`, with
 * values past the last property left behind (a shorter array throws a RangeError: its statement returned something
 * else than the select list).
 *
 * It is compiled once per entity as straight-line assignments: every row then builds its instance with one hidden
 * class and no loop, about a tenth of the cost of `Object.assign` or a property loop, which counts on every row of
 * findAll and createMany (bench/RESULTS.md, "What changed since the 05:31 run: the repository layer"). An array row
 * spares pg the keyed object it would build first (bench/RESULTS.md, "What changed since the 15:40 run"). The property names come
 * from the entity's metadata, never from input, and enter the source only as JSON string literals.
 *
 * ```ts
 * const hydrate = entityHydrator(Reminder, ['reminderId', 'reminderContent']);
 * hydrate({ reminderId: '1', reminderContent: 'tea', __total: '9' }); // Reminder { reminderId: '1', reminderContent: 'tea' }
 * hydrate(['1', 'tea']); // Reminder { reminderId: '1', reminderContent: 'tea' }
 * ```
 */
export function entityHydrator<T>(entity: new () => T, properties: ReadonlyArray<string>): Hydrator<T> {
  const keys = properties.map((p) => JSON.stringify(p));
  const byName = keys.map((key) => `v = r[${key}]; if (v !== undefined) e[${key}] = v;`).join(' ');
  const byPosition = keys.map((key, i) => `e[${key}] = r[${i}];`).join(' ');
  // A shorter array is a statement that does not return the select list: a bug to report, not properties to leave unset.
  const short = (length: number): string => `${entity.name}: an array row of ${length} values for ${keys.length} properties`;
  // A function built from text: the only way to have V8 see fixed property names per entity.
  const build = new Function(
    'Entity',
    'short',
    `return function hydrate(r) { const e = new Entity(); if (Array.isArray(r)) { if (r.length < ${keys.length}) throw new RangeError(short(r.length)); ${byPosition} } else { let v; ${byName} } return e; };`,
  ) as (e: new () => T, s: typeof short) => Hydrator<T>;
  return build(entity, short);
}
