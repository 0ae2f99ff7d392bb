import { expect } from 'chai';
import { parseLsn } from '../../src/service/lsn';
import { WriteTracker } from '../../src/service/write-tracker';

// A context of its own for the tracker's AsyncLocalStorage: the test's own context would be shared by every case.
const inOwnContext = async <T>(fn: () => Promise<T>): Promise<T> => {
  await null;
  return fn();
};

describe('WriteTracker (read-your-writes tickets)', () => {
  it('counts a ticket as completed only when it and every earlier one settled', () => {
    const writes = new WriteTracker('process');
    const a = writes.begin();
    const b = writes.begin();
    const c = writes.begin();
    expect(writes.completedThrough()).to.equal(0);
    writes.end(b);
    expect(writes.completedThrough(), 'a is still in flight').to.equal(0);
    writes.end(a);
    expect(writes.completedThrough(), 'c is still in flight').to.equal(b);
    writes.end(c);
    expect(writes.completedThrough()).to.equal(c);
  });

  it('in process scope, a read owes every settled write of the process', () =>
    inOwnContext(async () => {
      const writes = new WriteTracker('process');
      const ticket = await inOwnContext(async () => {
        const t = writes.begin();
        writes.end(t);
        return t;
      });
      expect(writes.required()).to.equal(ticket);
    }));

  it('in context scope, a write raises what its own context owes, not what another context opened with scope() owes', () =>
    inOwnContext(async () => {
      const writes = new WriteTracker('context');
      await writes.scope(async () => {
        expect(writes.required()).to.equal(0);
        const other = writes.scope(() => inOwnContext(async () => writes.required()));
        const ticket = writes.begin();
        await null;
        writes.end(ticket);
        expect(writes.required()).to.equal(ticket);
        expect(await other).to.equal(0);
      });
    }));

  it('in context scope, a context with no holder yet owes every write issued so far, in flight ones included', () =>
    inOwnContext(async () => {
      const writes = new WriteTracker('context');
      const inFlight = await writes.scope(async () => writes.begin());
      expect(await inOwnContext(async () => writes.required())).to.equal(inFlight);
    }));
});

describe('parseLsn', () => {
  it('orders WAL positions as numbers, across the 32-bit halves', () => {
    expect(parseLsn('0/16B3748')).to.equal(0x16b3748n);
    expect(parseLsn('1/0') > parseLsn('0/FFFFFFFF')).to.equal(true);
    expect(() => parseLsn('16-B374D848')).to.throw(/not a WAL position/);
  });
});
