import type { ColumnWriteRule } from '../entities/write-rule';

/** How a column's values are validated, bound and compared. */
export type ColumnKind = 'snowflake' | 'bigint' | 'int' | 'float' | 'bool' | 'string' | 'timestamp' | 'json' | 'enum';

/** One column of an entity, as the SQL builders see it. */
export interface ColumnModel {
  /** camelCase property name in TypeScript (the key callers use in filters and values). */
  readonly property: string;
  /** snake_case column name in SQL. */
  readonly column: string;
  /** Pre-quoted column name, safe to splice into SQL. */
  readonly quoted: string;
  readonly kind: ColumnKind;
  readonly nullable: boolean;
  /** Allowed values of an enum column. */
  readonly enumValues?: ReadonlyArray<string>;
  /** The SQL array type a bulk write casts one parameter per column to, e.g. `bigint[]`. */
  readonly arrayType: string;
  /** A JSON column holding a list of Discord ids (SnowflakeListColumn): each is written as its decimal string. */
  readonly snowflakeList?: boolean;
  /** varchar length limit, in characters. */
  readonly maxLength?: number;
  /** Filled by the database when omitted (identity, default, created/updated timestamps). */
  readonly hasDefault: boolean;
  /** An identity column: never written by callers. */
  readonly generated: boolean;
  /** Who may write the column through the generic writes (see WriteRule); prepareValues enforces it. */
  readonly write: ColumnWriteRule;
}

/** An entity's table, as the SQL builders see it. */
export interface TableModel {
  /** Entity class name, used in error messages. */
  readonly entityName: string;
  /** Pre-quoted table name, safe to splice into SQL. */
  readonly table: string;
  /** The table's SQL name, unquoted: what a statement's Touches lists. */
  readonly name: string;
  readonly columns: ReadonlyMap<string, ColumnModel>;
  /** Columns an insert must set: neither nullable nor filled by the database, nor assigned by the repository. */
  readonly requiredOnInsert: ReadonlyArray<ColumnModel>;
  /** The primary key's columns, in the entity's order (with guild_id in every guild-owned table's key). */
  readonly primaryKeys: ReadonlyArray<ColumnModel>;
  /**
   * The key getById, updateById, deleteById and bulkUpdate look a row up by: the primary key, or only its row id when
   * guild_id is in the key for distribution alone (see RowId): `caseId`, not `{ caseId, guildId }`.
   */
  readonly idKeys: ReadonlyArray<ColumnModel>;
  /** Column sets with a UNIQUE guarantee (the primary key first): valid ON CONFLICT targets. */
  readonly uniqueKeys: ReadonlyArray<ReadonlyArray<ColumnModel>>;
  /** The column referencing `guild` (guild-owned tables): writes create the missing guild row first. */
  readonly guildKey: ColumnModel | undefined;
  /** The column holding the id of the guild a row belongs to: guildKey, or the guild table's own key. */
  readonly guildColumn: ColumnModel | undefined;
  /** Quoted `updated_at`-style column that writes must bump, if the entity has one. */
  readonly updatedAtColumn: string | undefined;
  /** `"col" AS "prop", …` for every column: selecting this returns rows keyed by property name. */
  readonly selectList: string;
}
