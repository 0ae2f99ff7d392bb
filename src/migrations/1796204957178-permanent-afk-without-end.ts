import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A permanent AFK has no end: `CHECK (NOT perm_afk OR until IS NULL)` on `afk`. Every write the repositories make
 * already keeps it when it names both fields (setMemberAfk, setPermanentAfk, the generic writes); the table now also
 * refuses an `until` written alone on a permanent AFK (a CheckViolationError), which the repository cannot see.
 * Rows that hold both are made permanent without an end first (`until` to NULL): expiry never read their `until`,
 * since it reads only temporary AFKs, so no AFK ends sooner or later than before.
 *
 * down() drops the constraint and leaves the cleared ends (which ones were set is not recorded).
 *
 * Locks: an UPDATE of those rows, then ADD CONSTRAINT, which holds an ACCESS EXCLUSIVE lock on `afk` while it scans
 * the table once (one row per AFK member).
 */
export class PermanentAfkWithoutEnd1796204957178 implements MigrationInterface {
  name = 'PermanentAfkWithoutEnd1796204957178';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE "afk" SET "until" = NULL WHERE "perm_afk" AND "until" IS NOT NULL`);
    await queryRunner.query(`ALTER TABLE "afk" ADD CONSTRAINT "afk_permanent_without_until" CHECK (NOT "perm_afk" OR "until" IS NULL)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "afk" DROP CONSTRAINT "afk_permanent_without_until"`);
  }
}
