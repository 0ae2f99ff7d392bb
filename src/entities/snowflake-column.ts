import { Check, Column, PrimaryColumn } from 'typeorm';
import { IsArray, ValidateBy, type ValidationOptions } from 'class-validator';
import { snowflakeProblem } from './snowflake';

/** class-validator rule: the value is a Discord id (see `snowflakeProblem`). */
export function IsSnowflake(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isSnowflake',
      validator: {
        validate: (value: unknown) => snowflakeProblem(value) === undefined,
        defaultMessage: (args) => snowflakeProblem(args?.value) ?? 'must be a Discord id',
      },
    },
    options,
  );
}

/** Options of a snowflake column. */
export interface SnowflakeColumnOptions {
  readonly nullable?: boolean;
  /** Part of the primary key; the value names the primary-key constraint. */
  readonly primaryKey?: string;
}

/**
 * A Discord id column: `bigint` in SQL with CHECK (> 0), `string` in TypeScript, validated by IsSnowflake.
 * pg returns bigint as a string, so no digit is ever lost on the way out.
 */
export function SnowflakeColumn(name: string, options: SnowflakeColumnOptions = {}): PropertyDecorator {
  return (target, property) => {
    const column = options.primaryKey
      ? PrimaryColumn({ type: 'bigint', name, primaryKeyConstraintName: options.primaryKey })
      : Column({ type: 'bigint', name, nullable: options.nullable ?? false });
    column(target, property);
    Check(`${name}_positive`, `"${name}" > 0`)(target.constructor);
    IsSnowflake({ each: false })(target, property);
  };
}

// By entity class, the properties declared with SnowflakeListColumn.
const listsByClass = new WeakMap<object, Set<string>>();

/**
 * A list of Discord ids (a case's role ids): a `jsonb` array in SQL, `string[]` in TypeScript, never null (empty by
 * default). Each id may be given as a string, a bigint or a safe-integer number, as anywhere an id is taken, and is
 * stored as its decimal string, so one column never holds both forms and a containment query on `'["123"]'` finds
 * every row holding that id (see coerceValue).
 *
 * ```ts
 * @SnowflakeListColumn('case_user_roles')
 * caseUserRoles!: Snowflake[];
 * ```
 */
export function SnowflakeListColumn(name: string): PropertyDecorator {
  return (target, property) => {
    Column({ type: 'jsonb', name, default: () => "'[]'" })(target, property);
    IsArray()(target, property);
    IsSnowflake({ each: true })(target, property);
    let lists = listsByClass.get(target.constructor);
    if (lists === undefined) listsByClass.set(target.constructor, (lists = new Set()));
    lists.add(String(property));
  };
}

/** Whether `entity.property` was declared with SnowflakeListColumn. */
export function isSnowflakeList(entity: unknown, property: string): boolean {
  return typeof entity === 'function' && listsByClass.get(entity)?.has(property) === true;
}
