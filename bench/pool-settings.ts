import type { PoolConfig } from 'pg';
import { resolveOptions } from '../src/config';
import { poolExtras } from '../src/service/data-source';

/**
 * The connection settings every implementation gets, taken from the library's own resolved options and
 * poolExtras, so a peer never runs on pg's defaults (10 s idle timeout, no statement timeout) while the library
 * runs on its own. Only the settings a pool has are shared; the library's type parsers and Client class are
 * part of what is measured, and go only to the implementations that say so.
 */
export interface PoolSettings {
  readonly max: number;
  readonly idleTimeoutMillis: number;
  readonly connectionTimeoutMillis: number;
  /** Server-side statement timeout in ms, sent at connect (0 = none). */
  readonly statementTimeoutMs: number;
  readonly applicationName: string;
}

function numberOf(extras: Record<string, unknown>, key: string): number {
  const value = extras[key];
  if (typeof value !== 'number') throw new Error(`poolExtras() has no number ${key}: the bench's pool settings need updating`);
  return value;
}

/** The library's pool settings for `poolSize` connections, as resolveOptions and poolExtras decide them. */
export function libraryPoolSettings(url: string, poolSize: number): PoolSettings {
  const options = resolveOptions({ url, poolSize });
  const extras = poolExtras({ ...options, behindPooler: false });
  return {
    max: options.poolSize,
    idleTimeoutMillis: numberOf(extras, 'idleTimeoutMillis'),
    connectionTimeoutMillis: numberOf(extras, 'connectionTimeoutMillis'),
    statementTimeoutMs: numberOf(extras, 'statement_timeout'),
    applicationName: options.applicationName,
  };
}

/** A pg PoolConfig with these settings (without parsers or Client class: pg's defaults). */
export function pgPoolConfig(url: string, s: PoolSettings): PoolConfig {
  return {
    connectionString: url,
    max: s.max,
    idleTimeoutMillis: s.idleTimeoutMillis,
    connectionTimeoutMillis: s.connectionTimeoutMillis,
    statement_timeout: s.statementTimeoutMs,
    application_name: s.applicationName,
  };
}
