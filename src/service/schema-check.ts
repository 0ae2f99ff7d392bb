import type { DataSource } from 'typeorm';
import { migrationStatus, pendingSchemaChanges } from './migrations';
import { appliedMigrations } from './migration-history';
import { convertError } from '../errors/convert-error';

/** What `checkSchema` found: the database agrees with the entities and migrations when `ok`. */
export interface SchemaCheck {
  readonly ok: boolean;
  /** Migrations of this library not yet applied: the schema builder is only asked once there are none. */
  readonly pendingMigrations: ReadonlyArray<string>;
  /** Applied migrations this version of the library does not have (the database is ahead of the code). */
  readonly unknownMigrations: ReadonlyArray<string>;
  /** The statements TypeORM's schema builder would run to make the tables match the entities (empty: no drift). */
  readonly driftStatements: ReadonlyArray<string>;
}

/**
 * Checks that every migration is applied and that the tables then match the entities (the drift check
 * `health()` runs, via pendingSchemaChanges): with all migrations applied, any statement the schema builder
 * would still run means the entities and the migrations disagree. Never changes the database.
 * @throws DatabaseError (converted) when the database cannot be read.
 * @example
 * const check = await checkSchema(service.dataSource);
 * if (!check.ok) console.error(check.pendingMigrations, check.driftStatements);
 */
export async function checkSchema(dataSource: DataSource): Promise<SchemaCheck> {
  const pendingMigrations = (await migrationStatus(dataSource)).filter((m) => !m.applied).map((m) => m.name);
  const unknownMigrations = (await appliedMigrations(dataSource)).filter((m) => !m.known).map((m) => m.name);
  // Before the migrations are applied the builder's answer is the migrations' work, not drift.
  let driftStatements: ReadonlyArray<string> = [];
  try {
    if (pendingMigrations.length === 0) driftStatements = (await pendingSchemaChanges(dataSource)).up;
  } catch (e) {
    throw convertError(e);
  }
  return { ok: pendingMigrations.length === 0 && unknownMigrations.length === 0 && driftStatements.length === 0, pendingMigrations, unknownMigrations, driftStatements };
}
