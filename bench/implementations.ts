import type { Implementation } from './implementation';
import { createDrizzlePlain } from './impl/drizzle';
import { createDrizzleBest } from './impl/drizzle-best';
import { createKyselyBest, createKyselyPlain } from './impl/kysely';
import { openLibrary } from './impl/library';
import { createPipelinedPg } from './impl/pipelined-pg';
import { createPostgresJs } from './impl/postgres-js';
import { createRawPg } from './impl/raw-pg';
import { createTypeOrmBest, createTypeOrmPlain } from './impl/typeorm-plain';
import { NAMES } from './names';
import type { PoolSettings } from './pool-settings';

/** Opens one implementation on `url` with the shared pool settings. */
type Opener = (url: string, settings: PoolSettings) => Implementation | Promise<Implementation>;

/**
 * Every implementation but the library, by the key `--impl` takes, in report order. The library itself is opened
 * by run.ts (it may start the embedded server). The keys after `kysely-best` are for experiments (bench/diagnose.ts):
 * raw pg without names or without the library's parsers; the ceiling on pg's own Query (a Describe with every
 * execution: the ceiling before StatementQuery, and what a raw pg caller gets); the ceiling with the library's Client
 * class, its pool path (runOnPool, on pg's callback API since b513fbf) or both, which together are the library's
 * driver path without its repository layer; the ceiling on pipelined connections (the proposal in RESULTS.md); the
 * library unprepared.
 */
export const OPENERS: Readonly<Record<string, Opener>> = {
  ceiling: (url, s) => createRawPg(NAMES.ceiling, url, s, { prepared: true, libraryParsers: true, libraryStatements: true }),
  'postgres-js': (url, s) => createPostgresJs(NAMES.postgresJs, url, s),
  typeorm: createTypeOrmPlain,
  'typeorm-best': createTypeOrmBest,
  drizzle: createDrizzlePlain,
  'drizzle-best': createDrizzleBest,
  kysely: createKyselyPlain,
  'kysely-best': createKyselyBest,
  raw: (url, s) => createRawPg('raw pg (unnamed, pg parsers)', url, s, { prepared: false, libraryParsers: false }),
  'raw-prepared': (url, s) => createRawPg('raw pg prepared (pg parsers)', url, s, { prepared: true, libraryParsers: false }),
  'ceiling-pg-query': (url, s) => createRawPg("ceiling on pg's Query", url, s, { prepared: true, libraryParsers: true }),
  'ceiling-exact': (url, s) => createRawPg('ceiling + ExactDateClient', url, s, { prepared: true, libraryParsers: true, libraryStatements: true, libraryClient: true }),
  'ceiling-checkout': (url, s) => createRawPg('ceiling + runOnPool', url, s, { prepared: true, libraryParsers: true, libraryCheckout: true }),
  'ceiling-library-pool': (url, s) => createRawPg('ceiling + ExactDateClient + runOnPool', url, s, { prepared: true, libraryParsers: true, libraryClient: true, libraryCheckout: true }),
  'ceiling-pipelined': (url, s) => createPipelinedPg('ceiling, pipelined', url, s),
  'library-unprepared': (url, s) => openLibrary('library unprepared', { url, poolSize: s.max, migrate: false, preparedStatements: false }),
};

/** What runs without `--impl`: the library, the ceiling, postgres.js and both rows of each ORM peer. */
export const DEFAULT_IMPLS = ['library', 'ceiling', 'postgres-js', 'typeorm', 'typeorm-best', 'drizzle', 'drizzle-best', 'kysely', 'kysely-best'] as const;
