import type { SnowflakeInput } from '../entities/snowflake';
import type { FieldValue, Filter, GeneratedKey, OrderBy } from '../query/filter-types';

/** Keys of an entity that are columns: every declared field except optional relation properties. */
export type ColumnKeys<T> = {
  [K in keyof T]-?: T[K] extends (...args: never[]) => unknown ? never : object extends Pick<T, K> ? never : K;
}[keyof T];

/** An entity's column fields only (what filters, ordering and writes may name). */
export type Columns<T> = Pick<T, ColumnKeys<T>>;

/**
 * Values for create/update: a subset of the columns, without the database-generated key (GeneratedKey<T>); id
 * fields also take a bigint or a safe-integer number (SnowflakeInput), text fields only a string (FieldValue).
 */
export type Values<T> = { readonly [K in Exclude<ColumnKeys<T>, GeneratedKey<T>>]?: FieldValue<T[K], K> };

/** Filters over an entity's columns (see Filter). */
export type EntityFilter<T> = Filter<Columns<T>>;

/** Ordering over an entity's columns (see OrderBy). */
export type EntityOrderBy<T> = OrderBy<Columns<T>>;

/** Options of findOne. */
export interface FindOneOptions<T> {
  readonly filters?: EntityFilter<T>;
  readonly orderBy?: EntityOrderBy<T>;
}

/** Options of findAll. */
export interface FindAllOptions<T> extends FindOneOptions<T> {
  readonly limit?: number;
  readonly offset?: number;
}

/** Options of paginate: `page` starts at 1. */
export interface PaginateOptions<T> extends FindOneOptions<T> {
  readonly page?: number;
  readonly perPage?: number;
}

/** One page of rows and where it sits in the whole result. */
export interface Page<T> {
  readonly items: ReadonlyArray<T>;
  readonly total: number;
  readonly page: number;
  readonly perPage: number;
  readonly pages: number;
  readonly hasNext: boolean;
  readonly hasPrev: boolean;
}

/** Options of updateWhere: `filters` is required (pass `{}` to update every row on purpose). */
export interface UpdateWhereOptions<T> {
  readonly filters: EntityFilter<T>;
  readonly values: Values<T>;
}

/** One item of bulkUpdate: the row's primary key (an object for composite keys) and the values it gets. */
export interface BulkUpdate<T, TId> {
  readonly id: TId;
  readonly values: Values<T>;
}

/** Options of upsert: `filters` names a unique key; `defaults` apply only on insert, `values` always. */
export interface UpsertOptions<T> {
  readonly filters: Values<T>;
  readonly defaults?: Values<T>;
  readonly values?: Values<T>;
}

/** The key of a per-member row: a user in a guild. */
export interface MemberKey {
  readonly userId: SnowflakeInput;
  readonly guildId: SnowflakeInput;
}
