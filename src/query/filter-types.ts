import type { Case } from '../entities/case';
import type { PermissionAssignment } from '../entities/permission-assignment';
import type { PermissionCommand } from '../entities/permission-command';
import type { PermissionRank } from '../entities/permission-rank';
import type { Reminder } from '../entities/reminder';
import type { Snippet } from '../entities/snippet';
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
 * Names of the fields that hold a Discord id or a database-generated bigint key: exactly the `string` fields
 * whose name ends in `Id` (test/unit/input-types.spec.ts checks every entity's columns keep to this), so the
 * types can tell a snowflake (`caseUserId`) from text (`caseReason`) although both are `string` in the entity.
 */
export type IdFieldName = `${string}Id`;

/**
 * The database-generated primary key (identity column) of entity `T`, or `never`: read, filtered on, never
 * written, so Values<T> leaves it out. test/unit/input-types.spec.ts checks this map against the column metadata.
 * @example
 * type K = GeneratedKey<Case>; // 'caseId'
 */
export type GeneratedKey<T> = [T] extends [Case]
  ? 'caseId'
  : [T] extends [Snippet]
    ? 'snippetId'
    : [T] extends [Reminder]
      ? 'reminderId'
      : [T] extends [PermissionRank]
        ? 'permissionRankId'
        : [T] extends [PermissionAssignment]
          ? 'assignmentId'
          : [T] extends [PermissionCommand]
            ? 'commandId'
            : never;

/**
 * What a caller may pass for field `K` of type `F`: an id field (see IdFieldName) takes a SnowflakeInput
 * (string, bigint, or safe-integer number, as the runtime accepts); any other `string` field takes only a
 * string; `null` stays only when `F` includes it; `undefined` never does.
 * @example
 * const id: FieldValue<string, 'caseUserId'> = 1234n;   // ok: an id
 * const reason: FieldValue<string | null, 'caseReason'> = 'Spam'; // 1n would be a type error
 */
export type FieldValue<F, K extends PropertyKey> = F extends undefined ? never : string extends F ? (K extends IdFieldName ? SnowflakeInput : string) : F;

/** The non-null values of field `K` of type `F`: what comparison operators and lists take. */
export type NonNullFieldValue<F, K extends PropertyKey> = FieldValue<Exclude<F, null>, K>;

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

/** The operator object field `K` of type `F` accepts; several operators in one object are ANDed. */
export type Operators<F, K extends PropertyKey> = ComparisonOperators<NonNullFieldValue<F, K>, Extract<F, null>> &
  (string extends Exclude<F, null | undefined> ? PatternOperators : unknown) &
  (null extends F ? NullOperators : unknown);

/** What field `K` (of type `F`) of a filter accepts: a value (equality) or an operator object. */
export type FieldCondition<F, K extends PropertyKey> = BareValue<FieldValue<F, K>> | Operators<F, K>;

/**
 * A typed filter on entity `T`: fields are ANDed, and `and` / `or` / `not` combine filters.
 * @example
 * const f: Filter<Case> = { guildId: g, caseStatus: true, or: [{ caseType: CaseType.BAN }, { caseNumber: { lt: 10 } }] };
 */
export type Filter<T> = { readonly [K in FieldKeys<T>]?: FieldCondition<T[K], K> } & {
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
