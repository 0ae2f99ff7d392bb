import { MigrationExecutor, type DataSource, type QueryRunner } from 'typeorm';
import { withMigrationLock, type MigrationRunOptions } from './migrations';
import { inTransaction } from './revert-migrations';
import { DatabaseError } from '../errors/database-error';
import { ALL_MIGRATIONS } from '../migrations/all-migrations';

/** What `resetDatabase` did. */
export interface ResetResult {
  /** The library's tables that existed and were dropped (with every row in them). */
  readonly dropped: ReadonlyArray<string>;
  /** The migrations applied afterwards, oldest first. */
  readonly applied: ReadonlyArray<string>;
}

/** What `nukeDatabase` did. */
export interface NukeResult {
  /** The schema that was dropped and created again, empty (the connection's current schema, usually public). */
  readonly schema: string;
  /** The tables it held, every one of them gone now. */
  readonly dropped: ReadonlyArray<string>;
}

/** `name` as a double-quoted SQL identifier. Names come from the entity metadata or the catalog, never from input. */
function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The library's own tables (every entity's, the migrations table, TypeORM's metadata table) and enum types. */
function libraryObjects(dataSource: DataSource): { tables: string[]; types: string[] } {
  const tables = new Set(dataSource.entityMetadatas.map((m) => m.tableName));
  tables.add(dataSource.options.migrationsTableName ?? 'migrations');
  tables.add(dataSource.options.metadataTableName ?? 'typeorm_metadata');
  const types = new Set<string>();
  for (const metadata of dataSource.entityMetadatas) {
    for (const column of metadata.columns) {
      if (column.type === 'enum' || column.type === 'simple-enum') types.add(column.enumName ?? `${metadata.tableName}_${column.databaseName}_enum`);
    }
  }
  return { tables: [...tables].sort(), types: [...types].sort() };
}

async function existingTables(runner: QueryRunner, names: ReadonlyArray<string> | null): Promise<string[]> {
  const rows: Array<{ relname: string }> = await runner.query(
    `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND ($1::text[] IS NULL OR c.relname = ANY($1::text[]))
     ORDER BY c.relname`,
    [names],
  );
  return rows.map((r) => r.relname);
}

/**
 * Drops the library's tables, enum types and trigger function (every row in them; other tables of the schema stay) and applies
 * every migration again, under the migration advisory lock and in one transaction: when a migration fails,
 * the drop is rolled back too and the database is as it was. Refuses nothing itself: the CLI decides whether
 * the target may be reset (see `resetRefusal`).
 * @throws DatabaseError (converted) when a statement fails (nothing is changed then).
 * @example
 * const { dropped, applied } = await resetDatabase(service.dataSource, { timeoutMs: 0 });
 */
export async function resetDatabase(dataSource: DataSource, options: MigrationRunOptions = {}): Promise<ResetResult> {
  const { tables, types } = libraryObjects(dataSource);
  return withMigrationLock(dataSource, options, (runner) =>
    inTransaction(runner, async () => {
      await revertBotMigrations(dataSource, runner);
      const dropped = await existingTables(runner, tables);
      await runner.query(`DROP TABLE IF EXISTS ${tables.map(quoteIdent).join(', ')} CASCADE`);
      if (types.length > 0) await runner.query(`DROP TYPE IF EXISTS ${types.map(quoteIdent).join(', ')} CASCADE`);
      // The cache's trigger functions outlive their tables' triggers; the migrations create them again.
      await runner.query('DROP FUNCTION IF EXISTS "tux_cache_notify"(), "tux_cache_notify_members"(), "tux_cache_notify_guilds"() CASCADE');
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'none'; // the one transaction above holds the drop and every migration
      const applied = (await executor.executePendingMigrations()).map((m) => m.name);
      return { dropped, applied };
    }),
  );
}

/**
 * Undoes the bot's own applied migrations (the `migrations` option), newest first, with their down(): dropping only
 * the library's tables would leave the bot's behind, and applying the bot's migrations again would then fail.
 * @throws DatabaseError when an applied migration is known to neither the library nor the bot (its down() is unknown).
 */
async function revertBotMigrations(dataSource: DataSource, runner: QueryRunner): Promise<void> {
  const library = new Set(ALL_MIGRATIONS.map((m) => m.name));
  const executor = new MigrationExecutor(dataSource, runner);
  // Read on this runner, inside the transaction; an empty database has no migrations table yet.
  const hasTable = (await existingTables(runner, [dataSource.options.migrationsTableName ?? 'migrations'])).length > 0;
  const applied = hasTable ? await executor.getExecutedMigrations() : [];
  for (const migration of applied) {
    if (library.has(migration.name)) continue;
    const instance = dataSource.migrations.find((m) => m.name === migration.name);
    if (!instance?.down) throw new DatabaseError(`reset cannot undo the applied migration ${migration.name}: this process does not know it (set the migrations option / TUX_DB_MIGRATIONS)`);
    await instance.down(runner);
  }
}

interface SchemaRow {
  readonly schema: string | null;
  readonly ident: string;
  readonly owner: string;
  readonly comment: string | null;
}

interface GrantRow {
  readonly grantee: string;
  readonly privilege: string;
  readonly grantable: boolean;
}

/**
 * Drops the connection's current schema (usually public) with everything in it, the library's tables and any
 * other table, view, type, function or extension, and creates it again empty with the same owner, privileges
 * and comment. Runs under the migration advisory lock in one transaction. Applies no migration.
 * @throws DatabaseError when there is no current schema, or (converted) when a statement fails (nothing is changed then).
 * @example
 * const { schema, dropped } = await nukeDatabase(service.dataSource, { timeoutMs: 0 });
 */
export async function nukeDatabase(dataSource: DataSource, options: MigrationRunOptions = {}): Promise<NukeResult> {
  return withMigrationLock(dataSource, options, (runner) =>
    inTransaction(runner, async () => {
      // Identifiers are quoted by the server (quote_ident) from the catalog; nothing here comes from input.
      const [target]: SchemaRow[] = await runner.query(
        `SELECT n.nspname AS schema, quote_ident(n.nspname) AS ident, quote_ident(pg_get_userbyid(n.nspowner)) AS owner,
                quote_literal(obj_description(n.oid, 'pg_namespace')) AS comment
         FROM pg_namespace n WHERE n.nspname = current_schema()`,
      );
      if (!target?.schema) throw new DatabaseError('There is no current schema to empty (search_path names no existing schema): nothing was dropped.');
      const grants: GrantRow[] = await runner.query(
        `SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END AS grantee,
                a.privilege_type AS privilege, a.is_grantable AS grantable
         FROM pg_namespace n, aclexplode(n.nspacl) a WHERE n.nspname = current_schema()`,
      );
      const dropped = await existingTables(runner, null);
      await runner.query(`DROP SCHEMA ${target.ident} CASCADE`);
      await runner.query(`CREATE SCHEMA ${target.ident} AUTHORIZATION ${target.owner}`);
      for (const grant of grants) {
        if (!/^[A-Z]+$/.test(grant.privilege)) continue; // USAGE or CREATE; anything else is not a schema privilege
        await runner.query(`GRANT ${grant.privilege} ON SCHEMA ${target.ident} TO ${grant.grantee}${grant.grantable ? ' WITH GRANT OPTION' : ''}`);
      }
      if (target.comment !== null) await runner.query(`COMMENT ON SCHEMA ${target.ident} IS ${target.comment}`);
      return { schema: target.schema, dropped };
    }),
  );
}
