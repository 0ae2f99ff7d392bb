import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import * as packageRoot from '../src/index';
import type { BulkUpdate, GuildCasesOptions, GuildLevelStats, JailConfig, LogChannelIds, NewAliasOptions, Snippet } from '../src/index';

const SRC = path.join(__dirname, '..', 'src');

/** Every TypeScript file under `dir`. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(path.join(dir, entry.name)) : entry.name.endsWith('.ts') ? [path.join(dir, entry.name)] : [],
  );
}

/** Every error class a module under src/ exports, by name, read from the modules themselves. */
function errorClasses(): Map<string, unknown> {
  const found = new Map<string, unknown>();
  for (const file of sourceFiles(SRC)) {
    for (const [name, value] of Object.entries(require(file) as Record<string, unknown>)) {
      if (typeof value === 'function' && value.prototype instanceof Error) found.set(name, value);
    }
  }
  return found;
}

// What a bot author imports: the package root and the `tux-database/testing` subpath, as built by
// `npm run build` (which `npm install` runs through the prepare script).
describe('the package exports', () => {
  it('resolve the root and the testing subpath to the built library', () => {
    const root = require('tux-database') as Record<string, unknown>;
    const testing = require('tux-database/testing') as Record<string, unknown>;
    expect(root['createDatabase']).to.be.a('function');
    expect(root['CaseRepository']).to.be.a('function');
    expect(testing['createStubDatabase']).to.be.a('function');
  });

  it('export every error class the library defines from the root, as the guide’s error tree lists them', () => {
    const classes = errorClasses();
    expect([...classes.keys()]).to.include.members(['DatabaseError', 'ValidationError', 'DatabaseConnectionError', 'EmbeddedServerError']);
    const exported = packageRoot as Record<string, unknown>;
    for (const [name, value] of classes) expect(exported[name], `${name} is exported from src/index.ts`).to.equal(value);
    const guide = readFileSync(path.join(__dirname, '..', 'docs', 'guide.md'), 'utf8');
    const section = guide.slice(guide.indexOf('## Errors'));
    const tree = section.slice(section.indexOf('```text'), section.indexOf('```', section.indexOf('```text') + 7));
    for (const name of classes.keys()) expect(tree, `the guide's error tree names ${name}`).to.match(new RegExp(`\\b${name}\\b`));
    expect(tree, 'the guide calls every error class exported').to.not.match(/not exported/i);
  });

  it('export the Tux-parity helpers and option/result types from the root', () => {
    const root = require('tux-database') as Record<string, unknown>;
    for (const name of ['tuxLevelFormula', 'DEFAULT_RANKS', 'RESTRICTED_COMMANDS']) {
      expect(root[name], `${name} is exported from the built package`).to.not.equal(undefined);
      expect(typeof root[name]).to.equal(typeof (packageRoot as Record<string, unknown>)[name]);
    }
    expect(packageRoot.tuxLevelFormula(2).levelFor(500)).to.equal(5);
    expect(packageRoot.DEFAULT_RANKS.map((r) => r.rank)).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(packageRoot.RESTRICTED_COMMANDS.has('jsk')).to.equal(true);
    // The types only need to name something: tsc --noEmit fails when one is not exported.
    const typed: [GuildCasesOptions?, NewAliasOptions?, JailConfig?, LogChannelIds?, GuildLevelStats?, BulkUpdate<Snippet, string>?] = [];
    expect(typed).to.deep.equal([]);
  });
});
