import { expect } from 'chai';
import { DatabaseError } from '../../src/errors/database-error';
import { ALL_MIGRATIONS } from '../../src/migrations/all-migrations';
import { GuildIdInEveryKey1796001797542 } from '../../src/migrations/1796001797542-guild-id-in-every-key';
import { applyMigrations, pendingSchemaChanges } from '../../src/service/migrations';
import { layoutOffenders } from '../schema/layout-offenders';
import { revertThrough, useDatabaseBefore } from '../support/migration-spec';

const [A, B] = ['1100000000000000001', '1100000000000000002'];
const NAME = 'GuildIdInEveryKey1796001797542';
/** This migration and the library's later ones, applied again after a test reverts them. */
const FROM_THIS_ONE = ALL_MIGRATIONS.slice(ALL_MIGRATIONS.indexOf(GuildIdInEveryKey1796001797542)).map((m) => m.name);
const REKEYED_PRIMARY_KEYS = ['cases', 'permission_assignments', 'permission_commands', 'permission_ranks', 'reminder', 'snippet', 'starboard_message'].map((t) => `pk_${t}`);

describe('GuildIdInEveryKey1796001797542', function () {
  this.timeout(120_000);
  const t = useDatabaseBefore('rekey', NAME);
  const revertThroughThisMigration = (): Promise<string | null> => revertThrough(t.service.dataSource, NAME);
  const primaryKey = async (table: string): Promise<string | undefined> =>
    (await t.client.query<{ def: string }>(`SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = $1`, [`pk_${table}`])).rows[0]?.def;

  // The database as it was before this migration, holding a row in each re-keyed table.
  before(async () => {
    await t.client.query(`INSERT INTO guild (guild_id) VALUES ($1), ($2)`, [A, B]);
    await t.client.query(
      `WITH r AS (INSERT INTO permission_ranks (guild_id, rank, name) VALUES ($1, 3, 'Mod') RETURNING permission_rank_id)
       INSERT INTO permission_assignments (guild_id, role_id, permission_rank_id) SELECT $1, 42, permission_rank_id FROM r`,
      [A],
    );
    await t.client.query(`INSERT INTO cases (case_number, case_type, case_user_id, case_moderator_id, guild_id) VALUES (1, 'WARN', 1, 1, $1)`, [A]);
    await t.client.query(`INSERT INTO snippet (snippet_name, snippet_user_id, guild_id) VALUES ('faq', 1, $1)`, [A]);
    await t.client.query(`INSERT INTO reminder (reminder_content, reminder_expires_at, reminder_channel_id, reminder_user_id, guild_id) VALUES ('x', now(), 1, 1, $1)`, [A]);
    await t.client.query(`INSERT INTO permission_commands (guild_id, command_name, required_rank) VALUES ($1, 'ban', 3)`, [A]);
    await t.client.query(
      `INSERT INTO starboard_message (message_id, guild_id, message_channel_id, message_user_id, message_content, message_expires_at, starboard_message_id) VALUES (7, $1, 1, 1, 'x', now(), 8)`,
      [A],
    );
  });

  it('finds the schema before it unfit for distribution: the layout walk names each id-only key and the rank foreign key', async () => {
    const found = await layoutOffenders(t.client);
    expect(found.keys.map((line) => /primary key (\w+)/.exec(line)?.[1])).to.have.members(REKEYED_PRIMARY_KEYS);
    expect(found.keys.find((line) => line.startsWith('cases:'))).to.equal('cases: primary key pk_cases leaves out guild_id: CREATE UNIQUE INDEX pk_cases ON public.cases USING btree (case_id)');
    expect(found.foreignKeys).to.deep.equal(['permission_assignments: foreign key fk_permission_assignments_rank (permission_rank_id) → permission_ranks (permission_rank_id)']);
  });

  it('refuses, naming it, an assignment of another guild’s rank the new foreign key forbids, and changes nothing', async () => {
    const rank = (await t.client.query<{ id: string }>(`SELECT permission_rank_id::text AS id FROM permission_ranks WHERE guild_id = $1`, [A])).rows[0]?.id;
    const crossGuild = await t.client.query<{ id: string }>(
      `INSERT INTO permission_assignments (guild_id, role_id, permission_rank_id) VALUES ($1, 43, $2) RETURNING assignment_id::text AS id`,
      [B, rank],
    );
    const id = crossGuild.rows[0]?.id ?? '';
    try {
      const refused = await applyMigrations(t.service.dataSource).then(() => undefined, (e: unknown) => e);
      // Each migration runs in its own transaction: this one rolled back, and none after it ran.
      expect((await t.client.query(`SELECT 1 FROM migrations WHERE name = $1`, [NAME])).rowCount).to.equal(0);
      expect(refused).to.be.instanceOf(DatabaseError);
      expect((refused as Error).message).to.include(`the permission_assignments with assignment_id ${id} give a role a rank of another guild`);
      expect(await primaryKey('cases')).to.equal('PRIMARY KEY (case_id)');
      expect((await layoutOffenders(t.client)).foreignKeys).to.have.length(1);
    } finally {
      await t.client.query(`DELETE FROM permission_assignments WHERE assignment_id = $1`, [id]);
    }
  });

  it('puts guild_id in every key, keeping every row and id, after which the walk finds nothing and the entities agree', async () => {
    const before = await t.client.query(`SELECT (SELECT array_agg(case_id) FROM cases) AS c, (SELECT array_agg(assignment_id) FROM permission_assignments) AS a`);
    expect(await applyMigrations(t.service.dataSource)).to.deep.equal(FROM_THIS_ONE);
    expect(await t.client.query(`SELECT (SELECT array_agg(case_id) FROM cases) AS c, (SELECT array_agg(assignment_id) FROM permission_assignments) AS a`)).to.have.deep.property('rows', before.rows);
    expect(await primaryKey('cases')).to.equal('PRIMARY KEY (case_id, guild_id)');
    expect(await primaryKey('starboard_message')).to.equal('PRIMARY KEY (message_id, guild_id)');
    const found = await layoutOffenders(t.client);
    expect([...found.keys, ...found.foreignKeys]).to.deep.equal([]);
    expect((await pendingSchemaChanges(t.service.dataSource)).up).to.deep.equal([]);
    // The identities still number new rows.
    const next = await t.client.query<{ id: string }>(`INSERT INTO cases (case_number, case_type, case_user_id, case_moderator_id, guild_id) VALUES (2, 'WARN', 1, 1, $1) RETURNING case_id::text AS id`, [A]);
    expect(Number(next.rows[0]?.id)).to.be.greaterThan(Number((before.rows[0] as { c: string[] }).c[0]));
  });

  it('down() refuses, naming it, an id two guilds now share, and reverts once only one holds it', async () => {
    const shared = await t.client.query<{ id: string }>(`SELECT case_id::text AS id FROM cases ORDER BY case_id LIMIT 1`);
    const id = shared.rows[0]?.id ?? '';
    await t.client.query(
      `INSERT INTO cases (case_id, case_number, case_type, case_user_id, case_moderator_id, guild_id) OVERRIDING SYSTEM VALUE VALUES ($1, 1, 'WARN', 1, 1, $2)`,
      [id, B],
    );
    const refused = await revertThroughThisMigration().then(() => undefined, (e: unknown) => e);
    expect(refused).to.be.instanceOf(DatabaseError);
    expect((refused as Error).message).to.include(`cases.case_id ${id} is held by rows of several guilds`);
    expect(await primaryKey('cases')).to.equal('PRIMARY KEY (case_id, guild_id)');
    await t.client.query(`DELETE FROM cases WHERE case_id = $1 AND guild_id = $2`, [id, B]);
    // The later migrations were reverted before the refusal; reverting again starts at this one.
    expect(await revertThroughThisMigration()).to.equal(NAME);
    expect(await primaryKey('cases')).to.equal('PRIMARY KEY (case_id)');
    expect((await layoutOffenders(t.client)).foreignKeys).to.have.length(1);
    expect(await applyMigrations(t.service.dataSource)).to.deep.equal(FROM_THIS_ONE);
  });
});
