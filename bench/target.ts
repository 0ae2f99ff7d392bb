import { startEmbeddedDatabase } from '../src/service/open-data-source';
import { openLibrary, type Library } from './impl/library';

/** The embedded server's data directory for benchmarks (kept between runs, so the seed is reused). */
export const BENCH_DATA_DIR = '.tux-db-bench';

/** The server the bench runs on: its URL for the other implementations, and the library connected to it. */
export interface BenchTarget {
  readonly server: 'embedded' | 'DATABASE_URL';
  readonly url: string;
  readonly library: Library;
}

/**
 * Connects the library (migrating the database) to DATABASE_URL, or, when it is unset, to the embedded
 * server in BENCH_DATA_DIR, which createDatabase starts. The URL for the other implementations then comes
 * from startEmbeddedDatabase, the function the library itself uses, which hands back the same server.
 * Closing the library stops the embedded server, so close it last.
 */
export async function openTarget(poolSize: number): Promise<BenchTarget> {
  const url = process.env['DATABASE_URL'] || undefined;
  if (url !== undefined) {
    return { server: 'DATABASE_URL', url, library: await openLibrary('library', { url, poolSize, migrate: true }) };
  }
  const library = await openLibrary('library', { dataDir: BENCH_DATA_DIR, poolSize, migrate: true });
  const embedded = await startEmbeddedDatabase(BENCH_DATA_DIR);
  return { server: 'embedded', url: embedded.url, library };
}
