import { expect } from 'chai';
import { resetRefusal, serverRefusal } from '../../src/cli/reset-guard';
import { formatBytes, queryLines, tableLines } from '../../src/cli/ops-lines';

describe('resetRefusal (which targets tux-db reset / nuke may wipe)', () => {
  it('allows the embedded server and loopback URLs with an ordinary database name', () => {
    for (const url of [
      undefined,
      'postgres://tux@localhost/tux',
      'postgres://tux@LOCALHOST:5433/tux_dev',
      'postgres://tux@127.0.0.1/tux',
      'postgres://tux@127.8.9.10/tux',
      'postgres://tux@[::1]:5432/tux',
      'postgres:///tux?host=/var/run/postgresql',
      'postgres://tux@127.0.0.1/product_catalog',
    ]) {
      expect(resetRefusal(url, {}), String(url)).to.equal(null);
    }
  });

  it('refuses other hosts, including a loopback URL whose ?host= names another machine', () => {
    expect(resetRefusal('postgres://tux@db.example.com/tux', {})).to.match(/^the host db\.example\.com is not this machine/);
    expect(resetRefusal('postgres://tux@10.0.0.5/tux', {})).to.match(/^the host 10\.0\.0\.5 is not this machine/);
    expect(resetRefusal('postgres://tux@localhost/tux?host=db.example.com', {})).to.match(/^the host db\.example\.com is not this machine/);
    expect(resetRefusal('postgres://tux@127.0.0.1.example.com/tux', {})).to.match(/is not this machine/);
  });

  it('refuses production-looking database names and production environments', () => {
    for (const name of ['prod', 'tux_prod', 'tux-production', 'live', 'Tux_Live_2']) {
      expect(resetRefusal(`postgres://tux@127.0.0.1/${name}`, {}), name).to.match(/looks like production/);
    }
    expect(resetRefusal('postgres://prod@127.0.0.1', {}), 'the database defaults to the user name').to.match(/looks like production/);
    for (const key of ['NODE_ENV', 'ENVIRONMENT', 'APP_ENV']) {
      expect(resetRefusal(undefined, { [key]: 'Production' }), key).to.equal(`${key} is production; set TUX_DB_ALLOW_RESET=1 to override`);
    }
  });

  it('reads host and database as pg does: the last non-empty ?host=, a percent-encoded socket, PGHOST, PGDATABASE, ?user=', () => {
    expect(resetRefusal('postgres://tux@db.example.com/tux?host=', {}), 'an empty ?host= leaves the URL host').to.match(/^the host db\.example\.com is not this machine/);
    expect(resetRefusal('postgres://tux@127.0.0.1/tux?host=127.0.0.1&host=db.example.com', {}), 'pg takes the last ?host=').to.match(/^the host db\.example\.com is not/);
    expect(resetRefusal('postgres:///tux', { PGHOST: 'db.example.com' }), 'no host in the URL: PGHOST').to.match(/^the host db\.example\.com is not/);
    expect(resetRefusal('postgres:///tux', {}), 'no host and no PGHOST: localhost').to.equal(null);
    expect(resetRefusal('postgres://tux@%2Fvar%2Frun%2Fpostgresql/tux', {}), 'a percent-encoded Unix socket').to.equal(null);
    expect(resetRefusal('postgres://tux@127.0.0.1:5432', { PGDATABASE: 'tux_prod' }), 'no database in the URL: PGDATABASE').to.match(/"tux_prod" looks like production/);
    expect(resetRefusal('postgres://tux@127.0.0.1/?user=tux_live', {}), 'no database: the ?user= name').to.match(/"tux_live" looks like production/);
    expect(resetRefusal('postgres://127.0.0.1', { PGUSER: 'prod' }), 'no database, no user: PGUSER').to.match(/"prod" looks like production/);
    expect(resetRefusal('postgres://tux@127.0.0.1/tux%zz', {}), 'a malformed escape is read as written, not thrown').to.equal(null);
  });

  it('judges the server by its own answer: the address it accepted the connection on, and its database name', () => {
    expect(serverRefusal({ database: 'tux', address: '127.0.0.1' }, {})).to.equal(null);
    expect(serverRefusal({ database: 'tux', address: '::1' }, {})).to.equal(null);
    expect(serverRefusal({ database: 'tux', address: '::ffff:127.0.0.1' }, {})).to.equal(null);
    expect(serverRefusal({ database: 'tux', address: null }, {}), 'a Unix socket').to.equal(null);
    expect(serverRefusal({ database: 'tux', address: '10.0.0.5' }, {})).to.match(/^the host 10\.0\.0\.5 is not this machine/);
    expect(serverRefusal({ database: 'tux-live', address: null }, {})).to.match(/"tux-live" looks like production/);
    expect(serverRefusal({ database: 'tux_prod', address: '10.0.0.5' }, { TUX_DB_ALLOW_RESET: '1' })).to.equal(null);
  });

  it('allows anything with TUX_DB_ALLOW_RESET=1, and only with exactly 1', () => {
    expect(resetRefusal('postgres://tux@db.example.com/tux_prod', { TUX_DB_ALLOW_RESET: '1', NODE_ENV: 'production' })).to.equal(null);
    expect(resetRefusal('postgres://tux@db.example.com/tux', { TUX_DB_ALLOW_RESET: 'true' })).to.match(/is not this machine/);
  });
});

describe('the operational commands’ output', () => {
  it('formats sizes as pg_size_pretty does', () => {
    expect([0, 8192, 10 * 1024, 56 * 1024, 3 * 1024 ** 3].map(formatBytes)).to.deep.equal(['0 bytes', '8192 bytes', '10 kB', '56 kB', '3072 MB']);
  });

  it('marks estimated, unknown and counted rows differently', () => {
    const table = { totalBytes: 8192, tableBytes: 0, indexBytes: 8192 };
    expect(tableLines([{ name: 'guild', rows: 3, exact: false, ...table }, { name: 'afk', rows: null, exact: false, ...table }])[1]).to.match(/^guild +~3 /);
    expect(tableLines([{ name: 'afk', rows: null, exact: false, ...table }])[1]).to.match(/^afk +\? /);
    expect(tableLines([{ name: 'guild', rows: 3, exact: true, ...table }])[1]).to.match(/^guild +3 /);
  });

  it('puts a query on one line of at most 200 characters, after who blocks it', () => {
    const lines = queryLines(
      [{ pid: 7, user: 'tux', applicationName: 'bot', state: 'active', durationMs: 1500, waitingFor: 'Lock: relation', blockedBy: [3], blocking: false, query: `SELECT\n  ${'x'.repeat(300)}` }],
      0,
    );
    expect(lines[1]).to.equal('pid 7, active, 1.5 s, blocked by 3, waiting for Lock: relation, tux (bot)');
    expect(lines[2]).to.have.length(4 + 200).and.match(/^ {4}SELECT x+…$/);
  });
});
