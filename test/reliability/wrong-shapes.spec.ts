import { expect } from 'chai';
import fc from 'fast-check';
import { inspect } from 'node:util';
import { container as rootContainer } from 'tsyringe';
import type { DatabaseCoordinator } from '../../src/coordinator';
import { CaseType, OnboardingStage, PermissionLevel } from '../../src/entities/enums';
import { DataError } from '../../src/errors/data-error';
import { DatabaseError } from '../../src/errors/database-error';
import { ValidationError } from '../../src/errors/validation-error';
import * as api from '../../src/index';
import type { TableModel } from '../../src/query/table-model';
import { ALL_REPOSITORIES } from '../../src/repositories/all-repositories';
import { DEFAULT_LEVEL_FORMULA } from '../../src/entities/level-formula';
import { anyValue } from '../fixtures/hostile-arbitraries';
import { readSourceSurface, type MethodInfo, type ParameterInfo, type SignatureInfo } from '../fixtures/public-surface';
import { tally } from '../fixtures/reliability-tally';
import { deleteGuilds, openTestDatabase, randomSnowflake } from '../support/fixtures';

// Every public method of every repository (walking each prototype chain up to BaseRepository), the coordinator's
// methods and the functions src/index.ts exports are called with a wrong shape in one argument position at a time,
// the other arguments being plausible values for their declared types. Nothing is listed by hand: methods, their
// visibility and their parameters come from the source (test/fixtures/public-surface.ts).

const counts = tally('wrong-shapes');
const HANG_MS = 10_000;
// Where createDatabase would connect: nowhere, so a call that gets past its checks fails at once and writes nothing.
const UNREACHABLE_URL = 'postgres://tux:wrong-shapes@127.0.0.1:1/tux';

/** A value where the types promise something else; `label` names it in failures. */
type Shape = readonly [label: string, value: unknown];

/** Wrong shapes for any argument position. */
function positionShapes(seed: number): Shape[] {
  const fixed: Shape[] = [
    ['null', null], ['undefined', undefined], ['0', 0], ['-1', -1], ['1.5', 1.5], ['NaN', NaN], ['Infinity', Infinity],
    ['-Infinity', -Infinity], ['2^53', 2 ** 53], ['1e12', 1e12], ['1e308', 1e308], ["''", ''], ["'x'", 'x'], ["'\\'", '\\'],
    ['true', true], ['[]', []], ['[null]', [null]], ['{}', {}], ['{ unknownKey: 1 }', { unknownKey: 1 }], ['() => {}', () => {}],
    ['a symbol', Symbol('wrong')], ['10n', 10n], ['an invalid Date', new Date(NaN)], ['a null-prototype object', Object.create(null)],
    ['a Map', new Map([['filters', {}]])], ['a class instance', new (class Options { readonly filters = {}; })()],
  ];
  // A few values of any kind besides, different per position but the same on every run.
  const random = fc.sample(anyValue, { seed, numRuns: 3 }).map((v): Shape => [`random ${inspect(v, { depth: 2, breakLength: Infinity })}`, v]);
  return [...fixed, ...random];
}

/** Wrong values for one key of an options object (the object itself being fine). */
const KEY_SHAPES: ReadonlyArray<Shape> = [
  ['null', null], ['NaN', NaN], ['Infinity', Infinity], ['-1', -1], ['1e12', 1e12], ['1e20', 1e20], ['2147483648', 2147483648],
  ["'x'", 'x'], ["'\\'", '\\'], ['[]', []], ['{ unknownKey: 1 }', { unknownKey: 1 }], ['a symbol', Symbol('wrong')], ['10n', 10n],
  ['() => {}', () => {}], ['true', true], ['an invalid Date', new Date(NaN)],
];

/** What a method declared to return a promise threw synchronously instead of rejecting. */
class ThrownSynchronously extends Error {}

/** One generated call. */
interface Call {
  readonly label: string;
  /** Sync throws come out as rejections. */
  readonly run: () => Promise<unknown>;
  /** Set when the wrong shape is an options object with a key its type does not declare: it must be refused. */
  readonly unknownKey: boolean;
}

/** How a call ended, and how many statements it sent. */
interface Outcome {
  readonly call: Call;
  readonly error: unknown;
  readonly ok: boolean;
  readonly statements: number;
}

const ENUM_SAMPLES: Readonly<Record<string, unknown>> = {
  CaseType: CaseType.WARN, PermissionLevel: PermissionLevel.MEMBER, OnboardingStage: OnboardingStage.NOT_STARTED, LogKind: 'mod', K: 'prefix',
};

/** A plausible value of a declared parameter type, so that the wrong shape elsewhere is what gets judged. */
function plausible(parameter: ParameterInfo, guildId: string, primaryKeys: ReadonlyArray<string>): unknown {
  const type = parameter.type;
  const id = (name: string): string => (/guild/i.test(name) ? guildId : '1001');
  if (type === 'TId') return primaryKeys.length === 1 ? id(primaryKeys[0] ?? '') : Object.fromEntries(primaryKeys.map((k) => [k, id(k)]));
  if (type in ENUM_SAMPLES) return ENUM_SAMPLES[type];
  if (/bigint|Snowflake/.test(type)) return id(parameter.name);
  if (type.includes('=>')) return async () => undefined;
  if (/^(ReadonlyArray|Array)<|\[\]$/.test(type)) return [];
  switch (type) {
    case 'number': return 1;
    case 'string': return 'walk';
    case 'boolean': return true;
    case 'Date': return new Date();
    case 'LevelFormula': return DEFAULT_LEVEL_FORMULA;
    case 'DependencyContainer': return rootContainer.createChildContainer();
  }
  return parameter.keys !== undefined ? {} : undefined;
}

/** Calls `fn`; a synchronous throw becomes a rejection (a ThrownSynchronously one when `fn` promised a promise). */
function invoke(fn: (...args: unknown[]) => unknown, args: unknown[], returnsPromise: boolean): Promise<unknown> {
  try {
    return Promise.resolve(fn(...args));
  } catch (e) {
    return Promise.reject(returnsPromise ? new ThrownSynchronously(describeError(e), { cause: e }) : e);
  }
}

/** Calls of `fn` with each wrong shape in each position, and each wrong value under each key of an options object. */
function callsOf(label: string, { parameters, returnsPromise }: SignatureInfo, fn: (...args: unknown[]) => unknown, sample: (p: ParameterInfo) => unknown): Call[] {
  const calls: Call[] = [];
  const valid = parameters.map(sample);
  const call = (description: string, position: number, value: unknown, unknownKey = false): void => {
    const args = [...valid];
    args[position] = value;
    calls.push({ label: `${label}(${description})`, run: () => invoke(fn, args, returnsPromise), unknownKey });
  };
  parameters.forEach((parameter, position) => {
    for (const [shape, value] of positionShapes(calls.length + position)) call(`${parameter.name} = ${shape}`, position, value, shape === '{ unknownKey: 1 }' && parameter.keys !== undefined);
    for (const key of parameter.keys ?? []) {
      for (const [shape, value] of KEY_SHAPES) call(`${parameter.name} = { ${key}: ${shape} }`, position, { [key]: value });
      // A likely typo (`filter` for `filters`) must be refused, not ignored.
      const typo = key.endsWith('s') ? key.slice(0, -1) : `${key}s`;
      call(`${parameter.name} = { ${typo}: {} }`, position, { [typo]: {} }, true);
    }
  });
  return calls;
}

/** Runs `fn` with process.env.DATABASE_URL pointing nowhere (see UNREACHABLE_URL). */
async function withUnreachableEnv<T>(fn: () => Promise<T>): Promise<T> {
  const saved = process.env['DATABASE_URL'];
  process.env['DATABASE_URL'] = UNREACHABLE_URL;
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env['DATABASE_URL'];
    else process.env['DATABASE_URL'] = saved;
  }
}

function describeError(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message.slice(0, 200)}` : `a thrown ${typeof e} ${inspect(e)}`;
}

/** What is wrong with an outcome, if anything. */
function problemOf(outcome: Outcome): string | undefined {
  const { call, error, ok, statements } = outcome;
  if (ok) return call.unknownKey ? `${call.label} resolved: an unknown options key was ignored` : undefined;
  if (error instanceof ThrownSynchronously) return `${call.label} threw synchronously instead of rejecting its promise: ${error.message}`;
  if (!(error instanceof DatabaseError) || error.constructor === DatabaseError) return `${call.label} failed with ${describeError(error)} (not a typed DatabaseError)`;
  if (error instanceof DataError) return `${call.label} reached the server with a value it refused: ${describeError(error)}`;
  if (error instanceof ValidationError && statements > 0) return `${call.label} sent ${statements} statement(s) before its ValidationError: ${error.message.slice(0, 200)}`;
  if (call.unknownKey && !(error instanceof ValidationError)) return `${call.label} failed with ${describeError(error)} instead of a ValidationError`;
  return undefined;
}

describe('wrong shapes', function () {
  this.timeout(120_000);
  let db: DatabaseCoordinator;
  const guildId = randomSnowflake();
  const unitGuildId = randomSnowflake();
  let statements = 0;
  let stopListening: () => void = () => undefined;
  const repositoryCalls: Call[] = [];
  const coordinatorCalls: Call[] = [];
  const functionCalls: Call[] = [];
  const outcomes: Outcome[] = [];

  /** Runs a call, counting its statements; never throws. */
  const attempt = async (call: Call): Promise<Outcome> => {
    counts.hostileInputs++;
    const before = statements;
    let timer: NodeJS.Timeout | undefined;
    const hang = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`did not settle within ${HANG_MS} ms`)), HANG_MS);
    });
    try {
      await Promise.race([call.run(), hang]);
      return { call, ok: true, error: undefined, statements: statements - before };
    } catch (error) {
      if (!(error instanceof DatabaseError) || error.constructor === DatabaseError) counts.rawDriverErrors++;
      return { call, ok: false, error, statements: statements - before };
    } finally {
      clearTimeout(timer);
    }
  };

  before(async function () {
    this.timeout(120_000);
    db = await openTestDatabase({ poolSize: 4 });
    stopListening = db.service.addQueryListener(() => statements++);
    const surface = readSourceSurface();

    // Every repository class, found on the coordinator; public methods from each class up the prototype chain.
    for (const repositoryClass of ALL_REPOSITORIES) {
      const [name, repository] = Object.entries(db).find(([, value]) => value instanceof repositoryClass) ?? [];
      expect(repository, `${repositoryClass.name} on the coordinator`).to.be.instanceOf(repositoryClass);
      const primaryKeys = (repository as unknown as { model: TableModel }).model.idKeys.map((k) => k.property);
      for (const [method, info] of publicMethods(repository as object)) {
        const fn = (repository as Record<string, (...args: unknown[]) => unknown>)[method] as (...args: unknown[]) => unknown;
        repositoryCalls.push(...callsOf(`${name}.${method}`, info, (...args) => fn.apply(repository, args), (p) => plausible(p, guildId, primaryKeys)));
      }
    }
    // close() ends the walk's own database; its own test below calls it on a database of its own.
    for (const [method, info] of publicMethods(db)) {
      if (method === 'close') continue;
      const fn = (db as unknown as Record<string, (...args: unknown[]) => unknown>)[method] as (...args: unknown[]) => unknown;
      coordinatorCalls.push(...callsOf(`db.${method}`, info, (...args) => fn.apply(db, args), (p) => plausible(p, guildId, [])));
    }
    // Every function the package root exports (classes are walked through their instances above).
    for (const [name, value] of Object.entries(api)) {
      if (typeof value !== 'function' || surface.classes.has(name)) continue;
      const signature = surface.functions.get(name);
      expect(signature, `the declaration of the exported function ${name}`).to.not.equal(undefined);
      functionCalls.push(...callsOf(name, signature ?? { parameters: [], returnsPromise: false }, value as (...args: unknown[]) => unknown, (p) => plausible(p, guildId, [])));
    }

    function publicMethods(instance: object): Array<[string, MethodInfo]> {
      const found: Array<[string, MethodInfo]> = [];
      const seen = new Set<string>();
      for (let proto: object | null = Object.getPrototypeOf(instance) as object | null; proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
        const className = (proto.constructor as { name: string }).name;
        const declared = surface.classes.get(className);
        expect(declared, `the declaration of class ${className}`).to.not.equal(undefined);
        for (const key of Object.getOwnPropertyNames(proto)) {
          // Accessors (levelFormula) take no arguments; an override was already taken from the subclass.
          if (key === 'constructor' || seen.has(key) || typeof Object.getOwnPropertyDescriptor(proto, key)?.value !== 'function') continue;
          seen.add(key);
          const info = declared?.get(key);
          expect(info, `${className}.${key} in its class declaration`).to.not.equal(undefined);
          if (info?.visibility === 'public') found.push([key, info]);
        }
      }
      return found;
    }

    // The walk: repository and coordinator calls in units that are rolled back at the end, each call in a savepoint
    // of its own, so no call's writes stay and a call the server refused does not abort the others. A unit holds a
    // lock on every savepoint that wrote until it ends, so the calls go in batches that stay far below
    // max_locks_per_transaction.
    class RollBack extends Error {}
    const walked = [...repositoryCalls, ...coordinatorCalls];
    for (let start = 0; start < walked.length; start += 500) {
      await db
        .transaction(async () => {
          for (const call of walked.slice(start, start + 500)) outcomes.push(await attempt({ ...call, run: () => db.transaction(call.run) }));
          throw new RollBack();
        })
        .catch((e: unknown) => {
          if (!(e instanceof RollBack)) throw e;
        });
    }
    await withUnreachableEnv(async () => {
      for (const call of functionCalls) outcomes.push(await attempt(call));
    });
  });

  after(async () => {
    stopListening();
    if (!db) return;
    await deleteGuilds(db, [guildId, unitGuildId]);
    await db.close();
  });

  it('walks every public method of every repository, the coordinator and the exported functions (generated from the source)', () => {
    const labels = new Set([...repositoryCalls, ...coordinatorCalls, ...functionCalls].map((c) => c.label.replace(/\(.*$/s, '')));
    // A few that must be among them: the base methods on each repository, domain methods, the root functions.
    for (const method of ['case.findAll', 'levels.count', 'guildConfig.paginate', 'levels.addXp', 'starboardMessage.incrementStarCount',
      'afk.setMemberAfk', 'snippet.withSession', 'db.transaction', 'createDatabase', 'resolveOptions', 'registerDatabase', 'escapeLike']) {
      expect(labels, method).to.include(method);
    }
    expect(labels.size).to.be.greaterThan(300);
    expect(outcomes).to.have.length(repositoryCalls.length + coordinatorCalls.length + functionCalls.length);
  });

  it('answers each call with a result or a typed DatabaseError (never a TypeError or a raw driver error), ValidationErrors before any SQL', () => {
    const problems = outcomes.map(problemOf).filter((p): p is string => p !== undefined);
    const refused = outcomes.filter((o) => o.error instanceof ValidationError).length;
    console.log(`      ${outcomes.length} wrong-shape calls: ${outcomes.filter((o) => o.ok).length} worked, ${refused} ValidationErrors, ${problems.length} problems`);
    expect(problems, `${problems.length} problems:\n${problems.slice(0, 40).join('\n')}\n`).to.have.length(0);
    // Most wrong shapes are refused, and refused before SQL.
    expect(refused).to.be.greaterThan(outcomes.length / 2);
  });

  it('leaves the service working after the walk: a case is created', async () => {
    const created = await db.case.createCase({ caseType: CaseType.WARN, caseUserId: '1', caseModeratorId: '2', guildId: unitGuildId, caseReason: 'after the walk' });
    expect((await db.case.getById(created.caseId))?.caseReason).to.equal('after the walk');
  });

  it('keeps one unit of work usable through every refused call: it creates a case afterwards and commits', async () => {
    const refused = outcomes.filter((o) => o.error instanceof ValidationError && o.statements === 0).map((o) => o.call);
    expect(refused.length).to.be.greaterThan(1000);
    const before = statements;
    const created = await withUnreachableEnv(() =>
      db.transaction(async () => {
        for (const call of refused) {
          const outcome = await attempt(call);
          if (!(outcome.error instanceof ValidationError)) expect.fail(`${call.label} in the unit: ${outcome.ok ? 'resolved' : describeError(outcome.error)}`);
        }
        return db.case.createCase({ caseType: CaseType.WARN, caseUserId: '1', caseModeratorId: '2', guildId: unitGuildId, caseReason: 'in the unit' });
      }),
    );
    // The refused calls sent nothing; the case is the unit's only statement, and it committed.
    expect(statements - before).to.equal(1);
    expect((await db.case.getById(created.caseId))?.caseReason).to.equal('in the unit');
  });

  it('closes with any timeout argument: close() resolves or fails with a typed error', async () => {
    const surface = readSourceSurface();
    const info = surface.classes.get('DatabaseCoordinator')?.get('close');
    expect(info?.visibility).to.equal('public');
    const own = await openTestDatabase({ poolSize: 1 });
    await own.guild.count();
    const calls = callsOf('db.close', info ?? { parameters: [], returnsPromise: true }, (...args) => own.close(...(args as [number?])), () => undefined);
    const problems: string[] = [];
    for (const call of calls) {
      const problem = problemOf(await attempt(call));
      if (problem !== undefined) problems.push(problem);
    }
    expect(problems).to.deep.equal([]);
    expect(own.service.isConnected()).to.equal(false);
  });
});
