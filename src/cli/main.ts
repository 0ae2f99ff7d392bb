import path from 'node:path';
import { DatabaseService } from '../service/database-service';
import { applyMigrations, checkMigrationName, generateMigration, migrationStatus, revertLastMigration } from '../service/migrations';
import { DatabaseError } from '../errors/database-error';
import { ValidationError } from '../errors/validation-error';
import { redactUrl } from '../config';
import { runDemo } from './demo';

const USAGE = `Usage: tux-db <command> [args]

Commands:
  migrate-generate NAME   write a migration for the entities' changes against the database (src/migrations/)
  migrate-push            apply every pending migration
  migrate-revert          revert the last applied migration
  migrate-status          list migrations and whether each is applied
  health                  check the connection (exit 1 unless healthy)
  demo                    migrate, then walk through a moderation session

The database is DATABASE_URL, or the embedded server (data in TUX_DB_DATA_DIR, default .tux-db/).`;

/** Where `migrate-generate` writes: the package's src/migrations. */
const MIGRATIONS_DIR = path.join(__dirname, '..', 'migrations');

type Print = (line: string) => void;

/** A usage mistake: exit code 2. */
class UsageError extends Error {}

async function withService<T>(migrate: boolean, fn: (service: DatabaseService) => Promise<T>): Promise<T> {
  const service = new DatabaseService({ migrate });
  await service.connect();
  try {
    return await fn(service);
  } finally {
    await service.disconnect();
  }
}

async function execute(command: string | undefined, args: string[], print: Print): Promise<number> {
  const expectArgs = (count: number): void => {
    if (args.length !== count) throw new UsageError(`${command} takes ${count === 0 ? 'no arguments' : `${count} argument(s)`}`);
  };
  switch (command) {
    case 'migrate-generate': {
      expectArgs(1);
      checkMigrationName(args[0] as string);
      const result = await withService(false, (s) => generateMigration(s.dataSource, args[0] as string, MIGRATIONS_DIR));
      print(result ? `Wrote ${result.file}: review it, then add ${result.className} to src/migrations/all-migrations.ts.` : 'No schema changes: the entities and the database agree.');
      return 0;
    }
    case 'migrate-push': {
      expectArgs(0);
      const applied = await withService(false, (s) => applyMigrations(s.dataSource));
      print(applied.length === 0 ? 'No pending migrations.' : applied.map((n) => `Applied ${n}`).join('\n'));
      return 0;
    }
    case 'migrate-revert': {
      expectArgs(0);
      const reverted = await withService(false, (s) => revertLastMigration(s.dataSource));
      print(reverted ? `Reverted ${reverted}` : 'No applied migration to revert.');
      return 0;
    }
    case 'migrate-status': {
      expectArgs(0);
      const states = await withService(false, (s) => migrationStatus(s.dataSource));
      for (const m of states) print(`${m.applied ? '[applied]' : '[pending]'} ${m.name}`);
      return 0;
    }
    case 'health': {
      expectArgs(0);
      const report = await withService(false, (s) => s.health());
      print(`status: ${report.status}`);
      print(`latency: ${report.latencyMs ?? '-'} ms`);
      print(`server: PostgreSQL ${report.serverVersion ?? '-'}`);
      print(`pool: ${report.pool.total} open, ${report.pool.idle} idle, ${report.pool.waiting} waiting, max ${report.pool.max}`);
      print(`pending migrations: ${report.pendingMigrations === null ? '-' : report.pendingMigrations.length === 0 ? 'none' : report.pendingMigrations.join(', ')}`);
      if (report.error) print(`error: ${report.error}`);
      return report.status === 'healthy' ? 0 : 1;
    }
    case 'demo':
      expectArgs(0);
      await runDemo(print);
      return 0;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      print(USAGE);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command.slice(0, 50))}`);
  }
}

/** Removes the password of DATABASE_URL from any text about to be printed. */
function redactSecrets(text: string): string {
  const url = process.env['DATABASE_URL'];
  if (!url) return text;
  let password = '';
  try {
    password = decodeURIComponent(new URL(url).password);
  } catch {
    return text.split(url).join(redactUrl(url));
  }
  return password ? text.split(url).join(redactUrl(url)).split(password).join('***') : text;
}

/** Runs the CLI; returns the exit code. Expected failures print one line on stderr, never a stack trace. */
export async function main(argv: string[], out: Print = (l) => console.log(redactSecrets(l)), err: Print = (l) => console.error(redactSecrets(l))): Promise<number> {
  const [command, ...args] = argv;
  try {
    return await execute(command, args, out);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`tux-db: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    if (e instanceof ValidationError || e instanceof DatabaseError) {
      err(`tux-db: ${e.message}`);
      return 1;
    }
    err(`tux-db: unexpected error: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

