import path from 'node:path';
import type { DatabaseService } from '../service/database-service';
import { DatabaseError } from '../errors/database-error';
import { ValidationError } from '../errors/validation-error';
import { redactSecrets, secretsOf } from '../redact-secrets';
import { healthLines } from './health-lines';

// The database-facing modules (TypeORM, pg) load on first use, so `tux-db help` starts about as fast as
// node itself; `require` (not `import()`) keeps the specs that run main() under ts-node working.
const serviceModule = (): typeof import('../service/database-service') => require('../service/database-service') as typeof import('../service/database-service');
const migrations = (): typeof import('../service/migrations') => require('../service/migrations') as typeof import('../service/migrations');
const demoModule = (): typeof import('./demo') => require('./demo') as typeof import('./demo');

const USAGE = `Usage: tux-db <command> [args]

Commands:
  migrate-generate NAME   write a migration for the entities' changes against the database (src/migrations/)
  migrate-push            apply every pending migration
  migrate-revert          revert the last applied migration
  migrate-status          list migrations and whether each is applied
  health                  check the connection, server role and schema (exit 1 unless healthy)
  demo                    migrate, then walk through a moderation session

The database is DATABASE_URL, or the embedded server (data in TUX_DB_DATA_DIR, default .tux-db/).
SIGTERM: the statement or unit of work in flight finishes, nothing new starts, the database is closed, and
tux-db exits with 143. SIGINT (Ctrl-C): nothing new starts, the work in flight gets about a second, then
tux-db exits with 130 (a unit of work that has not committed rolls back whole). A second signal exits at once.`;

/** Signals that stop a running command gracefully, with their numbers (exit code 128 + n). */
const STOP_SIGNALS = { SIGINT: 2, SIGTERM: 15 } as const;
type StopSignal = keyof typeof STOP_SIGNALS;
/** How long the work in flight gets after SIGINT (Ctrl-C) before tux-db exits anyway. */
const SIGINT_GRACE_MS = 1_000;

/** Where `migrate-generate` writes: the package's src/migrations, whether this runs from src/ or dist/src/. */
const MIGRATIONS_DIR = ((): string => {
  const above = path.resolve(__dirname, '..', '..'); // the package root from src/cli, dist/ from dist/src/cli
  return path.join(path.basename(above) === 'dist' ? path.dirname(above) : above, 'src', 'migrations');
})();

type Print = (line: string) => void;

/** A usage mistake: exit code 2. */
class UsageError extends Error {}

/** Runs `close` once when `stop` is aborted (at once if it already is); returns the function that stops listening. */
function closeOnStop(stop: AbortSignal, close: () => Promise<void>): () => void {
  // disconnect() refuses new work at once and waits for the unit of work in flight before closing.
  const onStop = (): void => void close().catch(() => undefined);
  if (stop.aborted) onStop();
  else stop.addEventListener('abort', onStop, { once: true });
  return () => stop.removeEventListener('abort', onStop);
}

async function withService<T>(migrate: boolean, stop: AbortSignal, fn: (service: DatabaseService) => Promise<T>): Promise<T> {
  const service = new (serviceModule().DatabaseService)({ migrate });
  const stopListening = closeOnStop(stop, () => service.disconnect());
  try {
    await service.connect();
    return await fn(service);
  } finally {
    stopListening();
    await service.disconnect();
  }
}

async function execute(command: string | undefined, args: string[], print: Print, printError: Print, stop: AbortSignal): Promise<number> {
  const expectArgs = (count: number): void => {
    if (args.length !== count) throw new UsageError(`${command} takes ${count === 0 ? 'no arguments' : `${count} argument(s)`}`);
  };
  switch (command) {
    case 'migrate-generate': {
      expectArgs(1);
      const { checkMigrationName, generateMigration } = migrations();
      checkMigrationName(args[0] as string);
      const result = await withService(false, stop, (s) => generateMigration(s.dataSource, args[0] as string, MIGRATIONS_DIR));
      print(result ? `Wrote ${result.file}: review it, then add ${result.className} to src/migrations/all-migrations.ts.` : 'No schema changes: the entities and the database agree.');
      return 0;
    }
    case 'migrate-push': {
      expectArgs(0);
      const { applyMigrations } = migrations();
      const applied = await withService(false, stop, (s) => applyMigrations(s.dataSource, { timeoutMs: s.options.migrationTimeoutMs }));
      print(applied.length === 0 ? 'No pending migrations.' : applied.map((n) => `Applied ${n}`).join('\n'));
      return 0;
    }
    case 'migrate-revert': {
      expectArgs(0);
      const { revertLastMigration } = migrations();
      const reverted = await withService(false, stop, (s) => revertLastMigration(s.dataSource, { timeoutMs: s.options.migrationTimeoutMs }));
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
    case 'demo':
      expectArgs(0);
      await demoModule().runDemo(print, (close) => closeOnStop(stop, close));
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

/** Removes every password of the connection (DATABASE_URL in any form pg reads, PGPASSWORD) from text about to be printed. */
function redacted(text: string): string {
  return redactSecrets(text, secretsOf(process.env['DATABASE_URL'] || undefined));
}

/**
 * Runs the CLI; returns the exit code. Expected failures print one line on stderr, never a stack trace.
 * While it runs, SIGTERM and SIGINT close the database gracefully (see USAGE) instead of killing the process.
 */
export async function main(argv: string[], out: Print = (l) => console.log(redacted(l)), err: Print = (l) => console.error(redacted(l))): Promise<number> {
  const [command, ...args] = argv;
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
  if (e instanceof ValidationError || e instanceof DatabaseError) {
    err(`tux-db: ${e.message}`);
    return 1;
  }
  err(`tux-db: unexpected error: ${e instanceof Error ? e.message : String(e)}`);
  return 1;
}

