import { expect } from 'chai';
import type { CachedValue } from '../../src/cache/cache-store';
import { MemoryStore } from '../../src/cache/memory-store';
import { RedisStore, loadRedis } from '../../src/cache/redis-store';
import { MAX_MEMBER_TTL_SECONDS } from '../../src/config';
import { scopesOf } from '../../src/cache/statement-cache';
import { TieredStore } from '../../src/cache/tiered-store';
import { DatabaseError } from '../../src/errors/database-error';
import { DatabaseConnectionError } from '../../src/errors/connection-error';
import { randomSnowflake } from '../support/fixtures';
import { TEST_REDIS_URL, redisAnswers } from '../support/cache';

const value = (prefix: string): CachedValue => ({ command: 'SELECT', rowCount: 1, rows: [{ prefix, at: new Date(0) }] });

describe('RedisStore and TieredStore on a real Redis', function () {
  this.timeout(30_000);
  // Each run its own database label, so runs and other specs never share keys.
  const database = `test-${randomSnowflake()}`;
  const scopes = scopesOf(['guild_config'], '42');
  let one: RedisStore;
  let two: RedisStore;

  before(async function () {
    if (!(await redisAnswers())) {
      // Skip reason: the Redis backend is tested against a real server only; CI's machine runs one on 6379.
      console.log(`    (skipped: no Redis answers at ${TEST_REDIS_URL}; set TUX_TEST_REDIS_URL)`);
      this.skip();
    }
    one = await RedisStore.open(TEST_REDIS_URL, database);
    two = await RedisStore.open(TEST_REDIS_URL, database);
  });
  after(async () => {
    await one?.close();
    await two?.close();
  });

  it('shares an entry between processes, with its Dates intact, until either invalidates its scope', async () => {
    const found = await one.lookup('k1', scopes);
    expect(found.value).to.equal(undefined);
    one.fill('k1', scopes, found.token ?? [], value('!'), 60_000);
    await new Promise((r) => setTimeout(r, 50));
    expect((await two.lookup('k1', scopes)).value).to.deep.equal(value('!'));
    await two.invalidate(['guild_config:42']);
    expect((await one.lookup('k1', scopes)).value).to.equal(undefined);
  });

  it('never uses a value whose lookup came before another process invalidated its scope (race-free refill)', async () => {
    const found = await one.lookup('k2', scopes);
    await two.invalidate(['guild_config:42']);
    one.fill('k2', scopes, found.token ?? [], value('old'), 60_000);
    await new Promise((r) => setTimeout(r, 50));
    expect((await two.lookup('k2', scopes)).value).to.equal(undefined);
    expect((await one.lookup('k2', scopes)).value).to.equal(undefined);
  });

  it('gives a member’s scope a fresh random generation that expires, and caps a member entry’s TTL at the levels bound', async () => {
    const member = scopesOf(['levels'], '42:7');
    const found = await one.lookup('k5', member);
    one.fill('k5', member, found.token ?? [], value('m'), 24 * 3_600_000);
    await new Promise((r) => setTimeout(r, 50));
    expect((await two.lookup('k5', member)).value).to.deep.equal(value('m'));
    const redis = (await import('redis')).createClient({ url: TEST_REDIS_URL });
    await redis.connect();
    try {
      const entryTtl = await redis.pTTL(`tux-db:${database}:k5`);
      expect(entryTtl, 'an entry of a member lives at most MAX_MEMBER_TTL_SECONDS').to.be.within(1, MAX_MEMBER_TTL_SECONDS * 1_000);
      await two.invalidate(['levels:42:7']);
      const generation = await redis.get(`tux-db:${database}:gen:levels:42:7`);
      const genTtl = await redis.pTTL(`tux-db:${database}:gen:levels:42:7`);
      expect(generation, 'a random value, not a counter').to.match(/^[0-9a-f-]{36}$/);
      expect(genTtl, 'outlives every entry of the scope').to.be.above(MAX_MEMBER_TTL_SECONDS * 1_000);
      expect((await one.lookup('k5', member)).value).to.equal(undefined);
    } finally {
      await redis.close();
    }
  });

  it('flush() makes every entry unusable for every process', async () => {
    const found = await one.lookup('k3', scopes);
    one.fill('k3', scopes, found.token ?? [], value('x'), 60_000);
    await new Promise((r) => setTimeout(r, 50));
    await two.flush();
    expect((await one.lookup('k3', scopes)).value).to.equal(undefined);
  });

  it('keeps a near copy in memory, and drops both copies on invalidation', async () => {
    const tiered = new TieredStore(new MemoryStore(100), await RedisStore.open(TEST_REDIS_URL, database));
    try {
      const found = await tiered.lookup('k4', scopes, 60_000);
      tiered.fill('k4', scopes, found.token ?? 0, value('t'), 60_000);
      await new Promise((r) => setTimeout(r, 50));
      expect((await tiered.lookup('k4', scopes, 60_000)).value).to.deep.equal(value('t'));
      // Another process's Redis entry is found and kept near.
      const other = await two.lookup('k5', scopes);
      two.fill('k5', scopes, other.token ?? [], value('shared'), 60_000);
      await new Promise((r) => setTimeout(r, 50));
      expect((await tiered.lookup('k5', scopes, 60_000)).value).to.deep.equal(value('shared'));
      expect((await tiered.counts()).entries).to.equal(2);
      await tiered.invalidate(['guild_config:42']);
      expect((await tiered.lookup('k4', scopes, 60_000)).value).to.equal(undefined);
      expect((await two.lookup('k5', scopes)).value, 'the Redis copy too').to.equal(undefined);
    } finally {
      await tiered.close();
    }
  });

  it('refuses an unreachable Redis with a DatabaseConnectionError that hides the password, and a missing package with a DatabaseError', async () => {
    const error = await RedisStore.open('redis://:hunter2@127.0.0.1:1', database).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(DatabaseConnectionError);
    expect((error as Error).message).to.include('127.0.0.1:1').and.not.include('hunter2');
    expect(() => loadRedis(() => { throw Object.assign(new Error('Cannot find module'), { code: 'MODULE_NOT_FOUND' }); })).to.throw(DatabaseError, /npm install redis/);
  });
});
