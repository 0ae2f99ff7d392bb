const rowIdByClass = new WeakMap<object, string>();

/**
 * Marks the column that tells a row apart by itself (an identity, or a Discord message id) in a table whose primary
 * key is (that column, guild_id). guild_id is in the key so the table can be distributed by guild (docs/operators.md,
 * "Distribution by guild (Citus)"), not to tell rows apart: getById, updateById, deleteById and bulkUpdate keep
 * taking this column alone, as they did when it was the whole key.
 *
 * ```ts
 * @PrimaryGeneratedColumn('identity', { type: 'bigint', name: 'case_id', generatedIdentity: 'ALWAYS', primaryKeyConstraintName: 'pk_cases' })
 * @RowId()
 * caseId!: string;
 * ```
 */
export function RowId(): PropertyDecorator {
  return (target, property) => {
    rowIdByClass.set(target.constructor, String(property));
  };
}

/** The property an entity class marks with RowId, or undefined when its primary key is what tells its rows apart. */
export function rowIdOf(entity: unknown): string | undefined {
  return typeof entity === 'function' ? rowIdByClass.get(entity) : undefined;
}
