import { expect } from 'chai';
import fc from 'fast-check';
import {
  getMetadataStorage, IsDefined, IsInt, IsOptional, IsString, MaxLength, Min, minLength, Validate, ValidateIf, ValidateNested,
  ValidatorConstraint, validateSync, type ValidatorConstraintInterface,
} from 'class-validator';
import sinon from 'sinon';
import { ALL_ENTITIES } from '../../src/entities/all-entities';
import { CaseType, OnboardingStage, PermissionLevel } from '../../src/entities/enums';
import { Reminder } from '../../src/entities/reminder';
import * as snowflake from '../../src/entities/snowflake';
import { buildTableModel } from '../../src/query/build-table-model';
import { coerceValue } from '../../src/query/coerce-value';
import type { TableModel } from '../../src/query/table-model';
import { isLengthAtLeast, passesEntityRules } from '../../src/repositories/entity-rules';
import { entityMetadata } from '../support/entity-metadata';

const OPTIONS = { skipMissingProperties: true, forbidUnknownValues: false } as const;

/** What class-validator itself says: the reference passesEntityRules must agree with. */
function validateSyncPasses(instance: object): boolean {
  return validateSync(instance, OPTIONS).length === 0;
}

// Values around every rule the entities declare: ids, lengths at and past each limit, bounds, enum members, and junk.
const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(0, 1, 10, 11, 64, 65, 100, 101, 500, 501, 2000, 2001, 4000, 4001).map((n) => 'x'.repeat(n)),
  fc.constantFrom('\u2764\uFE0F'.repeat(60), '\u{1F600}'.repeat(60), '\uD800', ''),
);
const value = fc.oneof(
  text,
  fc.constantFrom('1', '123456789012345678', '9223372036854775807', '9223372036854775808', '0', '-1', '01', '1.5'),
  fc.constantFrom(...Object.values(CaseType), ...Object.values(OnboardingStage), ...Object.values(PermissionLevel)),
  fc.integer({ min: -5, max: 15 }),
  fc.constantFrom(0.5, -0, NaN, Infinity, 2 ** 31, 2 ** 53),
  fc.bigInt({ min: -5n, max: 2n ** 64n }),
  fc.boolean(),
  fc.constantFrom(null, undefined),
  fc.constantFrom(new Date(0), new Date(Number.NaN)),
  fc.array(fc.oneof(fc.constantFrom('1', '123456789012345678', 'abc', '0'), fc.integer(), fc.constant(null)), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }),
  fc.constantFrom(new Set(['1', '2']), new Set(['x']), new Map([['a', '1']])),
);

describe('passesEntityRules', () => {
  for (const entity of ALL_ENTITIES) {
    it(`agrees with validateSync on random ${entity.name} instances`, () => {
      const properties = [...new Set(getMetadataStorage().getTargetValidationMetadatas(entity, '', false, false, undefined).map((m) => m.propertyName))];
      expect(properties).to.not.be.empty;
      let passed = 0;
      fc.assert(
        fc.property(fc.dictionary(fc.constantFrom(...properties), value, { maxKeys: properties.length }), (fields) => {
          const instance = Object.assign(new entity(), fields);
          const expected = validateSyncPasses(instance);
          if (expected) passed++;
          expect(passesEntityRules(instance), JSON.stringify(fields, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))).to.equal(expected);
        }),
        { numRuns: 400 },
      );
      // Both answers occur, so the agreement says something.
      expect(passed).to.be.within(1, 399);
    });
  }

  @ValidatorConstraint({ name: 'slowCheck', async: true })
  class SlowCheck implements ValidatorConstraintInterface {
    validate(): Promise<boolean> {
      return Promise.resolve(false);
    }
  }

  @ValidatorConstraint({ name: 'answersLater' })
  class AnswersLater implements ValidatorConstraintInterface {
    validate(): Promise<boolean> {
      return Promise.resolve(false);
    }
  }

  class Rules {
    @IsDefined()
    required?: unknown;

    @ValidateIf((o: Rules) => o.mode === 'strict')
    @Min(10)
    bounded?: unknown;

    mode?: string;

    @IsOptional()
    @IsString({ each: true })
    @MaxLength(3, { each: true })
    tags?: unknown;

    @IsInt({ validateIf: (o: Rules) => o.mode !== 'loose' })
    count?: unknown;

    @Validate(SlowCheck)
    @Validate(AnswersLater)
    later?: unknown;
  }

  const cases: Array<[string, Partial<Rules>, boolean]> = [
    ['IsDefined on a missing property', {}, false],
    ['IsDefined on null', { required: null }, false],
    ['a passing instance', { required: 1 }, true],
    ['ValidateIf that skips', { required: 1, bounded: 1 }, true],
    ['ValidateIf that applies', { required: 1, bounded: 1, mode: 'strict' }, false],
    ['each over an array', { required: 1, tags: ['a', 'bb'] }, true],
    ['each over an array with a long item', { required: 1, tags: ['a', 'long'] }, false],
    ['each over a Set', { required: 1, tags: new Set(['a', 5]) }, false],
    ['each over a Map', { required: 1, tags: new Map([['k', 'abc']]) }, true],
    ['a per-rule validateIf that applies', { required: 1, count: 1.5 }, false],
    ['a per-rule validateIf that skips', { required: 1, count: 1.5, mode: 'loose' }, true],
    ['rules answering with promises', { required: 1, later: 'x' }, true],
  ];
  for (const [what, fields, passes] of cases) {
    it(`agrees with validateSync on ${what}`, () => {
      const instance = Object.assign(new Rules(), fields);
      expect(validateSyncPasses(instance)).to.equal(passes);
      expect(passesEntityRules(instance)).to.equal(passes);
    });
  }

  it('leaves classes with nested validation to validateSync', () => {
    class Child {
      @IsInt()
      n?: unknown;
    }
    class Parent {
      @ValidateNested()
      child?: unknown;
    }
    expect(passesEntityRules(Object.assign(new Parent(), { child: Object.assign(new Child(), { n: 'x' }) }))).to.equal(undefined);
  });
});

describe('passesEntityRules on values coerceValue accepted', () => {
  const models = new Map<new () => object, TableModel>();
  before(async () => {
    for (const entity of ALL_ENTITIES) models.set(entity, buildTableModel(await entityMetadata(entity)));
  });
  const modelOf = (entity: new () => object): TableModel => {
    const model = models.get(entity);
    if (model === undefined) throw new Error(`No table model for ${entity.name}`);
    return model;
  };

  for (const entity of ALL_ENTITIES) {
    it(`agrees with validateSync on random ${entity.name} instances of coerced values`, () => {
      const model = modelOf(entity);
      const properties = [...new Set(getMetadataStorage().getTargetValidationMetadatas(entity, '', false, false, undefined).map((m) => m.propertyName))];
      let passed = 0;
      fc.assert(
        fc.property(fc.dictionary(fc.constantFrom(...properties), value, { maxKeys: properties.length }), (fields) => {
          const instance = new entity() as unknown as Record<string, unknown>;
          for (const [key, raw] of Object.entries(fields)) {
            const column = model.columns.get(key);
            if (column === undefined) continue;
            try {
              const coerced = coerceValue(model, column, raw, key);
              // As prepareValues sets it: JSON as given, everything else as coerced.
              instance[key] = column.kind === 'json' ? raw : coerced;
            } catch {
              // A value coercion refuses is reported before the rules run, so it never reaches them.
            }
          }
          const expected = validateSyncPasses(instance);
          if (expected) passed++;
          expect(passesEntityRules(instance, model), JSON.stringify(fields, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))).to.equal(expected);
        }),
        { numRuns: 400 },
      );
      expect(passed).to.be.above(0);
    });
  }

  it('does not repeat the checks coercion made: no snowflake test for a reminder, one per id without the model', () => {
    const spy = sinon.spy(snowflake, 'snowflakeProblem');
    try {
      const reminder = Object.assign(new Reminder(), {
        reminderContent: 'x', reminderExpiresAt: new Date(), reminderChannelId: '1', reminderUserId: '2', guildId: '3', reminderSent: false,
      });
      expect(passesEntityRules(reminder, modelOf(Reminder))).to.equal(true);
      expect(spy.callCount).to.equal(0);
      expect(passesEntityRules(reminder)).to.equal(true);
      expect(spy.callCount).to.equal(3);
    } finally {
      spy.restore();
    }
  });

  it('still runs the rules coercion does not imply: an empty reminder text fails MinLength(1)', () => {
    const reminder = Object.assign(new Reminder(), { reminderContent: '' });
    expect(passesEntityRules(reminder, modelOf(Reminder))).to.equal(false);
  });
});

describe('isLengthAtLeast', () => {
  it('agrees with class-validator’s minLength on strings of selectors, surrogates (paired and lone) and letters', () => {
    const unit = fc.constantFrom('a', 'é', '\uFE0E', '\uFE0F', '\uD83D', '\uDE00', '\uD800', '\uDFFF', '\u{1F600}', '\u2764');
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 12 }).map((units) => units.join('')), fc.integer({ min: 0, max: 14 }), (text, min) => {
        expect(isLengthAtLeast(text, min), JSON.stringify([text, min])).to.equal(minLength(text, min));
      }),
      { numRuns: 5000 },
    );
  });

  it('counts a surrogate pair with its selector as one character, however long the text (the scan it skips is for a third of the units)', () => {
    // Three units per character: the densest text the early answer must not misjudge.
    for (const n of [1, 2, 4, 8]) {
      const text = '\u{1F600}\uFE0F'.repeat(n);
      expect(isLengthAtLeast(text, n), `${n} characters, at least ${n}`).to.equal(true);
      expect(isLengthAtLeast(text, n + 1), `${n} characters, at least ${n + 1}`).to.equal(false);
      expect(minLength(text, n + 1)).to.equal(false);
    }
  });
});
