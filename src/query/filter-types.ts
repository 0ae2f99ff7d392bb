import type { SnowflakeInput } from '../entities/snowflake';

/**
 * The column keys of entity `T`, the names a filter or an ordering may use: every required data
 * property. Methods and optional properties (relations such as `guild?: Guild`) are left out.
 */
export type FieldKeys<T> = {
  [K in keyof T]-?: Record<never, never> extends Pick<T, K>
    ? never
    : NonNullable<T[K]> extends (...args: never[]) => unknown
      ? never
      : K;
}[keyof T] &
  string;

/**
 * What a caller may pass for a field of type `F`: `string` fields (snowflakes above all) also take what
 * SnowflakeInput does, a `bigint` or a safe-integer `number`; `null` stays only when `F` includes it; `undefined` never does.
 */
export type FieldValue<F> = F extends undefined ? never : string extends F ? SnowflakeInput : F;

/** The non-null values of a field of type `F`: what comparison operators and lists take. */
export type NonNullFieldValue<F> = FieldValue<Exclude<F, null>>;

// A plain object value would read as an operator object, so object-typed (JSON) fields compare
// whole objects only through `eq`/`ne`; dates and arrays are values.
type BareValue<F> = F extends object ? (F extends Date | readonly unknown[] ? F : never) : F;

/** Operators every field supports. */
export interface ComparisonOperators<V, N> {
  /** Equal; `null` means IS NULL (nullable fields only). */
  readonly eq?: V | N;
  /** Not equal (rows where the field is NULL do not match); `null` means IS NOT NULL. */
  readonly ne?: V | N;
  /** Equal to any of the values; an empty list matches nothing. */
  readonly in?: readonly V[];
  /** Equal to none of the values; an empty list matches everything. */
  readonly notIn?: readonly V[];
  readonly gt?: V;
  readonly gte?: V;
  readonly lt?: V;
  readonly lte?: V;
  /** Inclusive range: `[low, high]`. */
  readonly between?: readonly [V, V];
}

/** Pattern operators of `string` fields (not enums): the pattern is used as written (see escapeLike). */
export interface PatternOperators {
  /** SQL LIKE, case-sensitive; `%` and `_` are wildcards, `\` escapes. */
  readonly like?: string;
  /** Case-insensitive LIKE. */
  readonly ilike?: string;
}

/** The NULL test of nullable fields. */
export interface NullOperators {
  /** true: IS NULL; false: IS NOT NULL. */
  readonly isNull?: boolean;
}

/** The operator object a field of type `F` accepts; several operators in one object are ANDed. */
export type Operators<F> = ComparisonOperators<NonNullFieldValue<F>, Extract<F, null>> &
  (string extends Exclude<F, null | undefined> ? PatternOperators : unknown) &
  (null extends F ? NullOperators : unknown);

/** What one field of a filter accepts: a value (equality) or an operator object. */
export type FieldCondition<F> = BareValue<FieldValue<F>> | Operators<F>;

/**
 * A typed filter on entity `T`: fields are ANDed, and `and` / `or` / `not` combine filters.
 * @example
 * const f: Filter<Case> = { guildId: g, caseStatus: true, or: [{ caseType: CaseType.BAN }, { caseNumber: { lt: 10 } }] };
 */
export type Filter<T> = { readonly [K in FieldKeys<T>]?: FieldCondition<T[K]> } & {
  /** Every filter matches (an empty list matches everything). */
  readonly and?: ReadonlyArray<Filter<T>>;
  /** At least one filter matches (an empty list matches nothing). */
  readonly or?: ReadonlyArray<Filter<T>>;
  /** The filter does not match. */
  readonly not?: Filter<T>;
};

/** A sort direction; lower case is accepted too. */
export type SortDirection = 'ASC' | 'DESC' | 'asc' | 'desc';

/** Where NULLs sort; lower case is accepted too. */
export type NullsPosition = 'FIRST' | 'LAST' | 'first' | 'last';

/** How one field is sorted: a direction, or a direction with a NULLS position. */
export type FieldOrder = SortDirection | { readonly direction: SortDirection; readonly nulls?: NullsPosition };

/** An object naming exactly one field of `T` and how to sort it. */
export type SingleFieldOrder<T> = {
  [K in FieldKeys<T>]: { readonly [P in K]: FieldOrder } & { readonly [P in Exclude<FieldKeys<T>, K>]?: never };
}[FieldKeys<T>];

/**
 * A typed ordering on entity `T`: an object (key order is priority) or a list of single-field objects.
 * @example
 * const o: OrderBy<Case> = [{ caseCreatedAt: { direction: 'DESC', nulls: 'LAST' } }, { caseId: 'ASC' }];
 */
export type OrderBy<T> = { readonly [K in FieldKeys<T>]?: FieldOrder } | ReadonlyArray<SingleFieldOrder<T>>;
