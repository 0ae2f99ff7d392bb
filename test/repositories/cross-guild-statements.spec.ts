import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { CROSS_GUILD_STATEMENTS } from '../../src/repositories/cross-guild-statements';

const OPERATORS = path.join(__dirname, '..', '..', 'docs', 'operators.md');

describe('CROSS_GUILD_STATEMENTS', () => {
  it('is what docs/operators.md lists under "Distribution by guild (Citus)": per repository, the same methods', () => {
    const text = readFileSync(OPERATORS, 'utf8');
    const section = text.slice(text.indexOf('### Distribution by guild (Citus)'));
    expect(section, 'the section').to.match(/^### Distribution by guild/);
    const documented = new Map<string, string[]>();
    for (const row of section.matchAll(/^\| `db\.(\w+)` \| (.+) \|$/gm)) {
      documented.set(row[1] ?? '', [...(row[2] ?? '').matchAll(/`(\w+)`/g)].map((m) => m[1] ?? '').sort());
    }
    const listed = new Map<string, string[]>();
    for (const { repository, methods } of CROSS_GUILD_STATEMENTS) listed.set(repository, [...(listed.get(repository) ?? []), ...methods].sort());
    expect(Object.fromEntries(documented)).to.deep.equal(Object.fromEntries(listed));
  });
});
