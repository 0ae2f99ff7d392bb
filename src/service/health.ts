import type { DataSource } from 'typeorm';
import type { Pool } from 'pg';
import { migrationStatus } from './migrations';
import { convertError } from '../errors/convert-error';
import { DatabaseConnectionError } from '../errors/connection-error';

/** What `health()` reports. */
export interface HealthReport {
  readonly status: 'healthy' | 'unhealthy' | 'disconnected';
  /** Round trip of `SELECT version()`, in ms (null when not measured). */
  readonly latencyMs: number | null;
  readonly serverVersion: string | null;
  readonly pool: { readonly total: number; readonly idle: number; readonly waiting: number; readonly max: number };
  /** Names of migrations not yet applied (null when unknown). */
  readonly pendingMigrations: ReadonlyArray<string> | null;
  /** Why the status is not healthy (never contains the password). */
  readonly error?: string;
}

function poolStats(pool: Pool | undefined): HealthReport['pool'] {
  return { total: pool?.totalCount ?? 0, idle: pool?.idleCount ?? 0, waiting: pool?.waitingCount ?? 0, max: pool?.options.max ?? 0 };
}

/** Measures the connection; reports problems in the result instead of throwing. */
export async function readHealth(dataSource: DataSource | undefined, pool: Pool | undefined): Promise<HealthReport> {
  if (!dataSource?.isInitialized || !pool) {
    return { status: 'disconnected', latencyMs: null, serverVersion: null, pool: poolStats(pool), pendingMigrations: null };
  }
  try {
    const started = performance.now();
    const version = await pool.query<{ server_version: string }>('SHOW server_version');
    const latencyMs = Math.round((performance.now() - started) * 100) / 100;
    return {
      status: 'healthy',
      latencyMs,
      serverVersion: version.rows[0]?.server_version ?? null,
      pool: poolStats(pool),
      pendingMigrations: (await migrationStatus(dataSource)).filter((m) => !m.applied).map((m) => m.name),
    };
  } catch (e) {
    const error = convertError(e);
    // A server that cannot be reached is "disconnected"; one that answers wrongly is "unhealthy".
    const status = error instanceof DatabaseConnectionError ? 'disconnected' : 'unhealthy';
    return { status, latencyMs: null, serverVersion: null, pool: poolStats(pool), pendingMigrations: null, error: error.message };
  }
}
