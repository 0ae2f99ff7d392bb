import { ARRAY_TYPE_BY_KIND } from '../../../src/query/build-table-model';
import type { ColumnKind, ColumnModel, TableModel } from '../../../src/query/table-model';

/** A string enum like the entities' CaseType. */
export enum FixtureCaseType {
  BAN = 'BAN',
  KICK = 'KICK',
  WARN = 'WARN',
}

/** A guild, only to give FixtureCase a relation property. */
export class FixtureGuild {
  guildId!: string;
}

/** An entity shaped like Case, with one column of every kind. */
export class FixtureCase {
  caseId!: string;
  guildId!: string;
  caseNumber!: number;
  caseScore!: number;
  caseStatus!: boolean;
  caseReason!: string | null;
  caseType!: FixtureCaseType;
  caseCreatedAt!: Date;
  caseExpiresAt!: Date | null;
  caseUserRoles!: string[];
  caseMetadata!: Record<string, unknown> | null;
  modLogMessageId!: string | null;
  guild?: FixtureGuild;

  describe(): string {
    return `case ${this.caseNumber}`;
  }
}

interface ColumnOptions {
  readonly nullable?: boolean;
  readonly enumValues?: ReadonlyArray<string>;
  readonly maxLength?: number;
  readonly generated?: boolean;
  readonly snowflakeList?: boolean;
}

function column(property: string, name: string, kind: ColumnKind, options: ColumnOptions = {}): ColumnModel {
  return {
    property,
    column: name,
    quoted: `"${name}"`,
    kind,
    arrayType: kind === 'enum' ? '"fixture_case_type"[]' : ARRAY_TYPE_BY_KIND[kind],
    nullable: options.nullable ?? false,
    ...(options.enumValues === undefined ? {} : { enumValues: options.enumValues }),
    ...(options.maxLength === undefined ? {} : { maxLength: options.maxLength }),
    ...(options.snowflakeList === true ? { snowflakeList: true } : {}),
    hasDefault: options.generated ?? false,
    generated: options.generated ?? false,
    write: { rule: 'free', reason: '' },
  };
}

const columns: ReadonlyArray<ColumnModel> = [
  column('caseId', 'case_id', 'bigint', { generated: true }),
  column('guildId', 'guild_id', 'snowflake'),
  column('caseNumber', 'case_number', 'int'),
  column('caseScore', 'case_score', 'float'),
  column('caseStatus', 'case_status', 'bool'),
  column('caseReason', 'case_reason', 'string', { nullable: true, maxLength: 20 }),
  column('caseType', 'case_type', 'enum', { enumValues: Object.values(FixtureCaseType) }),
  column('caseCreatedAt', 'case_created_at', 'timestamp'),
  column('caseExpiresAt', 'case_expires_at', 'timestamp', { nullable: true }),
  column('caseUserRoles', 'case_user_roles', 'json', { snowflakeList: true }),
  column('caseMetadata', 'case_metadata', 'json', { nullable: true }),
  column('modLogMessageId', 'mod_log_message_id', 'snowflake', { nullable: true }),
];

/** The TableModel of FixtureCase, built by hand. */
export const fixtureModel: TableModel = {
  entityName: 'FixtureCase',
  table: '"fixture_cases"',
  name: 'fixture_cases',
  columns: new Map(columns.map((c) => [c.property, c])),
  requiredOnInsert: columns.filter((c) => !c.nullable && !c.hasDefault),
  primaryKeys: columns.slice(0, 1),
  idKeys: columns.slice(0, 1),
  uniqueKeys: [columns.slice(0, 1)],
  guildKey: undefined,
  guildColumn: undefined,
  updatedAtColumn: undefined,
  selectList: columns.map((c) => `${c.quoted} AS "${c.property}"`).join(', '),
};

/** The column model of `property`; throws when the fixture has no such column. */
export function fixtureColumn(property: string): ColumnModel {
  const found = fixtureModel.columns.get(property);
  if (found === undefined) throw new Error(`no fixture column ${property}`);
  return found;
}

/** FixtureCase as a guild-owned table with an `updated_at` column: inserts create the guild row, updates bump the column. */
export const guildOwnedFixtureModel: TableModel = {
  ...fixtureModel,
  guildKey: fixtureColumn('guildId'),
  guildColumn: fixtureColumn('guildId'),
  updatedAtColumn: '"case_updated_at"',
  uniqueKeys: [columns.slice(0, 1), [fixtureColumn('guildId'), fixtureColumn('caseNumber')]],
};

/** FixtureCase keyed by (guildId, caseNumber), as a per-member table is keyed by (userId, guildId). */
export const compositeKeyFixtureModel: TableModel = {
  ...fixtureModel,
  primaryKeys: [fixtureColumn('guildId'), fixtureColumn('caseNumber')],
  idKeys: [fixtureColumn('guildId'), fixtureColumn('caseNumber')],
  uniqueKeys: [[fixtureColumn('guildId'), fixtureColumn('caseNumber')]],
};
