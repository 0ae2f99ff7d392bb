import { getMetadataStorage, ValidationTypes, type MetadataStorage, type ValidationArguments, type ValidatorConstraintInterface } from 'class-validator';

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
const compiled = new WeakMap<object, ReadonlyArray<PropertyRules> | null>();

/**
 * Whether `instance` passes its class's class-validator rules, as `validateSync(instance,
 * { skipMissingProperties: true, forbidUnknownValues: false })` would judge it, without redoing what makes
 * validateSync slow on every call: it gathers and groups the class's metadata, and builds a ValidationError per
 * property. The rules are resolved once per class and call the very same constraint functions.
 * Returns undefined when the class has rules this check does not model; the caller then asks validateSync,
 * as it does for the messages whenever this returns false.
 */
export function passesEntityRules(instance: object): boolean | undefined {
  const properties = rulesOf(instance.constructor);
  if (properties === null) return undefined;
  const object = instance as Record<string, unknown>;
  // One arguments object, refilled per rule: this runs for every row of a bulk insert.
  const args: ValidationArguments = { targetName: instance.constructor.name, property: '', object: instance, value: undefined, constraints: [] };
  for (const property of properties) {
    const value = object[property.property];
    const missing = value === null || value === undefined;
    // Only IsDefined looks at a missing value (skipMissingProperties).
    if ((missing && property.defined.length === 0) || !conditionsHold(property.conditions, instance, value)) continue;
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

function rulesOf(target: object): ReadonlyArray<PropertyRules> | null {
  let rules = compiled.get(target);
  if (rules === undefined) {
    rules = compile(target);
    compiled.set(target, rules);
  }
  return rules;
}

function compile(target: object): ReadonlyArray<PropertyRules> | null {
  const storage = getMetadataStorage();
  const metadatas = storage.getTargetValidationMetadatas(target as new () => object, '', false, false, undefined);
  const modelled: ReadonlyArray<string> = [ValidationTypes.CUSTOM_VALIDATION, ValidationTypes.CONDITIONAL_VALIDATION, ValidationTypes.IS_DEFINED, ValidationTypes.WHITELIST];
  if (metadatas.some((m) => !modelled.includes(m.type))) return null;
  const resolve = (m: ValidationMetadata): Rule => ({
    metadata: m,
    constraints: storage.getTargetValidatorConstraints(m.constraintCls).filter((c) => !c.async).map((c) => c.instance),
  });
  const byProperty = new Map<string, ValidationMetadata[]>();
  for (const m of metadatas) byProperty.set(m.propertyName, [...(byProperty.get(m.propertyName) ?? []), m]);
  return [...byProperty].map(([property, list]) => ({
    property,
    conditions: list.filter((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION),
    defined: list.filter((m) => m.type === ValidationTypes.IS_DEFINED).map(resolve),
    rules: list.filter((m) => m.type === ValidationTypes.CUSTOM_VALIDATION).map(resolve),
  }));
}
