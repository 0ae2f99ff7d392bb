import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';

const ROOT = path.join(__dirname, '..');

// The API reference is generated from the doc comments (typedoc.json treats every warning as an error: a broken
// {@link}, an unknown tag). This builds it, as `npm run docs` does, into a temporary directory.
describe('the API reference (npm run docs)', function () {
  this.timeout(180_000);

  it('builds from the doc comments with no warning', () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'tux-docs-'));
    try {
      const run = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'typedoc', 'bin', 'typedoc'), '--out', out], { cwd: ROOT, encoding: 'utf8' });
      expect(run.status, `${run.stdout}\n${run.stderr}`).to.equal(0);
      expect(existsSync(path.join(out, 'index.html'))).to.equal(true);
      expect(existsSync(path.join(out, 'classes', 'index.CaseRepository.html')), 'a page per exported class').to.equal(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
