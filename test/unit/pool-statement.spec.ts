import { expect } from 'chai';
import { compile, param, sql } from '../../src/query/sql';
import type { Touches } from '../../src/query/touches';
import { mayRerunAfterLostConnection } from '../../src/service/pool-statement';

describe('mayRerunAfterLostConnection (which statements may run again after a lost connection)', () => {
  const declared = (touches: Touches): Touches => touches;

  it('lets a statement declared as writing nothing and locking nothing run again', () => {
    expect(mayRerunAfterLostConnection(declared({ reads: ['cases'], writes: [], locks: false }))).to.equal(true);
    expect(mayRerunAfterLostConnection(declared({ reads: ['permission_assignments', 'permission_ranks'], writes: [], locks: false, guildAt: 0 }))).to.equal(true);
    // A statement that reads no table at all (verifyLevelFormula) is still a read.
    expect(mayRerunAfterLostConnection(declared({ reads: [], writes: [], locks: false }))).to.equal(true);
  });

  it('never runs again a statement that declares a write, even one that also reads', () => {
    expect(mayRerunAfterLostConnection(declared({ reads: [], writes: ['guild'], locks: false }))).to.equal(false);
    expect(mayRerunAfterLostConnection(declared({ reads: ['snippet'], writes: ['snippet'], locks: false }))).to.equal(false);
  });

  it('never runs again a locking read (SELECT … FOR UPDATE), whose lock was lost with the connection', () => {
    expect(mayRerunAfterLostConnection(declared({ reads: ['reminder'], writes: [], locks: true }))).to.equal(false);
  });

  it('never runs again an undeclared statement (a raw caller’s): it counts as an unknown write', () => {
    expect(mayRerunAfterLostConnection(undefined)).to.equal(false);
  });

  it('decides from the declaration compile attaches, not from the text', () => {
    // Text that reads like a SELECT but is declared a write, and the other way round.
    const write = compile(sql`SELECT nextval('s'), ${1}`, { reads: [], writes: ['cases'] });
    const read = compile(sql`SELECT "update" FROM "t" WHERE "insert" = ${param(2)}`, { reads: ['t'], writes: [] });
    expect(mayRerunAfterLostConnection(write.touches)).to.equal(false);
    expect(mayRerunAfterLostConnection(read.touches)).to.equal(true);
    expect(mayRerunAfterLostConnection(compile(sql`SELECT 1`).touches)).to.equal(false);
  });
});
