import { expect } from 'chai';
import fc from 'fast-check';
import { ALL_ENTITIES } from '../../src/entities/all-entities';
import { Case } from '../../src/entities/case';
import { Reminder } from '../../src/entities/reminder';
import { ValidationError } from '../../src/errors/validation-error';
import { buildTableModel } from '../../src/query/build-table-model';
import { groupArrays, groupByColumns, type ColumnArrays } from '../../src/query/bulk-insert';
import type { ColumnModel, TableModel } from '../../src/query/table-model';
import { prepareColumns } from '../../src/repositories/prepare-columns';
import { prepareValues, type PreparedValues } from '../../src/repositories/prepare-values';
import { entityMetadata } from '../support/entity-metadata';

type Entity = new () => object;

/** A value a column of this kind takes, mostly, and now and then one it refuses. */
function valueFor(column: ColumnModel): fc.Arbitrary<unknown> {
  const good = ((): fc.Arbitrary<unknown> => {
    switch (column.kind) {
      case 'snowflake':
      case 'bigint':
        return fc.oneof(fc.constantFrom('1', '123456789012345678', '9223372036854775807'), fc.bigInt({ min: 1n, max: 2n ** 62n }), fc.integer({ min: 1 }));
      case 'int':
        return fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 10 }) }, { weight: 1, arbitrary: fc.integer({ min: -3, max: 200 }) });
      case 'float':
        return fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 });
      case 'bool':
        return fc.boolean();
      case 'string':
        return fc.oneof({ weight: 4, arbitrary: fc.string({ minLength: 1, maxLength: 12 }) }, { weight: 1, arbitrary: fc.constantFrom('', 'x'.repeat(column.maxLength ?? 3000)) });
      case 'timestamp':
        return fc.oneof(fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }), fc.constant('2024-05-01T12:00:00Z'));
      case 'enum':
        return fc.constantFrom(...(column.enumValues ?? ['x']));
      case 'json':
        return fc.oneof(fc.constant({ a: 1 }), fc.constant([1, 'two']), fc.constant('text'));
    }
  })();
  const bad = fc.constantFrom<unknown>(null, '0', 'not an id', -1, Number.NaN, new Date(Number.NaN), '\u0000', {}, [], true, 'x'.repeat(5000));
  return fc.oneof({ weight: 19, arbitrary: good }, { weight: 1, arbitrary: bad });
}

/** What createMany's row-by-row path makes of `rows`: one group's arrays, several groups, or a ValidationError. */
function rowByRow(model: TableModel, entity: Entity, rows: ReadonlyArray<unknown>, provided?: ReadonlySet<string>): ColumnArrays | 'several groups' | 'refused' {
  const prepared: PreparedValues[] = [];
  for (let i = 0; i < rows.length; i++) {
    try {
      prepared.push(prepareValues(model, entity, rows[i], 'insert', `[${i}]`, provided));
    } catch (e) {
      if (e instanceof ValidationError) return 'refused';
      throw e;
    }
  }
  const groups = groupByColumns(prepared);
  return groups.length === 1 ? groupArrays(groups[0] as (typeof groups)[number], prepared) : 'several groups';
}

/** Every row a plain object with the same own keys in the same order, none undefined: when prepareColumns answers. */
function uniform(rows: ReadonlyArray<unknown>): boolean {
  const plain = (row: unknown) => typeof row === 'object' && row !== null && [Object.prototype, null].includes(Object.getPrototypeOf(row) as object | null);
  const keysOf = (row: unknown) => (plain(row) ? Object.keys(row as object) : undefined);
  const first = keysOf(rows[0]);
  return (
    first !== undefined &&
    rows.every((row) => {
      const keys = keysOf(row);
      return keys !== undefined && keys.join('\u0001') === first.join('\u0001') && keys.every((k) => (row as Record<string, unknown>)[k] !== undefined);
    })
  );
}

describe('prepareColumns', () => {
  const models = new Map<Entity, TableModel>();
  before(async () => {
    for (const entity of ALL_ENTITIES) models.set(entity, buildTableModel(await entityMetadata(entity)));
  });
  const modelOf = (entity: Entity): TableModel => {
    const model = models.get(entity);
    if (model === undefined) throw new Error(`No table model for ${entity.name}`);
    return model;
  };

  // Every entity as createMany writes it, and cases as createCases does: the guild given once, not in the rows.
  const cases: ReadonlyArray<{ entity: Entity; provided?: ReadonlySet<string> }> = [
    ...(ALL_ENTITIES as ReadonlyArray<Entity>).map((entity) => ({ entity })),
    { entity: Case, provided: new Set(['guildId']) },
  ];
  for (const { entity, provided } of cases) {
    const how = provided ? ` with ${[...provided].join(', ')} provided` : '';
    it(`answers exactly when the row-by-row path makes one group of ${entity.name} rows${how}, with the same arrays`, () => {
      const model = modelOf(entity);
      const writable = [...model.columns.values()].filter((c) => !c.generated && c.write.rule !== 'assigned' && !provided?.has(c.property));
      const required = new Set(model.requiredOnInsert.map((c) => c.property).filter((p) => !provided?.has(p)));
      const seen = { answered: 0, declined: 0 };
      // A batch: the fields of its first row (every required one, some optional ones, shuffled), then rows that
      // mostly set the same fields with values of each column's kind, and now and then differ (a key dropped, added,
      // unknown, undefined or reordered, or a row that is no object).
      const batch = fc
        .tuple(fc.subarray(writable.filter((c) => !required.has(c.property))), fc.shuffledSubarray(writable, { minLength: writable.length, maxLength: writable.length }))
        .chain(([optional, order]) => {
          const fields = order.filter((c) => required.has(c.property) || optional.includes(c));
          const row = fc.record(Object.fromEntries(fields.map((c) => [c.property, valueFor(c)])));
          const odd = fc.oneof(
            row.map((r) => Object.fromEntries(Object.entries(r).slice(1))),
            row.map((r) => ({ ...r, unknownField: 1 })),
            row.map((r) => Object.fromEntries(Object.entries(r).reverse())),
            row.map((r) => (fields[0] ? { ...r, [fields[0].property]: undefined } : r)),
            fc.constantFrom<unknown>(null, 7, [], new Reminder(), undefined),
          );
          return fc.array(fc.oneof({ weight: 12, arbitrary: row }, { weight: 1, arbitrary: odd }), { minLength: 1, maxLength: 6 });
        });
      fc.assert(
        fc.property(batch, (rows) => {
          const expected = rowByRow(model, entity, rows, provided);
          const answer = prepareColumns(model, entity, rows, provided);
          const answers = typeof expected === 'object' && uniform(rows);
          expect(answer !== undefined, `answers for ${String(expected)}`).to.equal(answers);
          if (answer === undefined) {
            seen.declined++;
            return;
          }
          seen.answered++;
          expect(answer.columns).to.deep.equal((expected as ColumnArrays).columns);
          expect(answer.arrays).to.deep.equal((expected as ColumnArrays).arrays);
        }),
        { numRuns: 300 },
      );
      expect(seen.answered, 'batches answered').to.be.above(0);
      expect(seen.declined, 'batches declined').to.be.above(0);
    });
  }

  it('gives the rules each row’s own values, though it reuses one instance: an empty text in row 3 is declined', async () => {
    const model = modelOf(Reminder);
    const row = (content: string) => ({ reminderContent: content, reminderExpiresAt: new Date(0), reminderChannelId: '1', reminderUserId: '2', guildId: '3' });
    expect(prepareColumns(model, Reminder, [row('a'), row('b'), row('c')])?.arrays[0]).to.deep.equal(['a', 'b', 'c']);
    expect(prepareColumns(model, Reminder, [row('a'), row('b'), row(''), row('d')])).to.equal(undefined);
  });

  it('lets an error that is not a validation failure through: a getter that throws is the caller’s bug', () => {
    const model = modelOf(Reminder);
    const row = { reminderContent: 'a', reminderExpiresAt: new Date(0), reminderChannelId: '1', reminderUserId: '2', guildId: '3' };
    const trap = Object.defineProperty({ ...row }, 'guildId', { enumerable: true, get: () => { throw new RangeError('boom'); } });
    expect(() => prepareColumns(model, Reminder, [row, trap])).to.throw(RangeError, 'boom');
  });
});
