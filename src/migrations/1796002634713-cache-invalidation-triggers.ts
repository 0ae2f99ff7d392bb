import type { MigrationInterface, QueryRunner } from 'typeorm';

// As this migration made them; the cache's list (TABLES) must stay within it (a test checks the triggers).
const TABLES = ['guild_config', 'guild_permissions', 'permission_ranks', 'permission_assignments', 'permission_commands', 'cases', 'afk'];
const CHANNEL = 'tux_cache';

/**
 * A trigger on every table the cache reads from sends `NOTIFY tux_cache, '<table>:<guild_id>'` for each row
 * written, and `'<table>:*'` for a TRUNCATE, so every process listening drops what it cached of that guild and
 * table. NOTIFY is sent from the writing transaction, so it is delivered at commit and never for a rollback, and
 * PostgreSQL sends one notification per distinct payload per transaction however many rows changed. Writes by any
 * client (psql, another program, a cascade from deleting a guild) invalidate too.
 *
 * Locks: CREATE TRIGGER takes SHARE ROW EXCLUSIVE on each table, briefly (no rewrite, no scan).
 */
export class CacheInvalidationTriggers1796002634713 implements MigrationInterface {
  name = 'CacheInvalidationTriggers1796002634713';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE FUNCTION "tux_cache_notify"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_LEVEL = 'STATEMENT' THEN
    PERFORM pg_notify('${CHANNEL}', TG_TABLE_NAME || ':*');
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('${CHANNEL}', TG_TABLE_NAME || ':' || OLD.guild_id);
  ELSIF TG_OP = 'INSERT' THEN
    PERFORM pg_notify('${CHANNEL}', TG_TABLE_NAME || ':' || NEW.guild_id);
  ELSE
    PERFORM pg_notify('${CHANNEL}', TG_TABLE_NAME || ':' || NEW.guild_id);
    IF OLD.guild_id IS DISTINCT FROM NEW.guild_id THEN
      PERFORM pg_notify('${CHANNEL}', TG_TABLE_NAME || ':' || OLD.guild_id);
    END IF;
  END IF;
  RETURN NULL;
END
$$`);
    for (const table of TABLES) {
      await queryRunner.query(`CREATE TRIGGER "tux_cache_notify" AFTER INSERT OR UPDATE OR DELETE ON "${table}" FOR EACH ROW EXECUTE FUNCTION "tux_cache_notify"()`);
      await queryRunner.query(`CREATE TRIGGER "tux_cache_notify_truncate" AFTER TRUNCATE ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION "tux_cache_notify"()`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...TABLES].reverse()) {
      await queryRunner.query(`DROP TRIGGER "tux_cache_notify_truncate" ON "${table}"`);
      await queryRunner.query(`DROP TRIGGER "tux_cache_notify" ON "${table}"`);
    }
    await queryRunner.query(`DROP FUNCTION "tux_cache_notify"()`);
  }
}
