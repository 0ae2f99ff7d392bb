import type { DataSource } from 'typeorm';
import type { Pool } from 'pg';
import { migrationStatus, pendingSchemaChanges } from './migrations';
import { convertError } from '../errors/convert-error';
import { DatabaseConnectionError } from '../errors/connection-error';
import type { ReplicaHealth } from './replica-set';
import type { CacheHealth } from '../cache/statement-cache';

/** What `health()` reports. */
export interface HealthReport {
  /**
   * `healthy`; `degraded`: connected, but migrations are pending or the schema differs from the entities;
   * `unhealthy`: the server answered wrongly, or no pooled connection freed up within acquireTimeoutMs (every one
   * busy); `disconnected`: not connected or unreachable.
   */
  readonly status: 'healthy' | 'degraded' | 'unhealthy' | 'disconnected';
  /**
   * Round trip of the server-state query (version, role, replay lag), in ms, once a pooled connection was had (the
   * wait for one is not counted); null when not measured.
   */
  readonly latencyMs: number | null;
  /** The server's `server_version` setting; null when it could not be read. */
  readonly serverVersion: string | null;
  /** The server's role, and on a standby how far replay lags behind (null when unknown). */
  readonly server: HealthServer | null;
  /** The connection pool now: connections open, idle ones, callers waiting for one, and the pool's maximum. */
  readonly pool: { readonly total: number; readonly idle: number; readonly waiting: number; readonly max: number };
  /** Names of migrations not yet applied (null when unknown); the same list as `schema.pendingMigrations`. */
  readonly pendingMigrations: ReadonlyArray<string> | null;
  /** Pending migrations and the schema builder's drift check (null when unknown). */
  readonly schema: HealthSchema | null;
  /** The cache's backend, state and hit, miss and eviction counts; null with `cache: false` or when not connected. */
  readonly cache: CacheHealth | null;
  /** Each configured read replica (DatabaseOptions.replicas), in the order given; empty when there are none. */
  readonly replicas: ReadonlyArray<ReplicaHealth>;
  /** Why the status is not healthy (never contains the password). */
  readonly error?: string;
}

/** The server half of a HealthReport. */
export interface HealthServer {
  /** `pg_is_in_recovery()`: a standby replays a primary's WAL and refuses writes. */
  readonly role: 'primary' | 'standby';
  /** On a standby, `now() - pg_last_xact_replay_timestamp()` in ms; null on a primary or before any replay. */
  readonly replayLagMs: number | null;
}

/** The schema half of a HealthReport. */
export interface HealthSchema {
  /** Names of the migrations not yet applied (empty when the schema is up to date). */
  readonly pendingMigrations: ReadonlyArray<string>;
  /** Whether the tables differ from the entities (TypeORM's schema builder would change something). */
  readonly drift: boolean;
  /** How many statements the schema builder would run to remove the drift (0 when there is none). */
  readonly pendingStatements: number;
}

// One round trip for version, role and lag; the lag is only meaningful while in recovery.
const SERVER_STATE_SQL = `SELECT current_setting('server_version') AS server_version, pg_is_in_recovery() AS standby,
  CASE WHEN pg_is_in_recovery() THEN (extract(epoch FROM now() - pg_last_xact_replay_timestamp()) * 1000)::float8 END AS replay_lag_ms`;

interface ServerStateRow {
  readonly server_version: string;
  readonly standby: boolean;
  readonly replay_lag_ms: number | null;
}

function poolStats(pool: Pool | undefined): HealthReport['pool'] {
  return { total: pool?.totalCount ?? 0, idle: pool?.idleCount ?? 0, waiting: pool?.waitingCount ?? 0, max: pool?.options.max ?? 0 };
}

// The drift check costs several catalog queries (about 50–75 ms warm, 130 ms cold on the test database), so
// it runs once per DataSource and applied-migrations list: the schema only changes at runtime through a
// migration. A change made by hand (ALTER TABLE outside a migration) shows after the process reconnects.
const driftCache = new WeakMap<DataSource, { readonly applied: string; readonly statements: Promise<number> }>();

function pendingStatementCount(dataSource: DataSource, applied: string): Promise<number> {
  const cached = driftCache.get(dataSource);
  if (cached?.applied === applied) return cached.statements;
  const statements = pendingSchemaChanges(dataSource).then((changes) => changes.up.length);
  driftCache.set(dataSource, { applied, statements });
  // A failed check is not remembered: the next call tries again.
  statements.catch(() => driftCache.get(dataSource)?.statements === statements && driftCache.delete(dataSource));
  return statements;
}

async function readSchema(dataSource: DataSource): Promise<HealthSchema> {
  const states = await migrationStatus(dataSource);
  const pendingMigrations = states.filter((m) => !m.applied).map((m) => m.name);
  const applied = states.filter((m) => m.applied).map((m) => m.name).join('\n');
  const pendingStatements = await pendingStatementCount(dataSource, applied);
  return { pendingMigrations, drift: pendingStatements > 0, pendingStatements };
}

/**
 * Measures the connection, the server's role and the schema; reports problems in the result and _never_ throws.
 * Without a DataSource it reports `disconnected`, with `downBecause` as the error when given.
 * @example
 * const report = await readHealth(dataSource, pool);
 * if (report.status === 'degraded') console.warn('pending:', report.schema?.pendingMigrations, 'drift:', report.schema?.drift);
 */
export async function readHealth(dataSource: DataSource | undefined, pool: Pool | undefined, downBecause?: string): Promise<HealthReport> {
  const unknown = { latencyMs: null, serverVersion: null, server: null, pendingMigrations: null, schema: null } as const;
  if (!dataSource?.isInitialized || !pool) {
    return { status: 'disconnected', ...unknown, pool: poolStats(pool), cache: null, replicas: [], ...(downBecause === undefined ? {} : { error: downBecause }) };
  }
  try {
    const { row, latencyMs } = await timedServerState(pool);
    const server: HealthServer = {
      role: row?.standby ? 'standby' : 'primary',
      replayLagMs: row?.replay_lag_ms == null ? null : Math.max(0, Math.round(row.replay_lag_ms)),
    };
    const schema = await readSchema(dataSource);
    const why = schemaProblem(schema);
    return {
      status: why === undefined ? 'healthy' : 'degraded',
      ...(why === undefined ? {} : { error: why }),
      latencyMs,
      serverVersion: row?.server_version ?? null,
      server,
      pool: poolStats(pool),
      pendingMigrations: schema.pendingMigrations,
      schema,
      cache: null,
      replicas: [],
    };
  } catch (e) {
    const error = convertError(e);
    // A server that cannot be reached is "disconnected"; one that answers wrongly is "unhealthy".
    const status = error instanceof DatabaseConnectionError ? 'disconnected' : 'unhealthy';
    return { status, ...unknown, pool: poolStats(pool), cache: null, replicas: [], error: error.message };
  }
}

// The server-state row and its round trip, timed once a connection is had: not the wait for a free pooled connection.
async function timedServerState(pool: Pool): Promise<{ row: ServerStateRow | undefined; latencyMs: number }> {
  const client = await pool.connect();
  try {
    const started = performance.now();
    const row = (await client.query<ServerStateRow>(SERVER_STATE_SQL)).rows[0];
    const latencyMs = Math.round((performance.now() - started) * 100) / 100;
    client.release();
    return { row, latencyMs };
  } catch (e) {
    // A connection that failed is not handed out again.
    client.release(e instanceof Error ? e : new Error('the server-state query failed'));
    throw e;
  }
}

/** Why the schema makes a connected database `degraded` (pending migrations, drift), or undefined when it does not. */
function schemaProblem(schema: HealthSchema): string | undefined {
  const problems: string[] = [];
  const pending = schema.pendingMigrations;
  if (pending.length > 0) problems.push(`${pending.length} migration(s) pending (${pending.join(', ')}): run tux-db migrate-push`);
  if (schema.drift) problems.push(`the schema differs from the entities (${schema.pendingStatements} statement(s) would change it; tux-db check prints them)`);
  return problems.length === 0 ? undefined : problems.join('; ');
}

/**
 * `report` with the replicas' states: a healthy report turns `degraded` when a replica is down or lagging (reads
 * still work, on the primary), and says which one and why.
 * @example
 * const report = withReplicas(await readHealth(dataSource, pool), replicaSet.health());
 */
export function withReplicas(report: HealthReport, replicas: ReadonlyArray<ReplicaHealth>): HealthReport {
  if (replicas.length === 0) return report;
  const troubled = replicas.filter((r) => r.status !== 'up');
  if (troubled.length === 0) return { ...report, replicas };
  const error = [...(report.error === undefined ? [] : [report.error]), ...troubled.map((r) => `replica ${r.server} is ${r.status}: ${r.error ?? 'unknown'}`)].join('; ');
  return { ...report, status: report.status === 'healthy' ? 'degraded' : report.status, replicas, error };
}
