import { expect } from 'chai';
import { ALL_ENTITIES } from '../../src/entities/all-entities';
import { Case } from '../../src/entities/case';
import { CaseType } from '../../src/entities/enums';
import type { Guild } from '../../src/entities/guild';
import type { GuildConfig } from '../../src/entities/guild-config';
import type { PermissionAssignment } from '../../src/entities/permission-assignment';
import type { PermissionCommand } from '../../src/entities/permission-command';
import type { PermissionRank } from '../../src/entities/permission-rank';
import type { Reminder } from '../../src/entities/reminder';
import { Snippet } from '../../src/entities/snippet';
import type { StarboardMessage } from '../../src/entities/starboard-message';
import { ValidationError } from '../../src/errors/validation-error';
import { buildTableModel } from '../../src/query/build-table-model';
import type { GeneratedKey } from '../../src/query/filter-types';
import type { NewCase } from '../../src/repositories/case-repository';
import { prepareValues } from '../../src/repositories/prepare-values';
import type { EntityFilter, Values } from '../../src/repositories/repository-types';
import { entityMetadata } from '../support/entity-metadata';

// Compile-time checks: `npm run typecheck` (part of `npm test`) fails if a line marked @ts-expect-error compiles,
// or if a line without the mark does not.
type Expect<T extends true> = T;
type Equal<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;

const ids = { caseUserId: '1300000000000000001', caseModeratorId: 1400000000000000001n, guildId: 42 } as const;

// Rule 1: snowflake fields take string | bigint | number (a safe integer; the runtime checks that).
export const snowflakeInputs: ReadonlyArray<NewCase> = [
  { caseType: CaseType.BAN, ...ids },
  { caseType: CaseType.BAN, caseUserId: 1, caseModeratorId: 2n, guildId: '3', modLogMessageId: 4n },
];
export const snowflakeFilters: ReadonlyArray<EntityFilter<Case>> = [{ caseUserId: 1 }, { guildId: 1n, caseModeratorId: { in: [1, 2n, '3'] } }];

// Rule 2: text fields take only a string.
export const textInputs: ReadonlyArray<Values<Case> | Values<Snippet> | Values<GuildConfig> | Values<StarboardMessage>> = [
  { caseReason: 'Spam' },
  { caseReason: null },
  // @ts-expect-error a bigint is not text: caseReason is varchar, not an id
  { caseReason: 1n },
  // @ts-expect-error a number is not text either
  { caseReason: 5 },
  // @ts-expect-error snippet names are text
  { snippetName: 1n } satisfies Values<Snippet>,
  // @ts-expect-error a prefix is text
  { prefix: 1 } satisfies Values<GuildConfig>,
  // @ts-expect-error message content is text
  { messageContent: 10n } satisfies Values<StarboardMessage>,
];
export const caseWithBigintReason: NewCase = {
  caseType: CaseType.WARN,
  ...ids,
  // @ts-expect-error caseReason: 1n, the example of issue #17
  caseReason: 1n,
};
export const textFilters: ReadonlyArray<EntityFilter<Case>> = [
  { caseReason: { ilike: '%spam%' } },
  // @ts-expect-error a text field's filter value is a string
  { caseReason: 1n },
  // @ts-expect-error and so are its operator values
  { caseReason: { in: [1n] } },
];

// Rule 3: generated keys are not writable (they stay filterable).
export const generatedKeys: ReadonlyArray<Values<Case> | Values<Snippet> | Values<PermissionAssignment> | Values<PermissionRank>> = [
  // @ts-expect-error caseId is an identity column
  { caseId: '1' } satisfies Values<Case>,
  // @ts-expect-error snippetId is an identity column
  { snippetId: 1n } satisfies Values<Snippet>,
  // @ts-expect-error assignmentId is an identity column
  { assignmentId: '1' } satisfies Values<PermissionAssignment>,
  // permissionRankId is the generated key of PermissionRank, but a plain foreign key of PermissionAssignment.
  { permissionRankId: '1', roleId: 2n, guildId: 3 } satisfies Values<PermissionAssignment>,
  // @ts-expect-error but not writable on the rank itself
  { permissionRankId: '1' } satisfies Values<PermissionRank>,
];
export const generatedKeyFilters: ReadonlyArray<EntityFilter<Case>> = [{ caseId: { in: [1n, '2', 3] } }];

/** GeneratedKey<T> for every entity, as the metadata test below checks it against the identity columns. */
const GENERATED_KEYS: Readonly<Record<string, string>> = {
  Case: 'caseId',
  Snippet: 'snippetId',
  Reminder: 'reminderId',
  PermissionRank: 'permissionRankId',
  PermissionAssignment: 'assignmentId',
  PermissionCommand: 'commandId',
};
export type GeneratedKeysMatchTheTable = [
  Expect<Equal<GeneratedKey<Case>, 'caseId'>>,
  Expect<Equal<GeneratedKey<Snippet>, 'snippetId'>>,
  Expect<Equal<GeneratedKey<Reminder>, 'reminderId'>>,
  Expect<Equal<GeneratedKey<PermissionRank>, 'permissionRankId'>>,
  Expect<Equal<GeneratedKey<PermissionAssignment>, 'assignmentId'>>,
  Expect<Equal<GeneratedKey<PermissionCommand>, 'commandId'>>,
  Expect<Equal<GeneratedKey<Guild>, never>>,
];

describe('input types', () => {
  it('name every id column, and only those, with a trailing "Id", as the type-level IdFieldName assumes', async () => {
    const misnamed: string[] = [];
    for (const entity of ALL_ENTITIES) {
      for (const column of buildTableModel(await entityMetadata(entity)).columns.values()) {
        const isId = column.kind === 'snowflake' || column.kind === 'bigint';
        const looksLikeId = column.property.endsWith('Id');
        // Only `string` fields are told apart by name: other kinds have their own TypeScript types.
        if (isId !== looksLikeId && (isId || column.kind === 'string')) misnamed.push(`${entity.name}.${column.property} (${column.kind})`);
      }
    }
    expect(misnamed).to.deep.equal([]);
  });

  it('list in GeneratedKey exactly the identity columns of each entity', async () => {
    for (const entity of ALL_ENTITIES) {
      const generated = [...buildTableModel(await entityMetadata(entity)).columns.values()].filter((c) => c.generated).map((c) => c.property);
      const expected = GENERATED_KEYS[entity.name];
      expect(generated, entity.name).to.deep.equal(expected === undefined ? [] : [expected]);
    }
  });

  it('refuse a bigint or a number for a text field with a ValidationError before any SQL', async () => {
    const model = buildTableModel(await entityMetadata(Case));
    for (const caseReason of [1n, 5]) {
      const values: unknown = { caseType: CaseType.WARN, ...ids, caseReason };
      expect(() => prepareValues(model, Case, values, 'insert'))
        .to.throw(ValidationError)
        .with.property('errors')
        .that.deep.equals([{ field: 'caseReason', message: 'must be a string' }]);
    }
  });

  it('accept a string, a bigint or a safe-integer number for an id field, as the types do', async () => {
    const model = buildTableModel(await entityMetadata(Case));
    const prepared = prepareValues(model, Case, { caseType: CaseType.BAN, ...ids }, 'insert');
    const bound = Object.fromEntries(prepared.columns.map((c, i) => [c.property, prepared.params[i]]));
    expect(bound).to.include({ caseUserId: '1300000000000000001', caseModeratorId: '1400000000000000001', guildId: '42' });
  });

  it('refuse a generated key in a write, as the types do', async () => {
    const model = buildTableModel(await entityMetadata(Snippet));
    const values: unknown = { snippetId: '7', snippetName: 'rules', snippetUserId: '1', guildId: '2' };
    expect(() => prepareValues(model, Snippet, values, 'insert'))
      .to.throw(ValidationError)
      .with.property('errors')
      .that.deep.include({ field: 'snippetId', message: 'is generated by the database and cannot be written' });
  });
});
