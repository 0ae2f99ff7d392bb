import { getMetadataStorage, ValidationTypes, type MetadataStorage, type ValidationArguments, type ValidatorConstraintInterface } from 'class-validator';
import type { ColumnModel, TableModel } from '../query/table-model';

type ValidationMetadata = ReturnType<MetadataStorage['getTargetValidationMetadatas']>[number];

/** One class-validator rule of a property, with its constraint resolved once. */
interface Rule {
  readonly metadata: ValidationMetadata;
  readonly constraints: ReadonlyArray<ValidatorConstraintInterface>;
}

/** A property's rules, split the way class-validator runs them. */
interface PropertyRules {
  readonly property: string;
  /** ValidateIf / IsOptional: the other rules run only when all of these say so. */
  readonly conditions: ReadonlyArray<ValidationMetadata>;
  /** IsDefined: runs even on null and undefined. */
  readonly defined: ReadonlyArray<Rule>;
  readonly rules: ReadonlyArray<Rule>;
}

// null: the entity has rules this check does not model (nested or promise validation); validateSync decides.
type Compiled = { readonly targetName: string; readonly properties: ReadonlyArray<PropertyRules> } | null;
// By class: every rule; and the rules left once coerceValue has passed each value (see `coerced`).
const compiled = new WeakMap<object, Compiled>();
const compiledAfterCoercion = new WeakMap<object, Compiled>();

/**
 * Whether `instance` passes its class's class-validator rules, as `validateSync(instance,
 * { skipMissingProperties: true, forbidUnknownValues: false })` would judge it, without redoing what makes
 * validateSync slow on every call: it gathers and groups the class's metadata, and builds a ValidationError per
 * property. The rules are resolved once per class and call the very same constraint functions.
 * Returns undefined when the class has rules this check does not model; the caller then asks validateSync,
 * as it does for the messages whenever this returns false.
 *
 * With `coerced` (the entity's table), every value set on `instance` must have passed coerceValue for its column,
 * and for all but JSON columns be the value it returned: the rules that coercion already guarantees (see
 * impliedByColumn) are then not run again, which halves the cost of validating a bulk insert's rows.
 */
export function passesEntityRules(instance: object, coerced?: TableModel): boolean | undefined {
  const rules = rulesOf(instance.constructor, coerced);
  if (rules === null) return undefined;
  const object = instance as Record<string, unknown>;
  // One arguments object, made when a rule first runs and refilled per rule: this runs for every row of a bulk insert.
  let args: ValidationArguments | undefined;
  for (const property of rules.properties) {
    const value = object[property.property];
    const missing = value === null || value === undefined;
    // Only IsDefined looks at a missing value (skipMissingProperties).
    if ((missing && property.defined.length === 0) || !conditionsHold(property.conditions, instance, value)) continue;
    args ??= { targetName: rules.targetName, property: '', object: instance, value: undefined, constraints: [] };
    args.value = value;
    if (!holds(property.defined, args) || (!missing && !holds(property.rules, args))) return false;
  }
  return true;
}

function conditionsHold(conditions: ReadonlyArray<ValidationMetadata>, object: object, value: unknown): boolean {
  for (const condition of conditions) if (!(condition.constraints[0] as (o: object, v: unknown) => boolean)(object, value)) return false;
  return true;
}

function holds(rules: ReadonlyArray<Rule>, args: ValidationArguments): boolean {
  const { object, value } = args;
  for (const { metadata, constraints } of rules) {
    if (metadata.validateIf && !metadata.validateIf(object, value)) continue;
    args.property = metadata.propertyName;
    args.constraints = metadata.constraints;
    const each = metadata.each && (Array.isArray(value) || value instanceof Set || value instanceof Map);
    for (const constraint of constraints) {
      // A promise is truthy: validateSync does not wait for one, so an asynchronous answer never fails it.
      if (!each) {
        if (!constraint.validate(value, args)) return false;
        continue;
      }
      const items = value instanceof Map ? [...value.values()] : [...(value as Iterable<unknown>)];
      const results = items.map((item) => constraint.validate(item, args));
      if (!results.some(isPromise) && !results.every(Boolean)) return false;
    }
  }
  return true;
}

function isPromise(result: unknown): boolean {
  return typeof result === 'object' && result !== null && typeof (result as { then?: unknown }).then === 'function';
}

function rulesOf(target: object, coerced: TableModel | undefined): Compiled {
  const cache = coerced ? compiledAfterCoercion : compiled;
  let rules = cache.get(target);
  if (rules === undefined) {
    rules = compile(target, coerced);
    cache.set(target, rules);
  }
  return rules;
}

/**
 * Whether coerceValue, having accepted a value for `column`, already guarantees the rule: the same test on
 * the same value (IsSnowflake is snowflakeProblem itself; IsEnum when the column admits only members of the
 * rule's enum), or a weaker one (MaxLength(n) counts code points minus variation selectors, coercion counts code
 * points against a limit ≤ n). Rules over each element of a value are never implied.
 */
function impliedByColumn(rule: ValidationMetadata, column: ColumnModel | undefined): boolean {
  if (column === undefined || rule.each === true || rule.type !== ValidationTypes.CUSTOM_VALIDATION) return false;
  switch (rule.name) {
    case 'isSnowflake':
      return column.kind === 'snowflake' || column.kind === 'bigint';
    case 'isDate':
      return column.kind === 'timestamp';
    case 'isBoolean':
      return column.kind === 'bool';
    case 'isInt':
      return column.kind === 'int';
    case 'maxLength':
      return column.kind === 'string' && column.maxLength !== undefined && column.maxLength <= Number(rule.constraints[0]);
    case 'isEnum': {
      // Coercion admits the column's enum values; the rule, the values of the enum object it names.
      const members: unknown[] = Object.values(rule.constraints[0] as object);
      return column.kind === 'enum' && column.enumValues !== undefined && column.enumValues.every((v) => members.includes(v));
    }
    default:
      return false;
  }
}

function compile(target: object, coerced: TableModel | undefined): Compiled {
  const storage = getMetadataStorage();
  const metadatas = storage.getTargetValidationMetadatas(target as new () => object, '', false, false, undefined);
  const modelled: ReadonlyArray<string> = [ValidationTypes.CUSTOM_VALIDATION, ValidationTypes.CONDITIONAL_VALIDATION, ValidationTypes.IS_DEFINED, ValidationTypes.WHITELIST];
  if (metadatas.some((m) => !modelled.includes(m.type))) return null;
  const resolve = (m: ValidationMetadata): Rule => ({
    metadata: m,
    constraints: fastConstraint(m) ?? storage.getTargetValidatorConstraints(m.constraintCls).filter((c) => !c.async).map((c) => c.instance),
  });
  const byProperty = new Map<string, ValidationMetadata[]>();
  for (const m of metadatas) byProperty.set(m.propertyName, [...(byProperty.get(m.propertyName) ?? []), m]);
  const properties = [...byProperty].map(([property, list]) => ({
    property,
    conditions: list.filter((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION),
    defined: list.filter((m) => m.type === ValidationTypes.IS_DEFINED).map(resolve),
    rules: list.filter((m) => m.type === ValidationTypes.CUSTOM_VALIDATION && !impliedByColumn(m, coerced?.columns.get(property))).map(resolve),
  }));
  // A property left with conditions only has nothing to check.
  return { targetName: (target as { name: string }).name, properties: properties.filter((p) => p.defined.length > 0 || p.rules.length > 0) };
}

/**
 * MinLength's check without its two regular-expression matches per value (the one rule coercion leaves a reminder or
 * a snippet, run on every row of a bulk insert): class-validator's `minLength(value, n)` is `typeof value === 'string'`
 * and validator's isLength, which counts the UTF-16 units less each character followed by a variation selector
 * (U+FE0E, U+FE0F) and each surrogate pair, both matched left to right without overlap. Other rules keep
 * class-validator's own constraint.
 */
function fastConstraint(rule: ValidationMetadata): ReadonlyArray<ValidatorConstraintInterface> | undefined {
  if (rule.type !== ValidationTypes.CUSTOM_VALIDATION || rule.name !== 'minLength' || rule.each === true) return undefined;
  return [{ validate: (value: unknown, args?: ValidationArguments) => typeof value === 'string' && isLengthAtLeast(value, Number(args?.constraints[0]) || 0) }];
}

/**
 * validator's `isLength(text, { min })`, counted in one pass. Its two patterns' matches never overlap themselves: a
 * match's second unit (a selector, a low surrogate) cannot start another.
 * @example
 * isLengthAtLeast('\u2764\uFE0F', 1); // true: a heart with its selector counts as one character
 * isLengthAtLeast('\u{1F600}', 2);     // false: a surrogate pair counts as one
 */
export function isLengthAtLeast(text: string, min: number): boolean {
  const units = text.length;
  if (units < min) return false;
  // Each unit the count below takes off follows one it keeps (a high surrogate, or a character before its selector)
  // or two (a selector after a surrogate pair), so at least a third of the units count: long enough text needs no scan.
  if (units >= 3 * min) return true;
  let length = units;
  for (let i = 0; i + 1 < units; i++) {
    const unit = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (unit !== 0xfe0e && unit !== 0xfe0f && (next === 0xfe0e || next === 0xfe0f)) length--;
    if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) length--;
  }
  return length >= min;
}
