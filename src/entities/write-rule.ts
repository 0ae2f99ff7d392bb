/**
 * Who may write a column through the repositories' generic writes (create, createMany, getOrCreate, upsert,
 * updateById, updateWhere and every method built on them). prepareValues enforces it by write mode, so a new
 * write path is covered without its own check.
 * - `free`: every write is allowed (each column without a rule).
 * - `insertOnly`: given when the row is created (create, createMany, the insert-only `defaults` of getOrCreate and
 *   upsert), never changed afterwards: a guild's case counter, a case's guild.
 * - `assigned`: never given by a caller; the repository's own statement computes it: a case's number.
 */
export type WriteRule = 'free' | 'insertOnly' | 'assigned';

/** A column's write rule and the reason a refused write is told. */
export interface ColumnWriteRule {
  readonly rule: WriteRule;
  /** The ValidationError message for a refused write, phrased after the field name. */
  readonly reason: string;
}

const FREE: ColumnWriteRule = { rule: 'free', reason: '' };
const rulesByClass = new WeakMap<object, Map<string, ColumnWriteRule>>();

/**
 * Marks a property given only when its row is created, never updated (see WriteRule).
 *
 * ```ts
 * @InsertOnly('cannot change: a case stays in the guild that numbered it')
 * guildId!: Snowflake;
 * ```
 */
export function InsertOnly(reason: string): PropertyDecorator {
  return declare({ rule: 'insertOnly', reason });
}

/** Marks a property no caller writes: the repository's own statement computes it (see WriteRule). */
export function Assigned(reason: string): PropertyDecorator {
  return declare({ rule: 'assigned', reason });
}

function declare(rule: ColumnWriteRule): PropertyDecorator {
  return (target, property) => {
    const rules = rulesByClass.get(target.constructor) ?? new Map<string, ColumnWriteRule>();
    rules.set(String(property), rule);
    rulesByClass.set(target.constructor, rules);
  };
}

/** The write rule declared on `entity.property`, `free` when none is. */
export function writeRuleOf(entity: unknown, property: string): ColumnWriteRule {
  return (typeof entity === 'function' ? rulesByClass.get(entity)?.get(property) : undefined) ?? FREE;
}
