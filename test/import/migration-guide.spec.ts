import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BaseRepository } from '../../src/repositories/base-repository';
import { REPOSITORY_TABLE } from '../../src/repositories/repository-table';

// No database: the guide and the fixture are text, the repositories are only inspected through their prototypes.

interface TuxMethodFixture {
  readonly source: string;
  readonly controllers: Readonly<Record<string, { readonly file: string; readonly methods: readonly string[] }>>;
}

/** One method row of a controller table in docs/migrating-from-tux.md. */
interface GuideRow {
  readonly controller: string;
  readonly python: string;
  readonly home: string;
  readonly differences: string;
  readonly line: number;
}

const ROOT = join(__dirname, '..', '..');
const GUIDE = readFileSync(join(ROOT, 'docs', 'migrating-from-tux.md'), 'utf8');
const FIXTURE = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'tux-controller-methods.json'), 'utf8')) as TuxMethodFixture;

// `db.case.getById(`: the repository under that coordinator name; `repository.findAll(`: any repository (BaseRepository).
const CALL = /\b(?:db\.(\w+)|repository)\.(\w+)\(/g;
const NO_EQUIVALENT = /^no equivalent\b/i;

/** Cells of a Markdown table row, split on pipes that are not escaped. */
function cells(line: string): string[] {
  return line.trim().replace(/^\|/, '').replace(/\|$/, '').split(/(?<!\\)\|/).map((c) => c.trim());
}

/** The method rows of every `### XController` section; a `## ` heading ends the controller part. */
function parseGuide(text: string): GuideRow[] {
  const rows: GuideRow[] = [];
  let controller: string | undefined;
  text.split('\n').forEach((line, index) => {
    const heading = /^(#{2,3}) (\S+)/.exec(line);
    if (heading) {
      controller = heading[1] === '###' && heading[2]?.endsWith('Controller') ? heading[2] : undefined;
      return;
    }
    if (controller === undefined || !line.startsWith('|')) return;
    const [python = '', home = '', differences = ''] = cells(line);
    const name = /^`(\w+)\(/.exec(python)?.[1];
    if (name === undefined) return; // the header and separator rows
    rows.push({ controller, python: name, home, differences, line: index + 1 });
  });
  return rows;
}

/** Whether `name` is a method of the class whose prototype this is, inherited ones included (getters are not methods). */
function hasMethod(prototype: object, name: string): boolean {
  for (let p: object | null = prototype; p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
    const descriptor = Object.getOwnPropertyDescriptor(p, name);
    if (descriptor) return name !== 'constructor' && typeof descriptor.value === 'function';
  }
  return false;
}

/** Everything wrong with the guide against the fixture; empty when every Tux method has a checked home. */
function guideProblems(guide: string, fixture: TuxMethodFixture): string[] {
  const problems: string[] = [];
  const rows = parseGuide(guide);
  const expected = new Set<string>();
  for (const [controller, { methods }] of Object.entries(fixture.controllers)) {
    for (const signature of methods) {
      const name = signature.slice(0, signature.indexOf('('));
      expected.add(`${controller}.${name}`);
      const found = rows.filter((r) => r.controller === controller && r.python === name);
      if (found.length === 0) problems.push(`${controller}.${name} has no row`);
      if (found.length > 1) problems.push(`${controller}.${name} has ${found.length} rows (lines ${found.map((r) => r.line).join(', ')})`);
    }
  }
  for (const row of rows) {
    const where = `line ${row.line} (${row.controller}.${row.python})`;
    if (!expected.has(`${row.controller}.${row.python}`)) problems.push(`${where}: not a method of the fixture`);
    if (NO_EQUIVALENT.test(row.home)) {
      if (row.differences.length === 0) problems.push(`${where}: "no equivalent" without a reason`);
      continue;
    }
    const calls = [...row.home.matchAll(CALL)];
    if (calls.length === 0) problems.push(`${where}: the home names no repository method and is not marked "no equivalent"`);
    for (const [call, repositoryName, method = ''] of calls) {
      const repository = repositoryName === undefined ? BaseRepository : REPOSITORY_TABLE.find((r) => r.name === repositoryName)?.repository;
      if (repository === undefined) problems.push(`${where}: db.${repositoryName} is not a repository`);
      else if (!hasMethod(repository.prototype, method)) problems.push(`${where}: ${call} names a method ${repository.name} does not have`);
    }
  }
  return problems;
}

describe('the migration guide (docs/migrating-from-tux.md)', () => {
  it('reads the fixture of every Tux controller method, with its source noted', () => {
    expect(FIXTURE.source).to.match(/allthingslinux\/tux main c0e1a1e8/);
    expect(Object.keys(FIXTURE.controllers)).to.have.length(13);
    expect(Object.values(FIXTURE.controllers).reduce((n, c) => n + c.methods.length, 0)).to.equal(199);
  });

  it('gives every Tux controller method a row whose home is a real repository method or a reasoned "no equivalent"', () => {
    expect(guideProblems(GUIDE, FIXTURE)).to.deep.equal([]);
    expect(parseGuide(GUIDE)).to.have.length(199);
  });

  it('reports a method whose row is removed', () => {
    const without = GUIDE.split('\n').filter((l) => !l.startsWith('| `get_latest_jail_case(')).join('\n');
    expect(guideProblems(without, FIXTURE)).to.deep.equal(['CaseController.get_latest_jail_case has no row']);
  });

  it('reports a home naming a method the repository does not have', () => {
    const renamed = GUIDE.replace('`db.case.getLatestJailCase(userId, guildId)`', '`db.case.getLatestJailCases(userId, guildId)`');
    expect(guideProblems(renamed, FIXTURE)).to.deep.equal([
      `line ${lineOf('| `get_latest_jail_case(')} (CaseController.get_latest_jail_case): db.case.getLatestJailCases( names a method CaseRepository does not have`,
    ]);
  });

  it('reports a home on a repository the coordinator does not have', () => {
    const wrong = GUIDE.replace('`db.afk.isMemberAfk(userId, guildId)` | Same:', '`db.away.isMemberAfk(userId, guildId)` | Same:');
    expect(guideProblems(wrong, FIXTURE)).to.deep.equal([`line ${lineOf('| `is_member_afk(')} (AfkController.is_member_afk): db.away is not a repository`]);
  });

  it('accepts an inherited method on any repository, and reports a "no equivalent" without a reason', () => {
    const inherited = GUIDE.replace('`repository.count({ filters })`', '`db.reminder.count({ filters })`');
    expect(guideProblems(inherited, FIXTURE)).to.deep.equal([]);
    const unreasoned = GUIDE.replace(/^(\| `update_general_channel_id\([^|]*\| no equivalent \|).*$/m, '$1 |');
    expect(guideProblems(unreasoned, FIXTURE)).to.deep.equal([
      `line ${lineOf('| `update_general_channel_id(')} (GuildConfigController.update_general_channel_id): "no equivalent" without a reason`,
    ]);
  });
});

function lineOf(prefix: string): number {
  return GUIDE.split('\n').findIndex((l) => l.startsWith(prefix)) + 1;
}
