import type { HealthReport } from '../service/health';

/** What `tux-db health` prints: the report's lines for stdout, and the one line for stderr when it is not healthy. */
export interface HealthLines {
  readonly lines: ReadonlyArray<string>;
  /** Why the exit code is not 0 (null when healthy). */
  readonly problem: string | null;
}

function serverLine(report: HealthReport): string {
  const role = report.server === null ? '' : `, ${report.server.role}`;
  const lag = report.server?.replayLagMs == null ? '' : `, replay lag ${report.server.replayLagMs} ms`;
  return `server: PostgreSQL ${report.serverVersion ?? '-'}${role}${lag}`;
}

function problemOf(report: HealthReport): string | null {
  if (report.status === 'healthy') return null;
  if (report.status !== 'degraded') return `health is ${report.status}${report.error ? `: ${report.error}` : ''}`;
  const pending = report.schema?.pendingMigrations ?? [];
  const reasons = [
    ...(pending.length > 0 ? [`${pending.length} pending migration(s) (${pending.join(', ')}): run tux-db migrate-push`] : []),
    ...(report.schema?.drift && pending.length === 0
      ? [`the schema differs from the entities (${report.schema.pendingStatements} statement(s) to align it): run tux-db migrate-generate NAME and review it`]
      : []),
    ...report.replicas.filter((r) => r.status !== 'up').map((r) => `replica ${r.server} is ${r.status}${r.error ? ` (${r.error})` : ''}: reads go to the primary`),
  ];
  return `health is degraded: ${reasons.join('; ')}`;
}

/** Formats a HealthReport for the CLI; pure, so the wording is testable without a server. */
export function healthLines(report: HealthReport): HealthLines {
  const { schema, pool } = report;
  return {
    lines: [
      `status: ${report.status}`,
      `latency: ${report.latencyMs ?? '-'} ms`,
      serverLine(report),
      `pool: ${pool.total} open, ${pool.idle} idle, ${pool.waiting} waiting, max ${pool.max}`,
      `pending migrations: ${schema === null ? '-' : schema.pendingMigrations.length === 0 ? 'none' : schema.pendingMigrations.join(', ')}`,
      `schema drift: ${schema === null ? '-' : schema.drift ? `yes, ${schema.pendingStatements} statement(s)` : 'none'}`,
      ...(report.cache === null ? [] : [`cache: ${report.cache.backend}, ${report.cache.active ? 'active' : 'bypassed'}, ${report.cache.hits} hits, ${report.cache.misses} misses, ${report.cache.evictions ?? '-'} evictions${report.cache.entries === null ? '' : `, ${report.cache.entries} entries`}`]),
      ...report.replicas.map((r) => `replica ${r.server}: ${r.status}${r.role === null ? '' : `, ${r.role}`}${r.lagMs === null ? '' : `, lag ${r.lagMs} ms`}`),
      ...(report.error ? [`error: ${report.error}`] : []),
    ],
    problem: problemOf(report),
  };
}
