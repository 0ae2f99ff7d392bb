import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { CACHED_TABLES, INVALIDATION_CHANNEL, MEMBER_TABLES } from '../../src/cache/cached-tables';
import { deleteGuilds, randomSnowflake } from '../support/fixtures';
import { directUrl } from '../support/behind-pooler';
import { useTestDatabase } from '../support/test-database';
import { testDatabaseUrl } from '../support/test-server';

describe('cache invalidation triggers (live schema)', () => {
  const t = useTestDatabase();

  it('every table the cache reads has the triggers that notify tux_cache: per row, or per statement for member tables', async () => {
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
        expect(names, table).to.deep.equal(['tux_cache_notify', 'tux_cache_notify_truncate']);
      }
    }
  });

  it('notifies levels per member, per guild past 64 members in one statement, and nothing for a write of no row', async function () {
    this.timeout(30_000);
    const guildId = randomSnowflake();
    const listener = new Client({ connectionString: directUrl(testDatabaseUrl()) });
    await listener.connect();
    const heard: string[] = [];
    listener.on('notification', (n) => {
      if (n.channel === INVALIDATION_CHANNEL && n.payload?.startsWith('levels:')) heard.push(n.payload);
    });
    // Every notification of one statement: it returns once the listener heard a marker sent after the statement.
    const notified = async (statement: string, values: unknown[]): Promise<string[]> => {
      heard.length = 0;
      await t.db.service.query(statement, values);
      const marker = `levels:marker:${randomSnowflake()}`;
      await t.db.service.query(`SELECT pg_notify($1, $2)`, [INVALIDATION_CHANNEL, marker]);
      for (let i = 0; i < 500 && !heard.includes(marker); i++) await sleep(10);
      expect(heard, 'the marker arrived').to.include(marker);
      const payloads = heard.filter((p) => p !== marker);
      // Each names the writing transaction, one for the whole statement.
      expect(new Set(payloads.map((p) => /@(\d+)$/.exec(p)?.[1])).size, payloads.join()).to.be.at.most(1);
      expect(payloads.every((p) => /@\d+$/.test(p)), payloads.join()).to.equal(true);
      return payloads.map((p) => p.replace(/@\d+$/, '')).sort();
    };
    try {
      await listener.query(`LISTEN ${INVALIDATION_CHANNEL}`);
      await t.db.service.query(`INSERT INTO guild (guild_id) VALUES ($1)`, [guildId]);
      const insert = `INSERT INTO levels (user_id, guild_id, xp, level) SELECT u, $1, 0, 0 FROM generate_series($2::bigint, $3::bigint) AS u`;
      expect(await notified(insert, [guildId, 1, 2])).to.deep.equal([`levels:${guildId}:1`, `levels:${guildId}:2`]);
      expect(await notified(`UPDATE levels SET xp = 5 WHERE guild_id = $1 AND user_id = 2`, [guildId])).to.deep.equal([`levels:${guildId}:2`]);
      expect(await notified(`UPDATE levels SET xp = 5 WHERE guild_id = $1 AND user_id = 999`, [guildId]), 'no row written').to.deep.equal([]);
      expect(await notified(insert, [guildId, 3, 80]), '78 members').to.deep.equal([`levels:${guildId}`]);
      expect(await notified(`DELETE FROM levels WHERE guild_id = $1 AND user_id = 1`, [guildId])).to.deep.equal([`levels:${guildId}:1`]);
    } finally {
      await listener.end();
      await deleteGuilds(t.db, [guildId]);
    }
  });
});
