import { expect } from 'chai';
import { healthLines } from '../../src/cli/health-lines';
import type { HealthReport } from '../../src/service/health';

const HEALTHY: HealthReport = {
  status: 'healthy',
  latencyMs: 0.5,
  serverVersion: '18.4',
  server: { role: 'primary', replayLagMs: null },
  pool: { total: 1, idle: 1, waiting: 0, max: 10 },
  pendingMigrations: [],
  schema: { pendingMigrations: [], drift: false, pendingStatements: 0 },
  cache: null,
  replicas: [],
};

describe('healthLines', () => {
  it('prints the role and no problem for a healthy primary', () => {
    const { lines, problem } = healthLines(HEALTHY);
    expect(lines).to.include('server: PostgreSQL 18.4, primary').and.include('schema drift: none').and.include('pending migrations: none');
    expect(problem).to.equal(null);
  });

  it('prints the replay lag of a standby', () => {
    const { lines } = healthLines({ ...HEALTHY, server: { role: 'standby', replayLagMs: 1250 } });
    expect(lines).to.include('server: PostgreSQL 18.4, standby, replay lag 1250 ms');
  });

  it('names pending migrations first when they also cause drift', () => {
    const schema = { pendingMigrations: ['AddX1', 'AddY2'], drift: true, pendingStatements: 3 };
    const { problem } = healthLines({ ...HEALTHY, status: 'degraded', pendingMigrations: schema.pendingMigrations, schema });
    expect(problem).to.equal('health is degraded: 2 pending migration(s) (AddX1, AddY2): run tux-db migrate-push');
  });

  it('prints each replica and names the ones reads avoid', () => {
    const replicas = [
      { server: 'r1:5432/tux', status: 'up', role: 'standby', lagMs: 3 },
      { server: 'r2:5432/tux', status: 'lagging', role: 'standby', lagMs: 4200, error: 'replay lags 4200 ms, more than maxReplicaLagMs (1000 ms)' },
    ] as const;
    const { lines, problem } = healthLines({ ...HEALTHY, status: 'degraded', replicas });
    expect(lines).to.include('replica r1:5432/tux: up, standby, lag 3 ms').and.include('replica r2:5432/tux: lagging, standby, lag 4200 ms');
    expect(problem).to.equal('health is degraded: replica r2:5432/tux is lagging (replay lags 4200 ms, more than maxReplicaLagMs (1000 ms)): reads go to the primary');
  });

  it('prints the cache counters', () => {
    const cache = { backend: 'memory', active: true, hits: 90, misses: 10, evictions: 0, entries: 12 } as const;
    expect(healthLines({ ...HEALTHY, cache }).lines).to.include('cache: memory, active, 90 hits, 10 misses, 0 evictions, 12 entries');
  });

  it('says why an unhealthy server is not healthy', () => {
    const { problem } = healthLines({ ...HEALTHY, status: 'unhealthy', server: null, schema: null, pendingMigrations: null, error: 'permission denied' });
    expect(problem).to.equal('health is unhealthy: permission denied');
  });
});
