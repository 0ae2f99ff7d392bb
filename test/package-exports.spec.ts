import { expect } from 'chai';

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
});
