import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { ValidationError } from '../../src/errors/validation-error';
import { migrationNames } from '../../src/service/migrations';
import { loadMigrations } from '../../src/migrations/consumer-migrations';
import { resolveOptions } from '../../src/config';

describe('migrationNames', () => {
  it('slugifies any name into a file slug and a class name', () => {
    expect(migrationNames('add new field')).to.deep.equal({ slug: 'add-new-field', pascal: 'AddNewField' });
    expect(migrationNames('addNewField')).to.deep.equal({ slug: 'add-new-field', pascal: 'AddNewField' });
    expect(migrationNames('  Add   new_field!! ')).to.deep.equal({ slug: 'add-new-field', pascal: 'AddNewField' });
    expect(migrationNames('ajouter le café')).to.deep.equal({ slug: 'ajouter-le-cafe', pascal: 'AjouterLeCafe' });
    expect(migrationNames('../../etc/passwd')).to.deep.equal({ slug: 'etc-passwd', pascal: 'EtcPasswd' });
    expect(migrationNames('2fa tokens')).to.deep.equal({ slug: '2fa-tokens', pascal: 'Migration2faTokens' });
  });

  it('refuses a name with no letter or digit, or one too long', () => {
    expect(() => migrationNames('../..')).to.throw(ValidationError, /must hold a letter or a digit/);
    expect(() => migrationNames('日本語')).to.throw(ValidationError, /must hold a letter or a digit/);
    expect(() => migrationNames('x'.repeat(65))).to.throw(ValidationError, /at most 64/);
  });
});

describe('TUX_DB_MIGRATIONS', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tux-db-load-'));
    await writeFile(path.join(dir, 'b.js'), `class B1796000000002 { async up() {} async down() {} }\nexports.B1796000000002 = B1796000000002;\nexports.default = B1796000000002;\n`);
    await writeFile(path.join(dir, 'a.js'), `class A1796000000001 { async up() {} async down() {} }\nexports.A1796000000001 = A1796000000001;\nexports.helper = () => 1;\n`);
    await writeFile(path.join(dir, 'a.js.map'), '{}');
    await writeFile(path.join(dir, 'list.cjs'), `exports.migrations = [class C1796000000003 { async up() {} async down() {} }];\n`);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('loads every migration class of a directory’s .js files, in file order, once each', () => {
    expect(loadMigrations(dir).map((m) => m.name)).to.deep.equal(['A1796000000001', 'B1796000000002', 'C1796000000003']);
  });

  it('counts a class once when the directory also holds the index module listing it, the one list the docs suggest', async () => {
    const withIndex = await mkdtemp(path.join(os.tmpdir(), 'tux-db-load-index-'));
    try {
      await writeFile(path.join(withIndex, '1796000000004-notes.js'), `class D1796000000004 { async up() {} async down() {} }\nexports.D1796000000004 = D1796000000004;\n`);
      await writeFile(path.join(withIndex, 'index.js'), `exports.migrations = [require('./1796000000004-notes').D1796000000004];\n`);
      expect(loadMigrations(withIndex).map((m) => m.name)).to.deep.equal(['D1796000000004']);
      // Two different classes of one name stay an error.
      await writeFile(path.join(withIndex, 'zz-copy.js'), `exports.D1796000000004 = class D1796000000004 { async up() {} async down() {} };\n`);
      expect(() => loadMigrations(withIndex)).to.throw(ValidationError, /"D1796000000004" is listed twice/);
    } finally {
      await rm(withIndex, { recursive: true, force: true });
    }
  });

  it('loads the `migrations` array of a module, relative to the working directory', () => {
    expect(loadMigrations('list.cjs', dir).map((m) => m.name)).to.deep.equal(['C1796000000003']);
    expect(resolveOptions({}, { TUX_DB_MIGRATIONS: path.join(dir, 'list.cjs') }).migrations.map((m) => m.name)).to.deep.equal(['C1796000000003']);
  });

  it('is overridden by the migrations option, and refused when the path does not exist', () => {
    expect(resolveOptions({ migrations: [] }, { TUX_DB_MIGRATIONS: path.join(dir, 'nowhere') }).migrations).to.deep.equal([]);
    expect(() => resolveOptions({}, { TUX_DB_MIGRATIONS: path.join(dir, 'nowhere') })).to.throw(ValidationError, /env\.TUX_DB_MIGRATIONS .*does not exist/);
  });
});
