import type { MigrationInterface, QueryRunner } from 'typeorm';

const CHANNEL = 'tux_cache';
// Past this many members written by one statement, their guilds are notified instead (an import, a bulk reset).
const MANY_MEMBERS = 64;

/**
 * The cache keeps a member's XP state (addXp on cooldown is answered from it), so `levels` needs invalidations per
 * member: `NOTIFY tux_cache, 'levels:<guild_id>:<user_id>@<xid>'` for each member a statement wrote, or
 * `'levels:<guild_id>@<xid>'` for each guild when it wrote more than MANY_MEMBERS (so an import of a million rows
 * sends a notification per guild and batch, not per row), and `'levels:*'` for a TRUNCATE. `<xid>` is the writing
 * transaction's id: the process whose addXp award made the write already cached the row it left, and knows to keep
 * it. The triggers run once per statement, over its transition tables; a statement that writes no row (addXp on
 * cooldown) notifies nothing. As for the other cached tables (CacheInvalidationTriggers), NOTIFY is delivered at
 * commit, never for a rollback.
 *
 * Locks: CREATE TRIGGER takes SHARE ROW EXCLUSIVE on `levels`, briefly (no rewrite, no scan).
 */
export class LevelsCacheInvalidation1796016787895 implements MigrationInterface {
  name = 'LevelsCacheInvalidation1796016787895';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE FUNCTION "tux_cache_notify_members"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  targets text[];
  target text;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    PERFORM pg_notify('${CHANNEL}', TG_TABLE_NAME || ':*');
    RETURN NULL;
  END IF;
  -- Each trigger names only the transition tables of its own event, so each branch reads only those.
  IF TG_OP = 'INSERT' THEN
    targets := ARRAY(SELECT DISTINCT guild_id || ':' || user_id FROM changed_new);
  ELSIF TG_OP = 'DELETE' THEN
    targets := ARRAY(SELECT DISTINCT guild_id || ':' || user_id FROM changed_old);
  ELSE
    targets := ARRAY(SELECT guild_id || ':' || user_id FROM changed_new UNION SELECT guild_id || ':' || user_id FROM changed_old);
  END IF;
  IF cardinality(targets) > ${MANY_MEMBERS} THEN
    targets := ARRAY(SELECT DISTINCT split_part(t, ':', 1) FROM unnest(targets) AS t);
  END IF;
  FOREACH target IN ARRAY targets LOOP
    PERFORM pg_notify('${CHANNEL}', TG_TABLE_NAME || ':' || target || '@' || pg_current_xact_id());
  END LOOP;
  RETURN NULL;
END
$$`);
    await queryRunner.query(`CREATE TRIGGER "tux_cache_notify_insert" AFTER INSERT ON "levels" REFERENCING NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION "tux_cache_notify_members"()`);
    await queryRunner.query(
      `CREATE TRIGGER "tux_cache_notify_update" AFTER UPDATE ON "levels" REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION "tux_cache_notify_members"()`,
    );
    await queryRunner.query(`CREATE TRIGGER "tux_cache_notify_delete" AFTER DELETE ON "levels" REFERENCING OLD TABLE AS changed_old FOR EACH STATEMENT EXECUTE FUNCTION "tux_cache_notify_members"()`);
    await queryRunner.query(`CREATE TRIGGER "tux_cache_notify_truncate" AFTER TRUNCATE ON "levels" FOR EACH STATEMENT EXECUTE FUNCTION "tux_cache_notify_members"()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const trigger of ['tux_cache_notify_truncate', 'tux_cache_notify_delete', 'tux_cache_notify_update', 'tux_cache_notify_insert']) {
      await queryRunner.query(`DROP TRIGGER "${trigger}" ON "levels"`);
    }
    await queryRunner.query(`DROP FUNCTION "tux_cache_notify_members"()`);
  }
}
