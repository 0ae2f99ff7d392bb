import type { Implementation } from './implementation';
import { createDrizzle } from './impl/drizzle';
import { createDrizzlePrepared } from './impl/drizzle-prepared';
import { openLibrary } from './impl/library';
import { createRawPg } from './impl/raw-pg';
import { createRawPgPrepared } from './impl/raw-pg-prepared';
import { TypeOrmPlain } from './impl/typeorm-plain';

/** Opens one implementation on `url` with a pool of `poolSize`. */
type Opener = (url: string, poolSize: number) => Implementation | Promise<Implementation>;

/**
 * Every implementation, by the key `--impl` takes, in report order. The library itself is opened by run.ts
 * (it may start the embedded server); `library-unprepared` is the library with `preparedStatements: false`.
 */
export const OPENERS: Readonly<Record<string, Opener>> = {
  raw: createRawPg,
  'raw-prepared': createRawPgPrepared,
  typeorm: (url, poolSize) => TypeOrmPlain.open(url, poolSize),
  drizzle: createDrizzle,
  'drizzle-prepared': createDrizzlePrepared,
  'library-unprepared': (url, poolSize) => openLibrary('library unprepared', { url, poolSize, migrate: false, preparedStatements: false }),
};

/** What runs without `--impl`: everything but library-unprepared, plus the library. */
export const DEFAULT_IMPLS = ['raw', 'raw-prepared', 'typeorm', 'drizzle', 'drizzle-prepared', 'library'] as const;
