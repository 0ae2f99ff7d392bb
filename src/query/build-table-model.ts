import type { EntityMetadata } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { rowIdOf } from '../entities/row-id';
import { isSnowflakeList } from '../entities/snowflake-column';
import { writeRuleOf, type ColumnWriteRule } from '../entities/write-rule';
import { GUILD_TABLE } from './ensure-guild';
import type { ColumnKind, ColumnModel, TableModel } from './table-model';

const KIND_BY_SQL_TYPE: Readonly<Record<string, ColumnKind>> = {
  bigint: 'snowflake',
  int: 'int',
  integer: 'int',
  'double precision': 'float',
  boolean: 'bool',
  varchar: 'string',
  'character varying': 'string',
  text: 'string',
  timestamptz: 'timestamp',
  'timestamp with time zone': 'timestamp',
  jsonb: 'json',
  enum: 'enum',
};

/** Double-quotes an identifier the entities declare (never user input). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function kindOf(entity: string, column: ColumnMetadata): ColumnKind {
  const type = typeof column.type === 'string' ? column.type : '';
  const kind = KIND_BY_SQL_TYPE[type];
  if (kind === undefined) throw new Error(`${entity}.${column.propertyName}: column type "${String(column.type)}" has no mapping`);
  // Database-generated bigint keys follow the same rules as Discord ids, but error messages should not call them ids.
  return kind === 'snowflake' && column.isGenerated ? 'bigint' : kind;
}

/** The array types lists and bulk writes bind values of each kind as (an enum's is its own type). */
export const ARRAY_TYPE_BY_KIND: Readonly<Record<Exclude<ColumnKind, 'enum'>, string>> = {
  snowflake: 'bigint[]',
  bigint: 'bigint[]',
  int: 'int4[]',
  float: 'float8[]',
  bool: 'bool[]',
  string: 'text[]',
  timestamp: 'timestamptz[]',
  json: 'jsonb[]',
};

// Named in the entity, so the migrations and the casts agree on the type's name.
function enumName(entity: string, column: ColumnMetadata): string {
  if (!column.enumName) throw new Error(`${entity}.${column.propertyName}: an enum column needs an enumName`);
  return column.enumName;
}

function columnModel(entity: string, column: ColumnMetadata, target: unknown): ColumnModel {
  const length = Number(column.length);
  const kind = kindOf(entity, column);
  return {
    property: column.propertyName,
    column: column.databaseName,
    quoted: quoteIdent(column.databaseName),
    kind,
    nullable: column.isNullable,
    ...(column.enum ? { enumValues: column.enum.map(String) } : {}),
    arrayType: kind === 'enum' ? `${quoteIdent(enumName(entity, column))}[]` : ARRAY_TYPE_BY_KIND[kind],
    ...(length > 0 ? { maxLength: length } : {}),
    ...(isSnowflakeList(target, column.propertyName) ? { snowflakeList: true } : {}),
    hasDefault: column.isGenerated || column.isCreateDate || column.isUpdateDate || column.default !== undefined,
    generated: column.isGenerated,
    write: writeRule(target, column),
  };
}

// A creation timestamp may be given when the row is created (a backfill keeps its history), never changed after.
const CREATED_AT: ColumnWriteRule = { rule: 'insertOnly', reason: 'is set when the row is created and never changes' };

/** The column's declared write rule; a creation timestamp without one is insert-only. */
function writeRule(target: unknown, column: ColumnMetadata): ColumnWriteRule {
  const declared = writeRuleOf(target, column.propertyName);
  return declared.rule === 'free' && column.isCreateDate ? CREATED_AT : declared;
}

/** Builds the SQL builders' view of an entity from TypeORM's metadata, once per repository. */
export function buildTableModel(metadata: EntityMetadata): TableModel {
  const entityName = metadata.name;
  const columns = new Map<string, ColumnModel>();
  for (const column of metadata.columns) {
    // Relation properties (`guild?: Guild`) share the guild_id column with the plain `guildId` field.
    if (column.isVirtual || columns.has(column.propertyName)) continue;
    columns.set(column.propertyName, columnModel(entityName, column, metadata.target));
  }
  const byDatabaseName = (c: ColumnMetadata): ColumnModel => {
    const found = [...columns.values()].find((m) => m.column === c.databaseName);
    if (!found) throw new Error(`${entityName}: no column model for ${c.databaseName}`);
    return found;
  };
  const primaryKeys = metadata.primaryColumns.map(byDatabaseName);
  const rowId = rowIdOf(metadata.target);
  const idKeys = rowId === undefined ? primaryKeys : primaryKeys.filter((c) => c.property === rowId);
  if (idKeys.length === 0) throw new Error(`${entityName}.${rowId ?? ''}: a RowId must be one of the primary key's columns`);
  const uniqueKeys = [primaryKeys, ...metadata.uniques.map((u) => u.columns.map(byDatabaseName))];
  const selectList = [...columns.values()].map((c) => `${c.quoted} AS ${quoteIdent(c.property)}`).join(', ');
  const updatedAt = metadata.columns.find((c) => c.isUpdateDate);
  const guildForeignKey = metadata.foreignKeys.find((fk) => fk.referencedTablePath === GUILD_TABLE);
  const guildForeignColumn = guildForeignKey?.columns[0];
  const guildKey = guildForeignColumn ? byDatabaseName(guildForeignColumn) : undefined;
  return {
    entityName,
    table: quoteIdent(metadata.tableName),
    name: metadata.tableName,
    columns,
    requiredOnInsert: [...columns.values()].filter((c) => !c.nullable && !c.hasDefault && c.write.rule !== 'assigned'),
    primaryKeys,
    idKeys,
    uniqueKeys,
    selectList,
    guildKey,
    guildColumn: guildKey ?? (metadata.tableName === GUILD_TABLE ? primaryKeys[0] : undefined),
    updatedAtColumn: updatedAt ? quoteIdent(updatedAt.databaseName) : undefined,
  };
}
