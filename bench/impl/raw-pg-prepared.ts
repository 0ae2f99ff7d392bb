import type { Implementation } from '../implementation';
import { RawPg } from './raw-pg';

/**
 * Raw pg with named prepared statements: the same SQL as raw pg, parsed and planned once per connection.
 * The best a human can write on pg, so the ceiling for every layer above it.
 */
export function createRawPgPrepared(url: string, poolSize: number): Implementation {
  return new RawPg('raw pg prepared', url, poolSize, true);
}
