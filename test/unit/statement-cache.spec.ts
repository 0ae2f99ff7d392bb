import { expect } from 'chai';
import type { QueryResult } from 'pg';
import type { CachedValue } from '../../src/cache/cache-store';
import { MemoryStore } from '../../src/cache/memory-store';
import { StatementCache, type OwnWriteFill } from '../../src/cache/statement-cache';
import { resolveOptions } from '../../src/config';

const TEXT = 'SELECT "xp" FROM "levels" WHERE "user_id" = $1 AND "guild_id" = $2';
const VALUES = ['7', '42'];
const row = (xp: number): CachedValue => ({ command: 'SELECT', rowCount: 1, rows: [{ xp }] });
const fill = (xp: number): OwnWriteFill => ({ family: 'levels', text: TEXT, values: VALUES, tables: ['levels'], value: row(xp) });
// addXp's writes: the member's row, and the guild row it creates when missing.
const WRITES = ['levels', 'guild'];

// A cache whose LISTEN is in force, and a read of member 7 of guild 42 that counts the statements it sends (each
// returns xp -1: what the database holds, as far as these tests go).
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

describe('StatementCache.afterOwnWrite (the row an award left)', () => {
  it('drops the member and keeps the award’s row when its notification is still to come, which then changes nothing', async () => {
    const { cache, read, sent } = await setUp();
    await read(); // cached before the award
    await cache.afterOwnWrite(WRITES, '42:7', '100', fill(20));
    expect(await read()).to.deep.equal({ xp: 20 });
    cache.invalidate('levels', '42:7', '100');
    expect(await read(), 'its own notification keeps it').to.deep.equal({ xp: 20 });
    cache.invalidate('levels', '42:7', '101');
    expect(await read(), 'a later commit’s notification drops it').to.deep.equal({ xp: -1 });
    expect(sent()).to.equal(2);
  });

  it('keeps the award’s row when its notification came first, unless a later commit’s came after it', async () => {
    const { cache, read, sent } = await setUp();
    // The server signals listeners before it answers the writer, so the award's notification often comes first.
    cache.invalidate('levels', '42:7', '110');
    await cache.afterOwnWrite(WRITES, '42:7', '110', fill(20));
    expect(await read(), 'nothing newer was heard').to.deep.equal({ xp: 20 });
    expect(sent()).to.equal(0);
    cache.invalidate('levels', '42:7', '112');
    cache.invalidate('levels', '42:7', '113'); // another process wrote the member after award 112
    await cache.afterOwnWrite(WRITES, '42:7', '112', fill(40));
    expect(await read(), 'the award’s row is no longer the newest').to.deep.equal({ xp: -1 });
    expect(sent()).to.equal(1);
  });

  it('only drops, as afterWrite does, for a write that stored nothing, with LISTEN down, or a guild-wide target', async () => {
    const { cache, read, sent } = await setUp();
    await read();
    await cache.afterOwnWrite(WRITES, '42:7', undefined);
    expect(await read(), 'dropped').to.deep.equal({ xp: -1 });
    cache.down();
    await cache.afterOwnWrite(WRITES, '42:7', '120', fill(20));
    await cache.up();
    expect(await read(), 'nothing stored while LISTEN was down').to.deep.equal({ xp: -1 });
    await cache.afterOwnWrite(WRITES, '42', '121', fill(20));
    expect(await read(), 'a guild-wide write stores no member’s row').to.deep.equal({ xp: -1 });
    expect(sent()).to.equal(4);
  });

  it('keeps an entry a read filled after the write, and a guild-wide notification drops a kept row', async () => {
    const { cache, read } = await setUp();
    cache.invalidate('levels', '42:7', '130');
    await read(); // filled after the award's notification: as new as what the award left
    await cache.afterOwnWrite(WRITES, '42:7', '130', fill(20));
    expect(await read()).to.deep.equal({ xp: -1 });
    await cache.afterOwnWrite(WRITES, '42:7', '131', fill(40));
    expect(await read()).to.deep.equal({ xp: 40 });
    cache.invalidate('levels', '42', '132');
    expect(await read(), 'the guild’s members were written').to.deep.equal({ xp: -1 });
  });
});

describe('StatementCache.afterWrite (what a write drops in its own process)', () => {
  it('drops, with a write to permission_ranks, the guild\'s cached role assignments, which deleting a rank cascades to', async () => {
    const cache = new StatementCache(new MemoryStore(100), resolveOptions({ url: 'postgres://tux@127.0.0.1:1/tux' }, {}).cache);
    await cache.up();
    let statements = 0;
    const load = (): Promise<QueryResult> => {
      statements++;
      return Promise.resolve({ command: 'SELECT', rowCount: 1, rows: [{ n: statements }], oid: 0, fields: [] });
    };
    const assignments = async (guild: string): Promise<unknown> =>
      (await cache.read('permissions', 'SELECT count(*) AS n FROM "permission_assignments" WHERE "guild_id" = $1', [guild], ['permission_assignments'], guild, load)).rows[0];
    expect([await assignments('42'), await assignments('43'), await assignments('42')]).to.deep.equal([{ n: 1 }, { n: 2 }, { n: 1 }]);
    await cache.afterWrite(['permission_ranks'], '42');
    expect(await assignments('42'), 'dropped with the rank').to.deep.equal({ n: 3 });
    expect(await assignments('43'), 'another guild kept').to.deep.equal({ n: 2 });
  });
});
