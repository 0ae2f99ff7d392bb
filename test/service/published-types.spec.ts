import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';

// npm test builds dist/ before mocha runs (the package-exports spec relies on it too).
const DIST = path.join(__dirname, '..', '..', 'dist', 'src');
const declarations = (file: string) => fs.readFileSync(path.join(DIST, file), 'utf8');

describe('the published types', () => {
  it('leave the service’s unit-of-work plumbing out (stripInternal)', () => {
    const service = declarations('service/database-service.d.ts');
    for (const internal of ['transactions', 'beginUnit', 'endUnit', 'openUnitConnection', 'closedUnderRunningUnits']) {
      expect(service, internal).not.to.match(new RegExp(`\\b${internal}\\b`));
    }
    expect(service, 'the public side stays').to.match(/\bquery<R/).and.to.match(/\brun<R/).and.to.match(/\bhealth\(\)/);
  });

  it('give repositories the StatementRunner seam, not the whole service', () => {
    const base = declarations('repositories/base-repository.d.ts');
    expect(base).to.match(/protected readonly runner: StatementRunner;/);
    expect(base).not.to.match(/readonly service\b/);
  });
});
