import { expect } from 'chai';
import type { QueryResult } from 'pg';
import type { CachedValue } from '../../src/cache/cache-store';
import { MemoryStore } from '../../src/cache/memory-store';
import { StatementCache } from '../../src/cache/statement-cache';
import { resolveOptions } from '../../src/config';

const TEXT = 'SELECT "xp" FROM "levels" WHERE "user_id" = $1 AND "guild_id" = $2';
const VALUES = ['7', '42'];
const row = (xp: number): CachedValue => ({ command: 'SELECT', rowCount: 1, rows: [{ xp }] });

// A cache whose LISTEN is in force, and a read of member 7 of guild 42 that counts the statements it sends.
async function setUp(): Promise<{ cache: StatementCache; read: () => Promise<unknown>; sent: () => number }> {
  const cache = new StatementCache(new MemoryStore(100), resolveOptions({ url: 'postgres://tux@127.0.0.1:1/tux' }, {}).cache);
  await cache.up();
  let statements = 0;
  const load = (): Promise<QueryResult> => {
    statements++;
    return Promise.resolve({ command: 'SELECT', rowCount: 1, rows: [{ xp: -1 }], oid: 0, fields: [] });
  };
  const read = async (): Promise<unknown> => (await cache.read('levels', TEXT, VALUES, ['levels'], '42:7', load)).rows[0];
  return { cache, read, sent: () => statements };
}

describe('StatementCache.prime (the row an award left)', () => {
  it('answers the next read from the primed row, through the write’s own notification, but not another’s', async () => {
    const { cache, read, sent } = await setUp();
    await cache.prime('levels', TEXT, VALUES, ['levels'], '42:7', row(20), '100');
    expect(await read()).to.deep.equal({ xp: 20 });
    cache.invalidate('levels', '42:7', '100');
    expect(await read(), 'its own notification keeps it').to.deep.equal({ xp: 20 });
    expect(sent()).to.equal(0);
    cache.invalidate('levels', '42:7', '100');
    expect(await read(), 'an own notification counts once').to.deep.equal({ xp: -1 });
    await cache.prime('levels', TEXT, VALUES, ['levels'], '42:7', row(30), '102');
    cache.invalidate('levels', '42:7', '101');
    expect(await read(), 'another transaction’s notification drops it').to.deep.equal({ xp: -1 });
    expect(sent()).to.equal(2);
  });

  it('keeps an entry a read filled after the write, and a guild-wide notification drops a primed row', async () => {
    const { cache, read } = await setUp();
    await read(); // filled after the write: as new as what prime would store
    await cache.prime('levels', TEXT, VALUES, ['levels'], '42:7', row(20), '100');
    expect(await read()).to.deep.equal({ xp: -1 });
    cache.invalidate('levels', '42', '103');
    await cache.prime('levels', TEXT, VALUES, ['levels'], '42:7', row(40), '104');
    cache.invalidate('levels', '42', '105');
    expect(await read(), 'the guild’s members were written').to.deep.equal({ xp: -1 });
  });

  it('stores nothing while LISTEN is down, nor for a guild table or a guild-wide target', async () => {
    const { cache, read, sent } = await setUp();
    cache.down();
    await cache.prime('levels', TEXT, VALUES, ['levels'], '42:7', row(20), '100');
    await cache.up();
    expect(await read()).to.deep.equal({ xp: -1 });
    await cache.prime('guildConfig', 'SELECT 1', ['42'], ['guild_config'], '42', row(1), '106');
    await cache.prime('levels', 'SELECT 2', ['42'], ['levels'], '42', row(1), '107');
    const other = async (text: string, values: string[], tables: string[], target: string): Promise<unknown> =>
      (await cache.read('guildConfig', text, values, tables, target, () => Promise.resolve({ command: 'SELECT', rowCount: 1, rows: [{ xp: -2 }], oid: 0, fields: [] }))).rows[0];
    expect(await other('SELECT 1', ['42'], ['guild_config'], '42')).to.deep.equal({ xp: -2 });
    expect(await other('SELECT 2', ['42'], ['levels'], '42')).to.deep.equal({ xp: -2 });
    expect(sent()).to.equal(1);
  });
});
