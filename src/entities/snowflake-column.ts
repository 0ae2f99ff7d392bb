import { Check, Column, PrimaryColumn } from 'typeorm';
import { ValidateBy, type ValidationOptions } from 'class-validator';
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
