import { expect } from 'chai';
import { isGuildForeignKey } from '../../src/service/guild-race';
import { DatabaseService } from '../../src/service/database-service';
import { applyMigrations, pendingSchemaChanges, revertLastMigration } from '../../src/service/migrations';
import { ALL_MIGRATIONS } from '../../src/migrations/all-migrations';
import { CaseType, OnboardingStage, PermissionLevel } from '../../src/entities/enums';
import { createScratchDatabase, dropScratchDatabase } from '../support/test-server';

const TABLES = [
  'afk', 'cases', 'guild', 'guild_config', 'guild_permissions', 'levels', 'permission_assignments',
  'permission_commands', 'permission_ranks', 'reminder', 'snippet', 'starboard', 'starboard_message',
];
const GUILD_TABLES = TABLES.filter((t) => t !== 'guild');

describe('the migrations', () => {
  let service: DatabaseService;
  const rows = async <R>(sql: string): Promise<R[]> => (await service.query(sql, [])).rows as R[];

  before(async () => {
    service = new DatabaseService({ url: await createScratchDatabase('schema'), migrate: false });
    await service.connect();
  });
  after(async () => {
    await service.disconnect();
    await dropScratchDatabase('schema');
  });

  it('applies every migration to an empty database', async () => {
    expect(await applyMigrations(service.dataSource)).to.deep.equal(ALL_MIGRATIONS.map((m) => m.name));
  });

  it('creates every table of the design', async () => {
    const tables = await rows<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrations' ORDER BY 1`);
    expect(tables.map((t) => t.table_name)).to.deep.equal(TABLES);
  });

  it('stores every Discord id as bigint with a CHECK (> 0), and every time as timestamptz', async () => {
    const columns = await rows<{ table_name: string; column_name: string; data_type: string }>(
      `SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'migrations'`,
    );
    const idColumns = columns.filter((c) => /(_id)$/.test(c.column_name));
    expect(idColumns.length).to.be.greaterThan(30);
    for (const c of idColumns) expect(c.data_type, `${c.table_name}.${c.column_name}`).to.equal('bigint');
    const times = columns.filter((c) => /(_at|since|until|last_message)$/.test(c.column_name));
    for (const c of times) expect(c.data_type, `${c.table_name}.${c.column_name}`).to.equal('timestamp with time zone');
    const checks = await rows<{ conname: string; relname: string }>(
      `SELECT conname, relname FROM pg_constraint JOIN pg_class ON pg_class.oid = conrelid WHERE contype = 'c'`,
    );
    const snowflakeChecks = new Set(checks.map((c) => `${c.relname}.${c.conname}`));
    for (const c of idColumns.filter((c) => !['case_id', 'snippet_id', 'reminder_id', 'assignment_id', 'command_id'].includes(c.column_name) && !(c.table_name === 'permission_ranks' && c.column_name === 'permission_rank_id'))) {
      expect(snowflakeChecks.has(`${c.table_name}.${c.column_name}_positive`), `${c.table_name}.${c.column_name}_positive`).to.equal(true);
    }
  });

  it('uses native enums holding exactly the exported values', async () => {
    const labels = async (type: string) =>
      (await rows<{ enumlabel: string }>(`SELECT enumlabel FROM pg_enum JOIN pg_type ON pg_type.oid = enumtypid WHERE typname = '${type}' ORDER BY enumsortorder`)).map((r) => r.enumlabel);
    expect(await labels('case_type')).to.deep.equal(Object.values(CaseType));
    expect(await labels('permission_level')).to.deep.equal(Object.values(PermissionLevel));
    expect(await labels('onboarding_stage')).to.deep.equal(Object.values(OnboardingStage));
  });

  it('cascades every foreign key to guild on delete', async () => {
    const fks = await rows<{ table: string; name: string; on_delete: string; target: string }>(
      `SELECT c.relname AS table, conname AS name, confdeltype AS on_delete, t.relname AS target
       FROM pg_constraint JOIN pg_class c ON c.oid = conrelid JOIN pg_class t ON t.oid = confrelid WHERE contype = 'f'`,
    );
    for (const table of GUILD_TABLES) {
      const fk = fks.find((f) => f.table === table && f.target === 'guild');
      expect(fk, `${table} → guild`).to.include({ name: `fk_${table}_guild`, on_delete: 'c' });
    }
    expect(fks.find((f) => f.name === 'fk_permission_assignments_rank')).to.include({ target: 'permission_ranks', on_delete: 'c' });
    // A write that lost a race with deleteGuild is told apart from other foreign-key failures by this name.
    for (const fk of fks) expect(isGuildForeignKey(fk.name), fk.name).to.equal(fk.target === 'guild');
  });

  it('has the unique keys and CHECKs of the design', async () => {
    const constraints = await rows<{ name: string; def: string }>(`SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE contype IN ('u', 'c')`);
    const def = (name: string) => constraints.find((c) => c.name === name)?.def;
    expect(def('uq_cases_guild_case_number')).to.equal('UNIQUE (guild_id, case_number)');
    expect(def('uq_permission_ranks_guild_rank')).to.equal('UNIQUE (guild_id, rank)');
    expect(def('uq_permission_ranks_guild_name')).to.equal('UNIQUE (guild_id, name)');
    expect(def('uq_permission_assignments_guild_role')).to.equal('UNIQUE (guild_id, role_id)');
    expect(def('uq_permission_commands_guild_command')).to.equal('UNIQUE (guild_id, command_name)');
    expect(def('case_number_positive')).to.equal('CHECK ((case_number >= 1))');
    expect(def('case_count_non_negative')).to.equal('CHECK ((case_count >= 0))');
    expect(def('afk_until_after_since')).to.match(/until > since/);
    expect(def('xp_non_negative')).to.equal('CHECK ((xp >= (0)::double precision))');
    expect(def('starboard_threshold_positive')).to.equal('CHECK ((starboard_threshold >= 1))');
    expect(def('prefix_not_empty')).to.match(/length/);
    expect(def('permission_rank_range')).to.match(/rank >= 0.*rank <= 10/);
  });

  it('has the indexes of the design, partial and expression ones included', async () => {
    const indexes = await rows<{ indexname: string; indexdef: string }>(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'`);
    const def = (name: string) => indexes.find((i) => i.indexname === name)?.indexdef ?? `missing ${name}`;
    expect(def('ix_cases_guild_user')).to.match(/\(guild_id, case_user_id\)/);
    expect(def('ix_cases_guild_moderator')).to.match(/\(guild_id, case_moderator_id\)/);
    expect(def('ix_cases_guild_created')).to.match(/\(guild_id, case_created_at\)/);
    expect(def('ix_cases_unprocessed_expiry')).to.match(/\(case_expires_at\) WHERE \(\(case_processed = false\) AND \(case_expires_at IS NOT NULL\)\)/);
    expect(def('ix_afk_until_temporary')).to.match(/\(until\) WHERE \(\(perm_afk = false\)/);
    expect(def('ix_levels_leaderboard')).to.match(/\(guild_id, xp DESC\) WHERE \(blacklisted = false\)/);
    expect(def('uq_snippet_guild_name')).to.match(/UNIQUE INDEX .*\(guild_id, lower\(\(snippet_name\)::text\)\)/);
    expect(def('ix_starboard_message_top')).to.match(/\(guild_id, star_count DESC\)/);
    expect(def('ix_reminder_due')).to.match(/\(reminder_expires_at\) WHERE \(reminder_sent = false\)/);
    for (const table of ['afk', 'levels', 'reminder']) expect(def(`ix_${table}_guild`), `${table}: guild deletes cascade through an index`).to.match(/\(guild_id\)$/);
  });

  it('agrees exactly with the entities: the schema builder has nothing to change', async () => {
    expect((await pendingSchemaChanges(service.dataSource)).up).to.deep.equal([]);
  });

  it('reverts to an empty database', async () => {
    for (let i = 0; i < ALL_MIGRATIONS.length; i++) expect(await revertLastMigration(service.dataSource)).to.be.a('string');
    expect(await revertLastMigration(service.dataSource)).to.equal(null);
    const left = await rows<{ relname: string }>(
      `SELECT relname FROM pg_class JOIN pg_namespace n ON n.oid = relnamespace WHERE nspname = 'public' AND relname NOT LIKE 'migrations%' AND relname NOT LIKE 'PK_%'`,
    );
    expect(left).to.deep.equal([]);
    const types = await rows<{ typname: string }>(`SELECT typname FROM pg_type JOIN pg_namespace n ON n.oid = typnamespace WHERE nspname = 'public' AND typtype = 'e'`);
    expect(types).to.deep.equal([]);
  });
});
