import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import sinon from 'sinon';
import ts from 'typescript';
import { DatabaseCoordinator } from '../../src/coordinator';
import { CaseType } from '../../src/entities/enums';
import { Case } from '../../src/entities/case';
import { ALL_REPOSITORIES } from '../../src/repositories/all-repositories';
import { BaseRepository } from '../../src/repositories/base-repository';
import { UnitOfWork } from '../../src/service/unit-of-work';
import { createStubDatabase, type StubDatabase } from '../../src/testing/stub-database';

type Methods = Record<string, unknown>;

/** The methods `prototype` and its ancestors declare, up to and including `last` (getters and `constructor` left out). */
function methodsOf(prototype: object, last: object): string[] {
  const names = new Set<string>();
  for (let p: object | null = prototype; p !== null; p = Object.getPrototypeOf(p) as object | null) {
    for (const name of Object.getOwnPropertyNames(p)) {
      if (name !== 'constructor' && typeof Object.getOwnPropertyDescriptor(p, name)?.value === 'function') names.add(name);
    }
    if (p === last) break;
  }
  return [...names];
}

const SRC = path.join(__dirname, '..', '..', 'src');
// Where each class of the walk is declared (src/repositories/<kebab-case name>.ts for the repositories).
const CLASS_FILES: Readonly<Record<string, string>> = { DatabaseCoordinator: 'coordinator.ts', UnitOfWork: 'service/unit-of-work.ts' };

function classFile(name: string): string {
  return path.join(SRC, CLASS_FILES[name] ?? `repositories/${name.replace(/(?<!^)([A-Z])/g, '-$1').toLowerCase()}.ts`);
}

/**
 * The public methods that take a callback, read from the declarations of the class behind `prototype` and its
 * ancestors up to `last`: a parameter typed as a function, or named `fn` / `callback`. Private and protected
 * methods are left out: bot code cannot call them.
 */
function callbackMethods(prototype: object, last: object): string[] {
  const names = new Set<string>();
  for (let p: object | null = prototype; p !== null; p = Object.getPrototypeOf(p) as object | null) {
    const className = (p as { constructor: { name: string } }).constructor.name;
    const source = ts.createSourceFile(className, readFileSync(classFile(className), 'utf8'), ts.ScriptTarget.Latest, true);
    const declaration = source.statements.find((s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === className);
    expect(declaration, `class ${className} in ${classFile(className)}`).to.not.equal(undefined);
    for (const member of declaration?.members ?? []) {
      if (!ts.isMethodDeclaration(member) || !ts.isIdentifier(member.name)) continue;
      const hidden = ts.getCombinedModifierFlags(member) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected);
      const callback = member.parameters.some((param) => (param.type !== undefined && ts.isFunctionTypeNode(param.type)) || /^(fn|callback)$/.test(param.name.getText(source)));
      if (!hidden && callback) names.add(member.name.text);
    }
    if (p === last) break;
  }
  return [...names];
}

function isSinonStub(value: unknown): boolean {
  return typeof value === 'function' && (value as { isSinonProxy?: unknown }).isSinonProxy === true && typeof (value as { callsFake?: unknown }).callsFake === 'function';
}

/** Every stubbed object, the methods its real class has, and those of them that take a callback. */
function surfaces(stub: StubDatabase): Array<{ label: string; instance: Methods; methods: string[]; callbacks: string[] }> {
  const surface = (label: string, instance: object, prototype: object, last: object) => ({
    label,
    instance: instance as Methods,
    methods: methodsOf(prototype, last),
    callbacks: callbackMethods(prototype, last),
  });
  return [
    ...ALL_REPOSITORIES.map((repository) => surface(repository.name, stub.container.resolve<object>(repository), repository.prototype as object, BaseRepository.prototype)),
    surface('DatabaseCoordinator', stub.db, DatabaseCoordinator.prototype, DatabaseCoordinator.prototype),
    surface('UnitOfWork', stub.db.unitOfWork, UnitOfWork.prototype, UnitOfWork.prototype),
  ];
}

describe('createStubDatabase', () => {
  const sandbox = sinon.createSandbox();
  afterEach(() => sandbox.restore());

  it('stubs every method of every repository (read from the classes, BaseRepository’s included) and of the coordinator', () => {
    const stub = createStubDatabase(sandbox);
    const all = surfaces(stub);
    expect(all).to.have.length(ALL_REPOSITORIES.length + 2);
    for (const { label, instance, methods } of all) {
      expect(methods.length, label).to.be.greaterThan(0);
      for (const name of methods) expect(isSinonStub(instance[name]), `${label}.${name} is a sinon stub`).to.equal(true);
    }
    // The walk reaches BaseRepository and each class's own methods, and the coordinator's own.
    expect(all.find((s) => s.label === 'CaseRepository')?.methods).to.include.members(['createCase', 'create', 'findAll', 'paginate', 'withSession']);
    expect(all.find((s) => s.label === 'DatabaseCoordinator')?.methods).to.include.members(['transaction', 'health', 'close']);
    // The coordinator's repositories are the same stubs the kit hands out.
    expect(stub.db.case).to.equal(stub.case);
    expect(stub.db.levels).to.equal(stub.container.resolve(ALL_REPOSITORIES[4]));
  });

  it('runs the callback of every method that takes one and returns its result, as the real methods do', async () => {
    const stub = createStubDatabase(sandbox);
    const checked: string[] = [];
    for (const { label, instance, callbacks } of surfaces(stub)) {
      for (const name of callbacks) {
        const callback = sinon.fake(async (..._args: unknown[]) => `${label}.${name} ran`);
        const method = instance[name] as sinon.SinonStub;
        const calls = method.callCount;
        expect(await method.call(instance, callback), `${label}.${name}`).to.equal(`${label}.${name} ran`);
        expect(callback.callCount, `${label}.${name} runs its callback once`).to.equal(1);
        // withSession hands the callback the repository itself, as the real one does.
        if (name === 'withSession') expect(callback.firstCall.args[0], `${label}.withSession`).to.equal(instance);
        expect(method.callCount - calls, `${label}.${name} records the call`).to.equal(1);
        checked.push(`${label}.${name}`);
      }
    }
    // The derivation found what it must: withSession on every repository, transaction and run.
    expect(checked).to.include.members([...ALL_REPOSITORIES.map((r) => `${r.name}.withSession`), 'DatabaseCoordinator.transaction', 'UnitOfWork.run']);
  });

  it('runs bot code written in the seed’s with_session pattern, so its writes can be asserted', async () => {
    const stub = createStubDatabase(sandbox);
    stub.case.createCase.resolves(Object.assign(new Case(), { caseNumber: 3 }));
    const values = { caseType: CaseType.WARN, caseUserId: '10', caseModeratorId: '20', guildId: '1' };
    const created = await stub.db.transaction(() => stub.db.case.withSession(async (cases) => (await cases.createCase(values)).caseNumber));
    expect(created).to.equal(3);
    sinon.assert.calledOnceWithExactly(stub.case.createCase, values);
    // Typed as stubs: no cast needed to assert on the coordinator's own methods, its unit of work or its service.
    sinon.assert.calledOnce(stub.db.transaction);
    sinon.assert.calledOnce(stub.db.unitOfWork.run);
    stub.db.health.resolves({ status: 'healthy' } as Awaited<ReturnType<typeof stub.db.health>>);
    expect((await stub.db.health()).status).to.equal('healthy');
    stub.db.service.serverMajorVersion.returns(15);
    expect(stub.db.service.serverMajorVersion()).to.equal(15);
    sinon.assert.notCalled(stub.db.close);
  });
});
