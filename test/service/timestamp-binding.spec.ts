import { expect } from 'chai';
import { createDatabase } from '../../src/container';
import type { RoundTrip } from '../fixtures/timestamp-round-trip';
import { runFixture } from '../support/child-process';
import { randomSnowflake } from '../support/fixtures';
import { createSessionRole } from '../support/session-role';
import { testDatabaseUrl, useTestServer } from '../support/test-server';

// Instants whose local offsets had seconds (local mean time: Amsterdam +00:19:32 until 1937, St John's
// -03:30:52 until 1935, Kolkata +05:53:28 / +05:21:10 before 1906), year 1, BC (44 BC and the earliest instant
// PostgreSQL holds, 4713 BC), a year past 9999, and a modern one.
const INSTANTS = [
  '1850-06-15T12:34:56.789Z',
  '1800-01-01T00:00:00.001Z',
  '1930-03-01T06:07:08.009Z',
  '0001-01-01T00:00:00.000Z',
  '0099-12-31T23:59:59.999Z',
  '-000043-03-15T12:00:00.500Z',
  '-004713-11-24T00:00:00.000Z',
  '+012345-06-07T08:09:10.011Z',
  '2024-05-01T12:00:00.123Z',
].map((s) => new Date(s).getTime());

// The bot's process zone (TZ) and the server session's zone (TimeZone), which decides the text the library reads.
const ZONES = [
  { tz: 'UTC', session: 'UTC' },
  { tz: 'Europe/Amsterdam', session: 'Europe/Amsterdam' },
  { tz: 'America/St_Johns', session: 'Asia/Kolkata' },
  { tz: 'Asia/Kolkata', session: 'America/St_Johns' },
] as const;

describe('Dates the library binds', function () {
  this.timeout(120_000);
  useTestServer();

  for (const zone of ZONES) {
    it(`store and match the exact instant, pre-1900, year 1 and BC included, with TZ=${zone.tz} (session ${zone.session})`, async () => {
      const guildId = randomSnowflake();
      // The session's zone comes with the role, not the `options` startup parameter: that way it also reaches the
      // server connections behind a transaction pooler, which refuses `options`.
      const role = await createSessionRole(testDatabaseUrl(), { TimeZone: zone.session });
      try {
        const out = await runFixture('timestamp-round-trip.ts', { DATABASE_URL: role.url, TZ: zone.tz, GUILD_ID: guildId, INSTANTS: JSON.stringify(INSTANTS) });
        const trips = JSON.parse(out) as RoundTrip[];
        expect(trips.map((t) => t.sent)).to.deep.equal(INSTANTS);
        expect(new Set(trips.map((t) => t.sessionZone)), 'the session zone the statements ran in').to.deep.equal(new Set([zone.session]));
        for (const trip of trips) {
          const at = new Date(trip.sent).toISOString();
          expect({ at, stored: trip.stored }).to.deep.equal({ at, stored: `${trip.sent}.000` });
          expect({ at, created: trip.created, readById: trip.readById, createdMany: trip.createdMany, afkSince: trip.afkSince, lastMessage: trip.lastMessage }).to.deep.equal({
            at,
            created: trip.sent,
            readById: trip.sent,
            createdMany: trip.sent,
            afkSince: trip.sent,
            lastMessage: trip.sent,
          });
          expect({ at, eq: trip.foundByEq, equality: trip.foundByEquality, in: trip.foundByIn, range: trip.foundByRange, expiredAt: trip.expiredAt }).to.deep.equal({
            at,
            eq: 1,
            equality: 1,
            in: 1,
            range: 1,
            expiredAt: [0, 1],
          });
        }
      } finally {
        await role.drop();
        const db = await createDatabase({ url: testDatabaseUrl(), migrate: false });
        await db.guild.deleteGuild(guildId).finally(() => db.close());
      }
    });
  }
});
