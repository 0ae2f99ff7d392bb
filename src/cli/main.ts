import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { DatabaseService } from '../service/database-service';
import { CaseType } from '../entities/enums';
import { DatabaseError } from '../errors/database-error';
import { ValidationError } from '../errors/validation-error';
import { redactSecrets, redactUrl, secretsOf } from '../redact-secrets';
import { TuxImportError } from '../import/tux-import-error';
import { healthLines } from './health-lines';
import { importLines, refusalLines } from './import-lines';
import { checkLines, historyLines, queryLines, tableLines, versionLines } from './ops-lines';
import { ALLOW_RESET_ENV, resetRefusal, SERVER_FACTS_SQL, serverRefusal, type ServerFacts } from './reset-guard';
import { PACKAGE_ROOT, packageVersion } from './package-version';
import { thrownText } from '../errors/thrown-text';
import { databaseUrlProblem } from '../database-url';

// The database-facing modules (TypeORM, pg) load on first use, so `tux-db help` starts about as fast as
// node itself; `require` (not `import()`) keeps the specs that run main() under ts-node working.
const serviceModule = (): typeof import('../service/database-service') => require('../service/database-service') as typeof import('../service/database-service');
const migrations = (): typeof import('../service/migrations') => require('../service/migrations') as typeof import('../service/migrations');
const demoModule = (): typeof import('./demo') => require('./demo') as typeof import('./demo');
const history = (): typeof import('../service/migration-history') => require('../service/migration-history') as typeof import('../service/migration-history');
const tables = (): typeof import('../service/table-stats') => require('../service/table-stats') as typeof import('../service/table-stats');
const activity = (): typeof import('../service/active-queries') => require('../service/active-queries') as typeof import('../service/active-queries');
const schemaCheck = (): typeof import('../service/schema-check') => require('../service/schema-check') as typeof import('../service/schema-check');
const reverting = (): typeof import('../service/revert-migrations') => require('../service/revert-migrations') as typeof import('../service/revert-migrations');
const resetting = (): typeof import('../service/reset-database') => require('../service/reset-database') as typeof import('../service/reset-database');
const importing = (): typeof import('../import/import-tux') => require('../import/import-tux') as typeof import('../import/import-tux');

const USAGE = `Usage: tux-db <command> [args]

Commands:
  migrate-generate NAME [--dir DIR]
                          write a migration for the entities' changes against the (fully migrated) database; NAME is
                          any text with a letter or digit ("add new field" → <timestamp>-add-new-field.ts, class
                          AddNewField<timestamp>).
                          DIR: --dir, else TUX_DB_MIGRATIONS_DIR, else ./migrations (src/migrations in tux-database itself)
  migrate-push            apply every pending migration (the library's, then the bot's: TUX_DB_MIGRATIONS)
  migrate-revert          revert the last applied migration
  migrate-status          list migrations (the library's and the bot's) and whether each is applied
  migrate-check           exit 1 unless every migration is applied and the tables match the entities (= check)
  health                  check the connection, server role and schema (exit 1 unless healthy)
  demo                    migrate, then walk through a moderation session

  tables [--exact]        each table of the schema: rows (the planner's estimate, or counted with --exact) and size
  queries [--longer-than SECONDS]
                          this database's statements running over SECONDS (default 300), sessions waiting on a
                          lock and the sessions holding it (its own session left out)
  history                 the applied migrations in the order they were applied, then the pending ones
  check                   the same as migrate-check: exit 1 on a pending or unknown migration or on drift
  version                 the library's version, the server's, and the latest applied migration
  --version               the library's version alone, without connecting
  downgrade N             revert the N latest migrations, newest first, in one transaction under the migration lock
  reset --force           drop the library's tables (all their rows) and apply every migration again, in one transaction
  nuke --force            drop the current schema (usually public) with everything in it and create it again empty;
                          no migration is applied (migrate-push does that)
  import-tux --from URL [--dry-run] [--null-case-type TYPE]
                          copy the Tux database at URL (Alembic head of Tux c0e1a1e8) into this migrated database, in
                          one transaction; rows already there stay as they are, so running it again adds nothing. Prints
                          counts per table and every Tux value this schema forbids with its resolution; exit 1, nothing
                          written, when one has none. --dry-run writes nothing (exit 1 if the import would be refused);
                          --null-case-type gives Tux cases with no type that type (BAN, KICK, WARN, …)

reset and nuke refuse without --force (exit 2), and refuse (exit 1) unless the target is safe to wipe: the
embedded server, or a DATABASE_URL whose host is this machine (localhost, 127.0.0.0/8, ::1, a Unix socket) and
whose database name has no word prod, production or live, with none of NODE_ENV, ENVIRONMENT, APP_ENV set to
production. ${ALLOW_RESET_ENV}=1 allows any target (--force is still needed).

The database is DATABASE_URL, or the embedded server (data in TUX_DB_DATA_DIR, default .tux-db/).
The bot's own migrations: TUX_DB_MIGRATIONS, a directory of compiled .js migrations or a module exporting \`migrations\`.
SIGTERM: the work in flight finishes (a migration run, a reset, an import), nothing new starts, the database
is closed, and tux-db exits with 143. SIGINT (Ctrl-C): nothing new starts, the work in flight gets about a second, then
tux-db exits with 130 (a unit of work that has not committed rolls back whole). A second signal exits at once.`;

/** Signals that stop a running command gracefully, with their numbers (exit code 128 + n). */
const STOP_SIGNALS = { SIGINT: 2, SIGTERM: 15 } as const;
type StopSignal = keyof typeof STOP_SIGNALS;
/** How long the work in flight gets after SIGINT (Ctrl-C) before tux-db exits anyway. */
const SIGINT_GRACE_MS = 1_000;

/** The package's own migrations (where a tux-database contributor's migrate-generate writes), from src/ or dist/src/. */
const PACKAGE_MIGRATIONS_DIR = path.join(PACKAGE_ROOT, 'src', 'migrations');

/** `migrate-generate`'s arguments: the name (its words may come as separate arguments) and --dir. */
function generateArgs(args: string[]): { name: string; dir: string | undefined } {
  const usage = 'migrate-generate takes NAME [--dir DIR]';
  const words: string[] = [];
  let dir: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--dir') {
      const value = args[++i];
      if (dir !== undefined || value === undefined || value === '' || value.startsWith('-')) throw new UsageError(`${usage}: --dir once, followed by a directory`);
      dir = value;
    } else if (arg.startsWith('--')) throw new UsageError(`${usage}, not ${echoed(arg)}`);
    else words.push(arg);
  }
  if (words.length === 0) throw new UsageError(`${usage}: NAME says what the migration does, such as "add new field"`);
  return { name: words.join(' '), dir };
}

/**
 * Where `migrate-generate` writes: --dir, else TUX_DB_MIGRATIONS_DIR, else ./migrations of the bot's project (the
 * working directory); run inside the tux-database repository itself, the package's src/migrations.
 */
function migrationsDir(flag: string | undefined): string {
  const chosen = flag ?? (process.env['TUX_DB_MIGRATIONS_DIR'] || undefined);
  if (chosen !== undefined) return path.resolve(chosen);
  const real = (p: string): string => {
    try {
      return realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  return real(process.cwd()) === real(PACKAGE_ROOT) ? PACKAGE_MIGRATIONS_DIR : path.resolve('migrations');
}

/** How downgrade, reset and nuke run (the migration session's statement_timeout, one transaction behind a pooler), as migrate-push does. */
const runOptions = (s: DatabaseService): import('../service/migrations').MigrationRunOptions => migrations().migrationRunOptions(s.options);

type Print = (line: string) => void;

/** A usage mistake: exit code 2. */
class UsageError extends Error {}

/** A destructive command refused for its target (see resetRefusal): exit code 1. */
class RefusedError extends Error {}

/** The whole number of `flag`'s value in `args` (absent: `fallback`); throws UsageError for anything else. */
function numberOption(command: string, args: string[], flag: string, fallback: number): number {
  if (args.length === 0) return fallback;
  const [name, value] = args;
  if (name !== flag || args.length !== 2 || value === undefined || !/^[0-9]{1,9}$/.test(value)) {
    throw new UsageError(`${command} takes only ${flag} SECONDS (a whole number ≥ 0), not ${echoed(args.join(' '))}`);
  }
  return Number(value);
}

/** What `import-tux` was asked to do. */
interface ImportArgs {
  readonly from: string;
  readonly dryRun: boolean;
  readonly nullCaseType: CaseType | undefined;
}

const CASE_TYPES: ReadonlyArray<string> = Object.values(CaseType);
const isCaseType = (value: string | undefined): value is CaseType => value !== undefined && CASE_TYPES.includes(value);

/** `import-tux`'s arguments, in any order; throws UsageError, never echoing anything but an option's name (a URL may hold a password). */
function importArgs(args: string[]): ImportArgs {
  const usage = 'import-tux takes --from URL [--dry-run] [--null-case-type TYPE]';
  let from: string | undefined;
  let dryRun = false;
  let nullCaseType: CaseType | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const value = args[i + 1];
    if (arg === '--dry-run' && !dryRun) dryRun = true;
    else if (arg === '--from' && from === undefined && value !== undefined && !value.startsWith('-')) from = args[++i];
    else if (arg === '--null-case-type' && nullCaseType === undefined) {
      if (!isCaseType(value)) throw new UsageError(`--null-case-type takes a case type: ${CASE_TYPES.join(', ')}`);
      nullCaseType = value;
      i++;
    } else if (arg === '--from') throw new UsageError(`${usage}: --from once, followed by the Tux database's URL`);
    else throw new UsageError(`${usage}, not ${/^--?[a-z][a-z-]{0,40}$/i.test(arg) ? JSON.stringify(arg) : 'an argument outside them (not shown: it may hold a password)'}`);
  }
  if (from === undefined) throw new UsageError(`${usage}: --from names the Tux database to copy`);
  const problem = databaseUrlProblem(from);
  // Before anything connects or prints the target.
  if (problem !== undefined) throw new UsageError(`import-tux --from ${problem} (not shown: it may hold a password)`);
  return { from, dryRun, nullCaseType };
}

/** Checks `reset` / `nuke`'s arguments and target before anything connects. */
function guardDestructive(command: string, args: string[]): void {
  if (args.length !== 1 || args[0] !== '--force') {
    const what = command === 'reset' ? 'drops every table of tux-database with all its rows' : 'drops the whole schema with everything in it';
    throw new UsageError(args.length === 0 ? `${command} ${what}: add --force to confirm` : `${command} takes only --force, not ${echoed(args.join(' '))}`);
  }
  const refusal = resetRefusal(process.env['DATABASE_URL'] || undefined, process.env);
  if (refusal !== null) throw new RefusedError(`refusing to ${command}: ${refusal}`);
}

/**
 * Checks `reset` / `nuke`'s target once connected, from what the server says (see serverRefusal), so no reading of
 * the URL or the environment that differs from pg's lets them through. The embedded server is always allowed.
 */
async function guardConnected(command: string, s: DatabaseService): Promise<void> {
  if (s.options.url === undefined) return;
  const [facts] = (await s.query<ServerFacts>(SERVER_FACTS_SQL, [])).rows;
  const refusal = facts === undefined ? 'the server did not say which database this is' : serverRefusal(facts, process.env);
  if (refusal !== null) throw new RefusedError(`refusing to ${command}: ${refusal}`);
}

/** The database a command works on, as printed (password masked). */
function targetOf(s: DatabaseService): string {
  return s.options.url === undefined ? `the embedded server (${s.options.dataDir})` : redactUrl(s.options.url);
}

/** Runs `close` once when `stop` is aborted (at once if it already is); returns the function that stops listening. */
function closeOnStop(stop: AbortSignal, close: () => Promise<void>): () => void {
  // disconnect() refuses new work at once and waits for the unit of work in flight before closing.
  const onStop = (): void => void close().catch(() => undefined);
  if (stop.aborted) onStop();
  else stop.addEventListener('abort', onStop, { once: true });
  return () => stop.removeEventListener('abort', onStop);
}

/** Thrown when a stop signal came before a command's work started: main reports the signal. */
class StoppedError extends Error {}

/**
 * Connects, runs `fn`, disconnects. After a stop signal nothing new starts: a signal that comes while connecting
 * skips `fn`. What `fn` does when it comes finishes, and the database stays open until it returns: each command's
 * work (a migration run, a reset, an import, a report) is one piece, most of it one transaction, which closing the
 * pool under it would cut off and roll back. (SIGINT does not wait: see main.)
 */
async function withService<T>(migrate: boolean, stop: AbortSignal, fn: (service: DatabaseService) => Promise<T>): Promise<T> {
  const service = new (serviceModule().DatabaseService)({ migrate });
  try {
    await service.connect();
    if (stop.aborted) throw new StoppedError('stopped before the work started');
    return await fn(service);
  } finally {
    await service.disconnect();
  }
}

async function execute(command: string | undefined, args: string[], print: Print, printError: Print, stop: AbortSignal): Promise<number> {
  const expectArgs = (count: number): void => {
    if (args.length !== count) throw new UsageError(`${command} takes ${count === 0 ? 'no arguments' : `${count} argument(s)`}`);
  };
  switch (command) {
    case 'migrate-generate': {
      const { name, dir } = generateArgs(args);
      const { migrationNames, generateMigration } = migrations();
      migrationNames(name); // a name with nothing to write fails before anything connects
      const directory = migrationsDir(dir);
      const result = await withService(false, stop, (s) => generateMigration(s.dataSource, name, directory));
      if (result === null) print('No schema changes: the entities and the database agree.');
      else if (directory === PACKAGE_MIGRATIONS_DIR) print(`Wrote ${result.file}: review it, then add ${result.className} to src/migrations/all-migrations.ts.`);
      else print(`Wrote ${result.file}: review it, compile it, then add ${result.className} to the migrations option and to TUX_DB_MIGRATIONS' directory.`);
      return 0;
    }
    case 'migrate-push': {
      expectArgs(0);
      const { applyMigrations, migrationRunOptions } = migrations();
      const applied = await withService(false, stop, (s) => applyMigrations(s.dataSource, migrationRunOptions(s.options)));
      print(applied.length === 0 ? 'No pending migrations.' : applied.map((n) => `Applied ${n}`).join('\n'));
      return 0;
    }
    case 'migrate-revert': {
      expectArgs(0);
      const { revertLastMigration, migrationRunOptions } = migrations();
      const reverted = await withService(false, stop, (s) => revertLastMigration(s.dataSource, migrationRunOptions(s.options)));
      print(reverted ? `Reverted ${reverted}` : 'No applied migration to revert.');
      return 0;
    }
    case 'migrate-status': {
      expectArgs(0);
      const { migrationStatus } = migrations();
      const states = await withService(false, stop, (s) => migrationStatus(s.dataSource));
      for (const m of states) print(`${m.applied ? '[applied]' : '[pending]'} ${m.name}`);
      return 0;
    }
    case 'health': {
      expectArgs(0);
      const report = await withService(false, stop, (s) => s.health());
      const { lines, problem } = healthLines(report);
      for (const line of lines) print(line);
      if (problem !== null) printError(`tux-db: ${problem}`);
      return problem === null ? 0 : 1;
    }
    case 'tables': {
      if (args.length > 1 || (args.length === 1 && args[0] !== '--exact')) throw new UsageError(`tables takes only --exact, not ${echoed(args.join(' '))}`);
      const stats = await withService(false, stop, (s) => tables().tableStats(s.dataSource, { exact: args[0] === '--exact' }));
      for (const line of tableLines(stats)) print(line);
      return 0;
    }
    case 'queries': {
      const minDurationMs = numberOption('queries', args, '--longer-than', 300) * 1000;
      const found = await withService(false, stop, (s) => activity().activeQueries(s.dataSource, { minDurationMs }));
      for (const line of queryLines(found, minDurationMs)) print(line);
      return 0;
    }
    case 'history': {
      expectArgs(0);
      const [applied, states] = await withService(false, stop, async (s) => [await history().appliedMigrations(s.dataSource), await migrations().migrationStatus(s.dataSource)] as const);
      for (const line of historyLines(applied, states.filter((m) => !m.applied).map((m) => m.name))) print(line);
      return 0;
    }
    case 'check':
    case 'migrate-check': {
      expectArgs(0);
      const { lines, problem } = checkLines(await withService(false, stop, (s) => schemaCheck().checkSchema(s.dataSource)));
      for (const line of lines) print(line);
      if (problem !== null) printError(`tux-db: ${problem}`);
      return problem === null ? 0 : 1;
    }
    case 'version': {
      expectArgs(0);
      const library = packageVersion();
      const database = await withService(false, stop, (s) => history().databaseVersion(s.dataSource));
      for (const line of versionLines(library, database)) print(line);
      return 0;
    }
    case 'downgrade': {
      const count = args[0];
      if (args.length !== 1 || count === undefined || !/^[0-9]{1,9}$/.test(count) || Number(count) < 1) {
        throw new UsageError(`downgrade takes the number of migrations to revert (a whole number ≥ 1), not ${echoed(args.join(' '))}`);
      }
      const reverted = await withService(false, stop, (s) => reverting().revertMigrations(s.dataSource, Number(count), runOptions(s)));
      for (const name of reverted) print(`Reverted ${name}`);
      return 0;
    }
    case 'reset': {
      guardDestructive('reset', args);
      await withService(false, stop, async (s) => {
        await guardConnected('reset', s);
        print(`Resetting ${targetOf(s)}`);
        const { dropped, applied } = await resetting().resetDatabase(s.dataSource, runOptions(s));
        print(dropped.length === 0 ? 'Dropped no table (there was none).' : `Dropped ${dropped.length} table(s): ${dropped.join(', ')}`);
        for (const name of applied) print(`Applied ${name}`);
      });
      return 0;
    }
    case 'nuke': {
      guardDestructive('nuke', args);
      await withService(false, stop, async (s) => {
        await guardConnected('nuke', s);
        print(`Nuking ${targetOf(s)}`);
        const { schema, dropped } = await resetting().nukeDatabase(s.dataSource, runOptions(s));
        print(`Dropped schema ${schema} with ${dropped.length} table(s)${dropped.length > 0 ? ` (${dropped.join(', ')})` : ''} and created it again, empty.`);
        print('No migration is applied: tux-db migrate-push creates the tables again.');
      });
      return 0;
    }
    case 'import-tux': {
      const { from, dryRun, nullCaseType } = importArgs(args);
      const report = await withService(false, stop, (s) => {
        print(`${dryRun ? 'Dry run: reading' : 'Importing'} the Tux database ${redactUrl(from)} into ${targetOf(s)}`);
        return importing().importTux(from, s, { dryRun, nullCaseType });
      });
      const { lines, problem } = importLines(report);
      for (const line of lines) print(line);
      if (problem !== null) printError(`tux-db: ${problem}`);
      return problem === null ? 0 : 1;
    }
    case 'demo':
      expectArgs(0);
      await demoModule().runDemo(print, (close) => closeOnStop(stop, close));
      return 0;
    case '--version':
      expectArgs(0);
      print(`tux-database ${packageVersion()}`);
      return 0;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      if (args.length > 0) throw new UsageError(`${command} takes no arguments`);
      print(USAGE);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command ${echoed(command)}`);
  }
}

/** Removes every password of the connection (DATABASE_URL in any form pg reads, PGPASSWORD) from text about to be printed. */
function redacted(text: string): string {
  return redactSecrets(text, secretsOf(process.env['DATABASE_URL'] || undefined));
}

/**
 * Arguments as a usage error quotes them, at most 50 characters: the passwords they or DATABASE_URL hold are masked
 * before the cut and the quoting, which would otherwise leave a part or an escaped form of one that no later scrub
 * recognizes.
 */
function echoed(text: string): string {
  const secrets = [...secretsOf(process.env['DATABASE_URL'] || undefined), ...text.split(/\s+/).flatMap((word) => secretsOf(word, {}))];
  return JSON.stringify(redactSecrets(text, [...new Set(secrets)].sort((a, b) => b.length - a.length)).slice(0, 50));
}

/**
 * Runs the CLI; returns the exit code. Expected failures print one line on stderr, never a stack trace.
 * While it runs, SIGTERM and SIGINT close the database gracefully (see USAGE) instead of killing the process.
 */
export async function main(argv: string[], printOut: Print = (l) => console.log(redacted(l)), printErr: Print = (l) => console.error(redacted(l))): Promise<number> {
  const [command, ...args] = argv;
  // An argument may hold a password too (import-tux --from URL): nothing printed contains it, whatever the command.
  const argSecrets = [...new Set(args.flatMap((a) => secretsOf(a, {})))].sort((a, b) => b.length - a.length);
  const out: Print = (l) => printOut(redactSecrets(l, argSecrets));
  const err: Print = (l) => printErr(redactSecrets(l, argSecrets));
  const stop = new AbortController();
  let received: StopSignal | undefined;
  let returned = false;
  const onSignal = (signal: StopSignal): void => {
    if (received !== undefined) {
      // A second signal: the operator wants out now; the server rolls back whatever is still open.
      process.exit(128 + STOP_SIGNALS[signal]);
    }
    received = signal;
    if (signal === 'SIGINT') {
      err('tux-db: SIGINT received: stopping; nothing new starts and the work in flight gets a second (again to quit at once)');
      // Ctrl-C means now, even if a statement waits on a lock or the server is still starting: the exit hook
      // stops an embedded server, and the server rolls back every unit whose connection is gone.
      setTimeout(() => {
        if (!returned) err('tux-db: stopped by SIGINT; the work still in flight was abandoned, and a unit of work that had not committed rolls back whole.');
        process.exit(returned ? (process.exitCode ?? 130) : 130);
      }, SIGINT_GRACE_MS).unref();
    } else {
      err(`tux-db: ${signal} received: finishing the work in flight, then closing the database (again to quit at once)`);
    }
    stop.abort(signal);
  };
  const signals = Object.keys(STOP_SIGNALS) as StopSignal[];
  for (const signal of signals) process.on(signal, onSignal);
  try {
    const code = await execute(command, args, out, err, stop.signal);
    return received === undefined ? code : 128 + STOP_SIGNALS[received];
  } catch (e) {
    if (received !== undefined) {
      err(`tux-db: stopped by ${received}; nothing after the work in flight was started, and that work committed or rolled back whole.`);
      return 128 + STOP_SIGNALS[received];
    }
    return failure(e, err);
  } finally {
    returned = true;
    for (const signal of signals) process.off(signal, onSignal);
  }
}

/** Prints an expected failure in one line (usage mistakes with the usage) and returns its exit code. */
function failure(e: unknown, err: Print): number {
  if (e instanceof UsageError) {
    err(`tux-db: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  if (e instanceof TuxImportError && e.issues.length > 0) {
    for (const line of refusalLines(e.issues)) err(line);
    return 1;
  }
  if (e instanceof ValidationError || e instanceof DatabaseError || e instanceof RefusedError) {
    err(`tux-db: ${e.message}`);
    return 1;
  }
  err(`tux-db: unexpected error: ${thrownText(e)}`);
  return 1;
}

