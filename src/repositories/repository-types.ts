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
  /** Which rows match (see Filter); omitted: every row. */
  readonly filters?: EntityFilter<T>;
  /** The order of the rows (see OrderBy); omitted: whatever order the server returns. */
  readonly orderBy?: EntityOrderBy<T>;
}

/** Options of findAll. */
export interface FindAllOptions<T> extends FindOneOptions<T> {
  /** At most this many rows, an integer ≥ 0; omitted: no limit. */
  readonly limit?: number;
  /** How many rows to skip first, an integer ≥ 0 (default 0). */
  readonly offset?: number;
}

/** Options of paginate: `page` starts at 1. */
export interface PaginateOptions<T> extends FindOneOptions<T> {
  /** The page to read, from 1 (default 1). */
  readonly page?: number;
  /** Rows per page, 1–1000 (default 20). */
  readonly perPage?: number;
}

/** One page of rows and where it sits in the whole result. */
export interface Page<T> {
  /** The rows of this page (empty past the last page). */
  readonly items: ReadonlyArray<T>;
  /** How many rows match the filters, over all pages. */
  readonly total: number;
  /** This page's number, from 1. */
  readonly page: number;
  /** Rows per page, as asked. */
  readonly perPage: number;
  /** How many pages there are (0 when no row matches). */
  readonly pages: number;
  /** Whether a later page exists (`page < pages`). */
  readonly hasNext: boolean;
  /** Whether this is not the first page (`page > 1`). */
  readonly hasPrev: boolean;
}

/** Options of updateWhere: `filters` is required (pass `{}` to update every row on purpose). */
export interface UpdateWhereOptions<T> {
  /** Which rows to update; required (`{}` updates every row). */
  readonly filters: EntityFilter<T>;
  /** The fields to set and their new values. */
  readonly values: Values<T>;
}

/** One item of bulkUpdate: the row's primary key (an object for composite keys) and the values it gets. */
export interface BulkUpdate<T, TId> {
  /** The row's primary key (an object such as `{ userId, guildId }` for a composite key). */
  readonly id: TId;
  /** The fields to set on that row and their new values. */
  readonly values: Values<T>;
}

/** Options of upsert: `filters` names a unique key; `defaults` apply only on insert, `values` always. */
export interface UpsertOptions<T> {
  /** Exactly one unique key of the entity (e.g. `{ guildId }`): matched on conflict, written on insert. */
  readonly filters: Values<T>;
  /** Written only when the row is inserted (may set an insert-only field such as a guild's caseCount). */
  readonly defaults?: Values<T>;
  /** Written on insert and on update. */
  readonly values?: Values<T>;
}

/** The key of a per-member row: a user in a guild. */
export interface MemberKey {
  /** The member: Discord snowflake (a string; a bigint or safe-integer number is accepted). */
  readonly userId: SnowflakeInput;
  /** The guild: Discord snowflake (a string; a bigint or safe-integer number is accepted). */
  readonly guildId: SnowflakeInput;
}
