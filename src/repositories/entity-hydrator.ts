import type { QueryResultRow } from 'pg';

/** Turns a row keyed by property name into an entity instance. */
export type Hydrator<T> = (row: QueryResultRow) => T;

/**
 * A function that copies `properties` of a row (keyed by property name, as `TableModel.selectList` returns them) onto
 * a new `entity`, leaving out the ones the row lacks, and nothing else (helper columns such as `__total` stay behind).
 * It is compiled once per entity as straight-line assignments: every row then builds its instance with one hidden
 * class and no loop, about a tenth of the cost of `Object.assign` or a property loop, which counts on every row of
 * findAll and createMany (bench/RESULTS.md, "What changed since the 05:31 run: the repository layer"). The property
 * names come from the entity's metadata, never from input, and enter the source only as JSON string literals.
 *
 * ```ts
 * const hydrate = entityHydrator(Reminder, ['reminderId', 'reminderContent']);
 * hydrate({ reminderId: '1', reminderContent: 'tea', __total: '9' }); // Reminder { reminderId: '1', reminderContent: 'tea' }
 * ```
 */
export function entityHydrator<T>(entity: new () => T, properties: ReadonlyArray<string>): Hydrator<T> {
  const copies = properties.map((p) => {
    const key = JSON.stringify(p);
    return `v = r[${key}]; if (v !== undefined) e[${key}] = v;`;
  });
  // A function built from text: the only way to have V8 see fixed property names per entity.
  const build = new Function('Entity', `return function hydrate(r) { const e = new Entity(); let v; ${copies.join(' ')} return e; };`) as (
    e: new () => T,
  ) => Hydrator<T>;
  return build(entity);
}
