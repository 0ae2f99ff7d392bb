import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import sinon from 'sinon';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import * as packageRoot from '../../src/index';
import { registerDatabase } from '../../src/container';
import { DatabaseCoordinator, REPOSITORIES } from '../../src/coordinator';
import { ALL_ENTITIES } from '../../src/entities/all-entities';
import { ALL_REPOSITORIES } from '../../src/repositories/all-repositories';
import { BaseRepository } from '../../src/repositories/base-repository';
import { REPOSITORY_TABLE } from '../../src/repositories/repository-table';
import { createStubDatabase } from '../../src/testing/stub-database';

const REPOSITORIES_DIR = path.join(__dirname, '..', '..', 'src', 'repositories');
const NAMES = REPOSITORY_TABLE.map((r) => r.name);

/** Every concrete repository class a src/repositories/*-repository.ts file exports, read from the files themselves. */
function repositoryClassesInSource(): Set<unknown> {
  const found = new Set<unknown>();
  for (const file of readdirSync(REPOSITORIES_DIR).filter((f) => f.endsWith('-repository.ts'))) {
    for (const value of Object.values(require(path.join(REPOSITORIES_DIR, file)) as Record<string, unknown>)) {
      if (typeof value === 'function' && value.prototype instanceof BaseRepository) found.add(value);
    }
  }
  return found;
}

/** A container with the database registered but never connected (nothing listens on port 1): registrations only. */
function registeredContainer(): DependencyContainer {
  const container = rootContainer.createChildContainer();
  registerDatabase(container, { url: 'postgres://postgres@127.0.0.1:1/unused', migrate: false });
  return container;
}

describe('REPOSITORY_TABLE', () => {
  const sandbox = sinon.createSandbox();
  afterEach(() => sandbox.restore());

  it('has one row per repository class in src/repositories and per entity, each with the entity its repository stores', () => {
    expect(new Set(NAMES).size, 'names are unique').to.equal(NAMES.length);
    expect(new Set(REPOSITORY_TABLE.map((r) => r.repository)), 'the classes in src/repositories/*-repository.ts').to.deep.equal(repositoryClassesInSource());
    expect(new Set(REPOSITORY_TABLE.map((r) => r.entity)), 'ALL_ENTITIES').to.deep.equal(new Set(ALL_ENTITIES));
    const container = registeredContainer();
    for (const { name, repository, entity } of REPOSITORY_TABLE) {
      const instance = container.resolve<object>(repository);
      expect((instance as unknown as { entity: unknown }).entity, `${name}: ${repository.name} stores ${entity.name}`).to.equal(entity);
    }
    expect([...ALL_REPOSITORIES]).to.deep.equal(REPOSITORY_TABLE.map((r) => r.repository));
  });

  it('is what the container registers: each repository under its class, all of them under REPOSITORIES, and the coordinator’s', () => {
    const container = registeredContainer();
    const repositories = container.resolve(REPOSITORIES);
    expect(Object.keys(repositories)).to.deep.equal(NAMES);
    const db = container.resolve(DatabaseCoordinator);
    expect(Object.keys(db).filter((key) => key !== 'service' && key !== 'unitOfWork'), 'the coordinator’s repository properties').to.deep.equal(NAMES);
    for (const { name, repository } of REPOSITORY_TABLE) {
      expect(container.isRegistered<object>(repository), `${repository.name} is registered`).to.equal(true);
      const registered = container.resolve<object>(repository);
      expect(registered, `${repository.name} is a singleton`).to.equal(container.resolve<object>(repository)).and.to.be.instanceOf(repository);
      expect(repositories[name], `REPOSITORIES.${name}`).to.equal(registered);
      expect(db[name], `db.${name}`).to.equal(registered);
    }
  });

  it('is what the stub kit stubs, under the same names and class tokens as the real database', () => {
    const stub = createStubDatabase(sandbox);
    expect(Object.keys(stub).filter((key) => key !== 'db' && key !== 'container'), 'the stub kit’s repositories').to.deep.equal(NAMES);
    expect(Object.keys(stub.container.resolve(REPOSITORIES))).to.deep.equal(NAMES);
    for (const { name, repository } of REPOSITORY_TABLE) {
      expect(stub[name], `stub.${name}`).to.be.instanceOf(repository);
      expect(stub.db[name], `stub.db.${name}`).to.equal(stub[name]);
      expect(stub.container.resolve<object>(repository), `the stub container's ${repository.name}`).to.equal(stub[name]);
    }
  });

  it('is exported from the package root: every repository and entity class under its own name, and no repository outside it', () => {
    const exported = packageRoot as Record<string, unknown>;
    for (const { repository, entity } of REPOSITORY_TABLE) {
      expect(exported[repository.name], `src/index.ts exports ${repository.name}`).to.equal(repository);
      expect(exported[entity.name], `src/index.ts exports ${entity.name}`).to.equal(entity);
    }
    const tableClasses = new Set<unknown>(REPOSITORY_TABLE.map((r) => r.repository));
    for (const [name, value] of Object.entries(exported)) {
      if (typeof value === 'function' && value.prototype instanceof BaseRepository) expect(tableClasses.has(value), `${name} has a row in REPOSITORY_TABLE`).to.equal(true);
    }
    expect(exported['REPOSITORY_TABLE']).to.equal(REPOSITORY_TABLE);
  });

  it('is the list of repositories the README gives for the coordinator', () => {
    const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const start = readme.indexOf('`createDatabase(options?)` returns a `DatabaseCoordinator`');
    expect(start, 'the README describes what createDatabase returns').to.not.equal(-1);
    const paragraph = readme.slice(start, readme.indexOf('\n\n', start));
    const mentioned = new Set([...paragraph.matchAll(/`db\.(\w+)/g)].map((m) => m[1]));
    expect(mentioned).to.deep.equal(new Set([...NAMES, 'transaction', 'health', 'close', 'service', 'unitOfWork']));
  });
});
