import { expect } from 'chai';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { TYPE_PARSERS } from '../../src/service/type-parsers';
import { useTestDatabase } from '../support/test-database';

describe('timestamptz values read through the library', () => {
  const t = useTestDatabase();
  const instants = ['2026-11-26T12:00:00.123Z', '1900-01-01T00:00:00.000Z', '2000-02-29T23:59:59.999Z', '1000-01-01T00:00:00.000Z', '0044-03-15T12:00:00.000Z'];

  it('are parsed by the library’s own parsers, on its pool only', () => {
    const pool = (t.db.service.dataSource.driver as PostgresDriver).master as { options: { types?: unknown } };
    expect(pool.options.types).to.equal(TYPE_PARSERS);
  });

  // Zones whose offsets have minutes (+05:30, -03:30) and, long ago, seconds; years before 1000 take the default parser.
  for (const zone of ['UTC', 'Asia/Kolkata', 'America/St_Johns', 'Europe/Amsterdam']) {
    it(`come back as the instants stored, with the session in ${zone}`, async () => {
      const rows = await t.db.transaction(async () => {
        await t.db.service.query(`SET LOCAL TimeZone = '${zone}'`, []);
        const result = await t.db.service.query<{ at: Date; text: string }>(
          'SELECT x AS at, x::text AS text FROM unnest($1::timestamptz[]) WITH ORDINALITY AS u(x, n) ORDER BY n',
          [instants.map((s) => new Date(s))],
        );
        return result.rows;
      });
      expect(rows.map((r) => r.at.toISOString())).to.deep.equal(instants);
      // Outside UTC, the old instants carry local-mean-time offsets with seconds (+05:21:10, -03:30:52, +00:17:30).
      expect(rows.some((r) => /[+-]\d\d:\d\d:\d\d$/.test(r.text)), rows.map((r) => r.text).join(', ')).to.equal(zone !== 'UTC');
    });
  }
});
