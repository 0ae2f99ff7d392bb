import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { CACHED_TABLES, CASCADES, INVALIDATION_CHANNEL, MEMBER_TABLES } from '../../src/cache/cached-tables';
import { deleteGuilds, randomSnowflake } from '../support/fixtures';
import { directUrl } from '../support/behind-pooler';
import { useTestDatabase } from '../support/test-database';
import { testDatabaseUrl } from '../support/test-server';

describe('cache invalidation triggers (live schema)', () => {
  const t = useTestDatabase();

  it('lists in CASCADES every cached table a write to another cached table deletes from through ON DELETE CASCADE', async () => {
    const rows = (
      await t.db.service.query<{ parent: string; child: string }>(
        `SELECT p.relname AS parent, c.relname AS child FROM pg_constraint f JOIN pg_class p ON p.oid = f.confrelid JOIN pg_class c ON c.oid = f.conrelid
         WHERE f.contype = 'f' AND f.confdeltype = 'c' AND p.relname = ANY($1::text[]) AND c.relname = ANY($1::text[]) ORDER BY 1, 2`,
        [[...CACHED_TABLES]],
      )
    ).rows;
    const expected = [...CASCADES].flatMap(([parent, children]) => children.map((child) => ({ parent, child })));
    expect(rows).to.deep.equal(expected).and.to.have.length.above(0);
  });

  it('every table the cache reads has the triggers that notify tux_cache, per statement: per guild, or per member for member tables', async () => {
    const rows = (
      await t.db.service.query<{ table: string; name: string; fn: string }>(
        `SELECT c.relname AS table, t.tgname AS name, p.proname AS fn FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
         JOIN pg_proc p ON p.oid = t.tgfoid WHERE p.proname LIKE 'tux_cache_notify%' AND NOT t.tgisinternal AND t.tgenabled = 'O'`,
        [],
      )
    ).rows;
    for (const table of CACHED_TABLES) {
      const found = rows.filter((r) => r.table === table);
      const names = found.map((r) => r.name).sort();
      if (MEMBER_TABLES.has(table)) {
        expect(names, table).to.deep.equal(['tux_cache_notify_delete', 'tux_cache_notify_insert', 'tux_cache_notify_truncate', 'tux_cache_notify_update']);
        expect(new Set(found.map((r) => r.fn)), table).to.deep.equal(new Set(['tux_cache_notify_members']));
      } else {
        expect(names, table).to.deep.equal(['tux_cache_notify_delete', 'tux_cache_notify_insert', 'tux_cache_notify_truncate', 'tux_cache_notify_update']);
        // The TRUNCATE trigger keeps CacheInvalidationTriggers' function; the others run once per statement.
        expect(found.map((r) => `${r.name}:${r.fn}`).sort(), table).to.deep.equal([
          'tux_cache_notify_delete:tux_cache_notify_guilds',
          'tux_cache_notify_insert:tux_cache_notify_guilds',
          'tux_cache_notify_truncate:tux_cache_notify',
          'tux_cache_notify_update:tux_cache_notify_guilds',
        ]);
      }
    }
  });

  /**
   * A LISTEN connection of its own, and `notified(statement, values)`: the payloads of `table` that one statement sent,
   * sorted, once a marker sent after it arrived (notifications come in commit order).
   */
  async function listenTo(table: string) {
    const listener = new Client({ connectionString: directUrl(testDatabaseUrl()) });
    await listener.connect();
    const heard: string[] = [];
    listener.on('notification', (n) => {
      if (n.channel === INVALIDATION_CHANNEL && n.payload?.startsWith(`${table}:`)) heard.push(n.payload);
    });
    await listener.query(`LISTEN ${INVALIDATION_CHANNEL}`);
    const notified = async (statement: string, values: unknown[]): Promise<string[]> => {
      heard.length = 0;
      await t.db.service.query(statement, values);
      const marker = `${table}:marker:${randomSnowflake()}`;
      await t.db.service.query(`SELECT pg_notify($1, $2)`, [INVALIDATION_CHANNEL, marker]);
      for (let i = 0; i < 500 && !heard.includes(marker); i++) await sleep(10);
      expect(heard, 'the marker arrived').to.include(marker);
      return heard.filter((p) => p !== marker).sort();
    };
    return { notified, end: () => listener.end() };
  }

  it('notifies levels per member, per guild past 64 members in one statement, and nothing for a write of no row', async function () {
    this.timeout(30_000);
    const guildId = randomSnowflake();
    const levels = await listenTo('levels');
    const notified = async (statement: string, values: unknown[]): Promise<string[]> => {
      const payloads = await levels.notified(statement, values);
      // Each names the writing transaction, one for the whole statement.
      expect(new Set(payloads.map((p) => /@(\d+)$/.exec(p)?.[1])).size, payloads.join()).to.be.at.most(1);
      expect(payloads.every((p) => /@\d+$/.test(p)), payloads.join()).to.equal(true);
      return payloads.map((p) => p.replace(/@\d+$/, '')).sort();
    };
    try {
      await t.db.service.query(`INSERT INTO guild (guild_id) VALUES ($1)`, [guildId]);
      const insert = `INSERT INTO levels (user_id, guild_id, xp, level) SELECT u, $1, 0, 0 FROM generate_series($2::bigint, $3::bigint) AS u`;
      expect(await notified(insert, [guildId, 1, 2])).to.deep.equal([`levels:${guildId}:1`, `levels:${guildId}:2`]);
      expect(await notified(`UPDATE levels SET xp = 5 WHERE guild_id = $1 AND user_id = 2`, [guildId])).to.deep.equal([`levels:${guildId}:2`]);
      expect(await notified(`UPDATE levels SET xp = 5 WHERE guild_id = $1 AND user_id = 999`, [guildId]), 'no row written').to.deep.equal([]);
      expect(await notified(insert, [guildId, 3, 80]), '78 members').to.deep.equal([`levels:${guildId}`]);
      expect(await notified(`DELETE FROM levels WHERE guild_id = $1 AND user_id = 1`, [guildId])).to.deep.equal([`levels:${guildId}:1`]);
    } finally {
      await levels.end();
      await deleteGuilds(t.db, [guildId]);
    }
  });

  it('notifies a guild table once per guild a statement wrote: many rows, a row moved between guilds, a cascade, no row', async function () {
    this.timeout(30_000);
    const [a, b] = [randomSnowflake(), randomSnowflake()].sort() as [string, string];
    const afk = await listenTo('afk');
    try {
      await t.db.service.query(`INSERT INTO guild (guild_id) VALUES ($1), ($2)`, [a, b]);
      const insert = `INSERT INTO afk (user_id, guild_id, nickname, afk_message) SELECT u, g, 'nick', 'away' FROM generate_series(1, 300) AS u CROSS JOIN unnest($1::bigint[]) AS g`;
      expect(await afk.notified(insert, [[a, b]]), '600 rows of two guilds').to.deep.equal([`afk:${a}`, `afk:${b}`]);
      expect(await afk.notified(`UPDATE afk SET afk_message = 'back' WHERE guild_id = $1`, [a]), '300 rows of one guild').to.deep.equal([`afk:${a}`]);
      expect(await afk.notified(`UPDATE afk SET afk_message = 'back' WHERE guild_id = $1 AND user_id = 999`, [a]), 'no row written').to.deep.equal([]);
      expect(await afk.notified(`DELETE FROM afk WHERE guild_id = $1 AND user_id <= 10`, [b]), 'a delete').to.deep.equal([`afk:${b}`]);
      expect(await afk.notified(`UPDATE afk SET guild_id = $2 WHERE guild_id = $1 AND user_id = 1`, [a, b]), 'a row moved (to a member the delete freed)').to.deep.equal([`afk:${a}`, `afk:${b}`]);
      expect(await afk.notified(`DELETE FROM guild WHERE guild_id = $1`, [a]), 'the cascade from a guild’s deletion').to.deep.equal([`afk:${a}`]);
    } finally {
      await afk.end();
      await deleteGuilds(t.db, [a, b]);
    }
  });
});
