import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';

const SRC = path.join(__dirname, '..', '..', 'src');

/** The room of a file under src/: its top folder, or the file itself (without `.ts`, as imports name it) at the top. */
function room(file: string): string {
  const [first, second] = path.relative(SRC, file).split(path.sep);
  return second === undefined ? (first ?? '').replace(/\.ts$/, '') : `${first}/`;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

/** Which rooms each room imports (relative imports only). */
function roomImports(): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const file of sourceFiles(SRC)) {
    for (const [, target] of fs.readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
      const to = room(path.resolve(path.dirname(file), target as string));
      const from = room(file);
      if (to !== from) edges.set(from, (edges.get(from) ?? new Set()).add(to));
    }
  }
  return edges;
}

describe('the folders of src/', () => {
  it('import each other without a cycle (a folder never reaches itself through another)', () => {
    const edges = roomImports();
    const cycles: string[] = [];
    // Depth-first search from every room; a room already on the path closes a cycle.
    const visit = (node: string, trail: string[]): void => {
      if (trail.includes(node)) {
        cycles.push([...trail.slice(trail.indexOf(node)), node].join(' → '));
        return;
      }
      for (const next of edges.get(node) ?? []) visit(next, [...trail, node]);
    };
    for (const node of edges.keys()) visit(node, []);
    expect(edges.size, 'the walk found the folders').to.be.greaterThan(5);
    expect([...new Set(cycles)]).to.deep.equal([]);
  });
});
