import { expect } from 'chai';
import { isReadOnly } from '../../src/service/pool-statement';

describe('isReadOnly (which statements may run again after a lost connection)', () => {
  it('counts plain reads as read-only', () => {
    for (const text of ['SELECT * FROM "cases" WHERE "guild_id" = $1', '  select 1', 'VALUES (1)', 'SHOW statement_timeout', 'TABLE guilds', 'SELECT "updated_at", "deleted_by" FROM t']) {
      expect(isReadOnly(text), text).to.equal(true);
    }
  });

  it('never counts a write, a data-modifying CTE or a side-effecting function as read-only', () => {
    for (const text of [
      'INSERT INTO guilds (guild_id) VALUES ($1)',
      'UPDATE cases SET case_reason = $1',
      'DELETE FROM afk',
      'WITH g AS (INSERT INTO guilds (guild_id) VALUES ($1) RETURNING 1) SELECT * FROM g',
      'SELECT nextval(\'s\')',
      'SELECT pg_advisory_lock(1)',
      'SELECT set_config(\'x.y\', \'1\', false)',
      'SELECT pg_notify(\'c\', \'p\')',
      'SELECT * FROM t FOR UPDATE',
      'CALL do_things()',
      'select x from (delete from t returning x) d',
    ]) {
      expect(isReadOnly(text), text).to.equal(false);
    }
  });
});
