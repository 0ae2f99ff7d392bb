import { expect } from 'chai';
import { CACHED_TABLES } from '../../src/cache/cached-tables';
import { useTestDatabase } from '../support/test-database';

describe('cache invalidation triggers (live schema)', () => {
  const t = useTestDatabase();

  it('every table the cache reads has the row trigger and the TRUNCATE trigger that notify tux_cache', async () => {
    const rows = (
      await t.db.service.query<{ table: string; name: string }>(
        `SELECT c.relname AS table, t.tgname AS name FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
         JOIN pg_proc p ON p.oid = t.tgfoid WHERE p.proname = 'tux_cache_notify' AND NOT t.tgisinternal AND t.tgenabled = 'O'`,
        [],
      )
    ).rows;
    for (const table of CACHED_TABLES) {
      const names = rows.filter((r) => r.table === table).map((r) => r.name).sort();
      expect(names, table).to.deep.equal(['tux_cache_notify', 'tux_cache_notify_truncate']);
    }
  });
});
