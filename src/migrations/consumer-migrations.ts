import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { MigrationInterface } from 'typeorm';
import { ALL_MIGRATIONS } from './all-migrations';
import { ValidationError } from '../errors/validation-error';
import { thrownText } from '../errors/thrown-text';

/** A TypeORM migration class, as the `migrations` option takes it: `class AddNewField1795994250627 implements MigrationInterface`. */
export type MigrationClass = new () => MigrationInterface;

/** The files of a TUX_DB_MIGRATIONS directory that are loaded: compiled JavaScript, not declarations or maps. */
const LOADABLE = /\.(c|m)?js$/;

/**
 * A migration's name as TypeORM records it: the instance's `name` property, else the class name. TypeORM reads the
 * migration's timestamp from the name's last 13 digits and runs pending migrations in timestamp order.
 * @example
 * migrationNameOf(ALL_MIGRATIONS[0]); // 'InitialSchema1764140000000'
 */
export function migrationNameOf(migration: MigrationClass): string {
  const instance = new migration();
  return typeof instance.name === 'string' && instance.name !== '' ? instance.name : migration.name;
}

/** The timestamp TypeORM orders a migration by: the last 13 digits of its name (NaN when there are none). */
function timestampOf(name: string): number {
  return /[0-9]{13}$/.test(name) ? Number(name.slice(-13)) : NaN;
}

const fail = (message: string): ValidationError => ValidationError.forField('DatabaseOptions', 'migrations', message);

/**
 * Checks the bot's own migrations (the `migrations` option): an array of migration classes with up() and down(),
 * each named with a 13-digit timestamp later than the library's first migration (the bot's migrations may rely on
 * the library's tables), no name twice, and no name of the library's own. Returns them as a fresh array.
 * @throws ValidationError, before anything connects, naming the first problem.
 * @example
 * class AddNewField1795994250627 { async up(): Promise<void> {} async down(): Promise<void> {} }
 * checkMigrationClasses([AddNewField1795994250627]); // [AddNewField1795994250627]
 */
export function checkMigrationClasses(value: unknown): MigrationClass[] {
  if (!Array.isArray(value)) throw fail(`must be an array of migration classes (got ${value === null ? 'null' : typeof value})`);
  const library = new Set<string>(ALL_MIGRATIONS.map((m) => m.name));
  const earliest = timestampOf(ALL_MIGRATIONS[0].name);
  const seen = new Set<string>();
  return value.map((candidate: unknown, i) => {
    const at = `migrations[${i}]`;
    if (!isMigrationClass(candidate)) throw fail(`${at} must be a migration class with up() and down() methods (got ${describe(candidate)})`);
    let name: string;
    try {
      name = migrationNameOf(candidate);
    } catch (e) {
      throw fail(`${at} (${candidate.name || 'anonymous class'}) could not be constructed without arguments: ${thrownText(e)}`);
    }
    if (name === '') throw fail(`${at} has no name: give the class a name ending in a 13-digit timestamp, such as AddNewField${Date.now()}`);
    const timestamp = timestampOf(name);
    if (Number.isNaN(timestamp)) throw fail(`${at} ${JSON.stringify(name)} must end in a 13-digit timestamp (ms since 1970), as TypeORM orders migrations by it`);
    if (library.has(name)) throw fail(`${at} ${JSON.stringify(name)} is one of tux-database's own migrations, which always run: leave it out`);
    if (timestamp <= earliest) throw fail(`${at} ${JSON.stringify(name)} has a timestamp before tux-database's first migration (${ALL_MIGRATIONS[0].name}): it would run before the library's tables exist`);
    if (seen.has(name)) throw fail(`${at} ${JSON.stringify(name)} is listed twice`);
    seen.add(name);
    return candidate;
  });
}

function isMigrationClass(value: unknown): value is MigrationClass {
  if (typeof value !== 'function') return false;
  const proto: unknown = value.prototype;
  if (typeof proto !== 'object' || proto === null) return false;
  const methods = proto as { up?: unknown; down?: unknown };
  return typeof methods.up === 'function' && typeof methods.down === 'function';
}

function describe(value: unknown): string {
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'} without up() and down()`;
  return value === null ? 'null' : typeof value;
}

/**
 * Loads the bot's compiled migrations from `target` (TUX_DB_MIGRATIONS), relative to `cwd`: a directory, whose
 * .js/.cjs/.mjs files are each loaded in name order, or one module. From each module it takes the exported array
 * `migrations` when there is one, else every exported migration class; a class found in two modules counts once. The
 * result is checked as the `migrations` option is.
 * @throws ValidationError when the path does not exist, a module fails to load, or the classes are not valid.
 * @example
 * // a bot's dist/migrations/1795994250627-add-new-field.js, compiled by the bot's tsc:
 * const classes = loadMigrations('dist/migrations'); // [AddNewField1795994250627]
 */
export function loadMigrations(target: string, cwd: string = process.cwd()): MigrationClass[] {
  const where = path.resolve(cwd, target);
  const envFail = (message: string): ValidationError => ValidationError.forField('DatabaseOptions', 'env.TUX_DB_MIGRATIONS', message);
  if (!existsSync(where)) throw envFail(`${where} does not exist: set it to the directory of the bot's compiled migrations (.js), or a module exporting \`migrations\``);
  const files = statSync(where).isDirectory()
    ? readdirSync(where).filter((f) => LOADABLE.test(f)).sort().map((f) => path.join(where, f))
    : [where];
  const classes = files.flatMap((file) => {
    let exported: unknown;
    try {
      exported = require(file);
    } catch (e) {
      throw envFail(`${file} could not be loaded: ${thrownText(e).split('\n')[0]}`);
    }
    return migrationsOf(exported);
  });
  // One class reached through two modules (its own file, and an index module's `migrations` array that the bot also
  // passes to createDatabase) is one migration: Node loads a module once, so it is the same class object.
  return checkMigrationClasses([...new Set(classes)]);
}

/** A module's migrations: its `migrations` array export, else every exported migration class. */
function migrationsOf(exported: unknown): unknown[] {
  if (typeof exported !== 'object' && typeof exported !== 'function') return [];
  if (exported === null) return [];
  const record = exported as Record<string, unknown>;
  if (Array.isArray(record['migrations'])) return record['migrations'] as unknown[];
  // A class exported twice (named and default) is one migration.
  return [...new Set(Object.values(record).filter(isMigrationClass))];
}
