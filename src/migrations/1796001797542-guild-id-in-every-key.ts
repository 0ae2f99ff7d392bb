import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The tables whose primary key was their row id alone, with that id, in the order they are locked and re-keyed. */
const REKEYED: ReadonlyArray<readonly [table: string, id: string]> = [
  ['cases', 'case_id'],
  ['permission_ranks', 'permission_rank_id'],
  ['permission_assignments', 'assignment_id'],
  ['permission_commands', 'command_id'],
  ['reminder', 'reminder_id'],
  ['snippet', 'snippet_id'],
  ['starboard_message', 'message_id'],
];

/** At most this many offending ids are named in a refusal. */
const SHOWN = 10;

/**
 * Puts guild_id in every primary key and in the foreign key from permission_assignments to permission_ranks, so
 * every table can be distributed by guild_id: Citus needs the distribution column in each primary key, unique
 * constraint and foreign key between co-located tables (docs/operators.md, "Distribution by guild (Citus)"). Every
 * unique constraint and unique index already held guild_id; `guild` is keyed by it.
 *
 * The keys become (id, guild_id), id first: the new index still finds a row by its id alone (getById(caseId) and
 * the other lookups by a global id), and (guild_id, …) lookups already have an index of their own on each table.
 * The id columns keep their identities. The foreign key becomes (permission_rank_id, guild_id), so a role can no
 * longer hold a rank of another guild; a database that has such an assignment is refused, naming it, before anything
 * changes.
 *
 * Locks: it runs in its own transaction (the migration run's `each` mode). It first takes ACCESS EXCLUSIVE on the
 * seven re-keyed tables (one LOCK TABLE, in a fixed order) and holds them until it commits: no reads or writes of
 * cases, permission_ranks, permission_assignments, permission_commands, reminder, snippet or starboard_message
 * meanwhile (guild, guild_config, afk, levels, starboard and guild_permissions are not locked). Under the lock it
 * builds one unique index per table (a sort of its (id, guild_id) pairs, seconds per million rows) and scans
 * permission_assignments once to validate the new foreign key. Tables too large to be blocked that long need the
 * indexes built first with CREATE UNIQUE INDEX CONCURRENTLY (outside any transaction) and swapped in with
 * ADD CONSTRAINT … PRIMARY KEY USING INDEX; this migration does not do that.
 */
export class GuildIdInEveryKey1796001797542 implements MigrationInterface {
  name = 'GuildIdInEveryKey1796001797542';

  async up(queryRunner: QueryRunner): Promise<void> {
    await lockRekeyedTables(queryRunner);
    const crossGuild = (await queryRunner.query(
      `SELECT a."assignment_id"::text AS id FROM "permission_assignments" a JOIN "permission_ranks" r ON r."permission_rank_id" = a."permission_rank_id" WHERE r."guild_id" <> a."guild_id" ORDER BY a."assignment_id" LIMIT ${SHOWN + 1}`,
    )) as { id: string }[];
    if (crossGuild.length > 0) {
      throw new Error(
        `${this.name}: the permission_assignments with assignment_id ${listed(crossGuild)} give a role a rank of another guild, which the new foreign key ` +
          '(permission_rank_id, guild_id) forbids. Delete those assignments (or point them at a rank of their own guild), then migrate again.',
      );
    }
    await queryRunner.query(`ALTER TABLE "permission_assignments" DROP CONSTRAINT "fk_permission_assignments_rank"`);
    for (const [table, id] of REKEYED) {
      await queryRunner.query(`ALTER TABLE "${table}" DROP CONSTRAINT "pk_${table}", ADD CONSTRAINT "pk_${table}" PRIMARY KEY ("${id}", "guild_id")`);
    }
    await queryRunner.query(
      `ALTER TABLE "permission_assignments" ADD CONSTRAINT "fk_permission_assignments_rank" FOREIGN KEY ("permission_rank_id", "guild_id") REFERENCES "permission_ranks"("permission_rank_id", "guild_id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await lockRekeyedTables(queryRunner);
    // Under (id, guild_id) an id may have been written again in another guild (an import with explicit ids, an
    // OVERRIDING SYSTEM VALUE insert): the id alone cannot be the key again until one of them goes.
    for (const [table, id] of REKEYED) {
      const shared = (await queryRunner.query(
        `SELECT "${id}"::text AS id FROM "${table}" GROUP BY "${id}" HAVING count(*) > 1 ORDER BY "${id}" LIMIT ${SHOWN + 1}`,
      )) as { id: string }[];
      if (shared.length > 0) {
        throw new Error(`${this.name} cannot be reverted: ${table}.${id} ${listed(shared)} is held by rows of several guilds. Keep one row per ${id}, then revert again.`);
      }
    }
    await queryRunner.query(`ALTER TABLE "permission_assignments" DROP CONSTRAINT "fk_permission_assignments_rank"`);
    for (const [table, id] of [...REKEYED].reverse()) {
      await queryRunner.query(`ALTER TABLE "${table}" DROP CONSTRAINT "pk_${table}", ADD CONSTRAINT "pk_${table}" PRIMARY KEY ("${id}")`);
    }
    await queryRunner.query(
      `ALTER TABLE "permission_assignments" ADD CONSTRAINT "fk_permission_assignments_rank" FOREIGN KEY ("permission_rank_id") REFERENCES "permission_ranks"("permission_rank_id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }
}

// At full strength before anything reads them, in one fixed order: the checks' SELECTs would otherwise take weak locks
// that the ALTERs then upgrade, the usual way for a migration to deadlock with a bot's transaction.
async function lockRekeyedTables(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.query(`LOCK TABLE ${REKEYED.map(([table]) => `"${table}"`).join(', ')} IN ACCESS EXCLUSIVE MODE`);
}

function listed(rows: ReadonlyArray<{ id: string }>): string {
  const ids = rows.slice(0, SHOWN).map((r) => r.id).join(', ');
  return rows.length > SHOWN ? `${ids} and more` : ids;
}
