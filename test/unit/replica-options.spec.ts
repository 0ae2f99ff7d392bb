import { expect } from 'chai';
import { inspect } from 'node:util';
import { resolveOptions } from '../../src/config';
import { ValidationError } from '../../src/errors/validation-error';

describe('replica options', () => {
  const url = 'postgres://tux:primary-secret@db1/tux';

  it('has no replicas, a 1 s lag limit and per-context read-your-writes by default', () => {
    expect(resolveOptions({ url }, {})).to.deep.include({ replicas: [], maxReplicaLagMs: 1_000, readYourWrites: 'context' });
  });

  it('reads TUX_DB_REPLICAS (comma-separated), TUX_DB_MAX_REPLICA_LAG_MS and TUX_DB_READ_YOUR_WRITES; arguments win', () => {
    const env = { DATABASE_URL: url, TUX_DB_REPLICAS: 'postgres://r@db2/tux, postgres://r@db3/tux,', TUX_DB_MAX_REPLICA_LAG_MS: '250', TUX_DB_READ_YOUR_WRITES: 'process' };
    expect(resolveOptions({}, env)).to.deep.include({ replicas: ['postgres://r@db2/tux', 'postgres://r@db3/tux'], maxReplicaLagMs: 250, readYourWrites: 'process' });
    expect(resolveOptions({ replicas: ['postgres://r@db4/tux'], readYourWrites: 'context' }, env)).to.deep.include({ replicas: ['postgres://r@db4/tux'], readYourWrites: 'context' });
  });

  it('refuses replicas without a primary URL, and values of the wrong shape, without echoing a password', () => {
    expect(() => resolveOptions({ replicas: ['postgres://r@db2/tux'] }, {})).to.throw(ValidationError, /replicas need the primary's url/);
    expect(() => resolveOptions({ url, replicas: 'postgres://r@db2/tux' as unknown as string[] }, {})).to.throw(ValidationError, /replicas must be an array/);
    expect(() => resolveOptions({ url, replicas: [42 as unknown as string] }, {})).to.throw(ValidationError, /replicas\[0\] must be a PostgreSQL URL \(got number\)/);
    expect(() => resolveOptions({ url, replicas: ['postgres://r@db2/tux', 'mysql://r:replica-secret@db3/tux'] }, {}))
      .to.throw(ValidationError, /replicas\[1\] must start with postgres:\/\//)
      .with.property('message')
      .that.does.not.include('replica-secret');
    expect(() => resolveOptions({ url, maxReplicaLagMs: -1 }, {})).to.throw(ValidationError, /maxReplicaLagMs/);
    // The lag is measured against ten minutes of the primary's positions at most.
    expect(resolveOptions({ url, maxReplicaLagMs: 600_000 }, {}).maxReplicaLagMs).to.equal(600_000);
    expect(() => resolveOptions({ url, maxReplicaLagMs: 600_001 }, {})).to.throw(ValidationError, /maxReplicaLagMs must be an integer from 0 to 600000/);
    expect(() => resolveOptions({ url, readYourWrites: 'session' as 'context' }, {})).to.throw(ValidationError, /readYourWrites must be 'context' or 'process' \(got "session"\)/);
  });

  it('prints the replicas with their passwords masked', () => {
    const options = resolveOptions({ url, replicas: ['postgres://tux:replica-secret@db2/tux'] }, {});
    for (const printed of [JSON.stringify(options), inspect(options)]) {
      expect(printed).to.include('db2/tux').and.not.include('replica-secret').and.not.include('primary-secret');
    }
  });
});
