import { expect } from 'chai';
import type { CachedValue } from '../../src/cache/cache-store';
import { MemoryStore } from '../../src/cache/memory-store';
import { scopesOf } from '../../src/cache/statement-cache';

const value = (prefix: string): CachedValue => ({ command: 'SELECT', rowCount: 1, rows: [{ prefix }] });
const SCOPES = scopesOf(['guild_config'], '42');

// Looks `key` up and fills it with `v` when it missed, as a read does; returns what the lookup found.
function readThrough(store: MemoryStore, key: string, v: CachedValue): CachedValue | undefined {
  const found = store.lookup(key);
  if (found.value === undefined) store.fill(key, SCOPES, found.token, v, 60_000);
  return found.value;
}

describe('scopesOf', () => {
  it('scopes a guild table by guild, and a member table by member too (a read of one member)', () => {
    expect(scopesOf(['guild_config'], '42')).to.deep.equal(['guild_config:42', 'guild_config:*']);
    expect(scopesOf(['guild_config'], '42:7'), 'a guild table ignores the member').to.deep.equal(['guild_config:42', 'guild_config:*']);
    expect(scopesOf(['levels'], '42:7')).to.deep.equal(['levels:42:7', 'levels:42', 'levels:*']);
  });
});

describe('MemoryStore', () => {
  it('drops a member’s entry for their own scope or their guild’s, and keeps the other members’', () => {
    const store = new MemoryStore(10);
    const member = (user: string): string[] => scopesOf(['levels'], `42:${user}`);
    for (const user of ['7', '8']) {
      const found = store.lookup(user);
      store.fill(user, member(user), found.token ?? 0, value(user), 60_000);
    }
    store.invalidate(['levels:42:7']);
    expect(store.lookup('7').value).to.equal(undefined);
    expect(store.lookup('8').value, 'another member').to.deep.equal(value('8'));
    store.invalidate(['levels:42']);
    expect(store.lookup('8').value, 'the whole guild').to.equal(undefined);
  });

  it('keeps a filled value until a scope it depends on is invalidated', () => {
    const store = new MemoryStore(10);
    expect(readThrough(store, 'k', value('!'))).to.equal(undefined);
    expect(store.lookup('k').value).to.deep.equal(value('!'));
    store.invalidate(['guild_config:7']);
    expect(store.lookup('k').value, 'another guild').to.deep.equal(value('!'));
    store.invalidate(['guild_config:42']);
    expect(store.lookup('k').value).to.equal(undefined);
  });

  it('drops a whole table with its `*` scope, and everything with flush()', () => {
    const store = new MemoryStore(10);
    readThrough(store, 'k', value('!'));
    store.invalidate(['guild_config:*']);
    expect(store.lookup('k').value).to.equal(undefined);
    readThrough(store, 'k', value('!'));
    store.flush();
    expect(store.lookup('k').value).to.equal(undefined);
  });

  it('never stores a value whose lookup came before an invalidation of its scope (race-free refill)', () => {
    const store = new MemoryStore(10);
    const found = store.lookup('k');
    // The statement ran meanwhile, and a write to the same guild committed before the fill.
    store.invalidate(['guild_config:42']);
    store.fill('k', SCOPES, found.token ?? 0, value('old'), 60_000);
    expect(store.lookup('k').value).to.equal(undefined);
    // A lookup after the invalidation fills normally.
    readThrough(store, 'k', value('new'));
    expect(store.lookup('k').value).to.deep.equal(value('new'));
  });

  it('never stores a value whose lookup came before a flush', () => {
    const store = new MemoryStore(10);
    const found = store.lookup('k');
    store.flush();
    store.fill('k', SCOPES, found.token ?? 0, value('old'), 60_000);
    expect(store.lookup('k').value).to.equal(undefined);
  });

  it('evicts the least recently used entry past its bound, and counts evictions and expiries', async () => {
    const store = new MemoryStore(2);
    readThrough(store, 'a', value('a'));
    readThrough(store, 'b', value('b'));
    expect(store.lookup('a').value, 'a is now the most recent').to.deep.equal(value('a'));
    readThrough(store, 'c', value('c'));
    expect(store.lookup('b').value, 'b was the least recently used').to.equal(undefined);
    expect(store.lookup('a').value).to.deep.equal(value('a'));
    const token = store.lookup('short').token ?? 0;
    store.fill('short', SCOPES, token, value('s'), -1);
    expect(store.lookup('short').value, 'expired').to.equal(undefined);
    // Evicted: b, then c (to make room for short); expired: short.
    expect(await store.counts()).to.deep.equal({ entries: 1, evictions: 3 });
  });

  it('keeps a hot entry through a stream of fills, though it moves back only every quarter of the bound’s hits', () => {
    const store = new MemoryStore(8);
    readThrough(store, 'hot', value('hot'));
    for (let i = 0; i < 100; i++) {
      readThrough(store, `cold ${i}`, value('cold'));
      expect(store.lookup('hot').value, `after ${i + 1} fills`).to.deep.equal(value('hot'));
    }
    expect(store.lookup('cold 0').value, 'the cold ones went').to.equal(undefined);
  });
});
