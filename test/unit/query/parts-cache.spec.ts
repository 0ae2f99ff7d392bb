import { expect } from 'chai';
import { PartsCache } from '../../../src/query/parts-cache';

describe('PartsCache', () => {
  const a = { name: 'a' };
  const b = { name: 'b' };

  it('finds a value by its owner, head and parts, in order, parts compared as Map keys (objects by identity)', () => {
    const cache = new PartsCache<object, string>(10);
    const owner = {};
    cache.remember(owner, 'count', [a, b], 'ab');
    cache.remember(owner, 'count', [b, a], 'ba');
    cache.remember(owner, 'count', [], 'none');
    cache.remember(owner, 'exists', [a, b], 'exists ab');
    expect(cache.lookup(owner, 'count', [a, b])).to.equal('ab');
    expect(cache.lookup(owner, 'count', [b, a])).to.equal('ba');
    expect(cache.lookup(owner, 'count', [])).to.equal('none');
    expect(cache.lookup(owner, 'exists', [a, b])).to.equal('exists ab');
    // A path that only begins a kept one, an equal-looking copy of a part, another owner: nothing kept.
    expect(cache.lookup(owner, 'count', [a])).to.equal(undefined);
    expect(cache.lookup(owner, 'count', [{ ...a }, b])).to.equal(undefined);
    expect(cache.lookup({}, 'count', [a, b])).to.equal(undefined);
    expect(cache.lookup(owner, 'count', [a, b, 'limit'])).to.equal(undefined);
  });

  it('keeps at most maxPerOwner values per owner, replacing a kept one without counting it twice', () => {
    const cache = new PartsCache<object, number>(2);
    const owner = {};
    cache.remember(owner, 'k', [a], 1);
    cache.remember(owner, 'k', [a], 2);
    cache.remember(owner, 'k', [b], 3);
    cache.remember(owner, 'k', [a, b], 4);
    expect([cache.lookup(owner, 'k', [a]), cache.lookup(owner, 'k', [b]), cache.lookup(owner, 'k', [a, b])]).to.deep.equal([2, 3, undefined]);
    // The bound is per owner.
    const other = {};
    cache.remember(other, 'k', [a, b], 5);
    expect(cache.lookup(other, 'k', [a, b])).to.equal(5);
  });
});
