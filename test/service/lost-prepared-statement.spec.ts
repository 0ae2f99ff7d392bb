import { expect } from 'chai';
import { createDatabase } from '../../src/container';
import type { DatabaseCoordinator } from '../../src/coordinator';
import type { QueryEvent } from '../../src/service/query-event';
import { statementName } from '../../src/service/statement-names';
import { directUrl } from '../support/behind-pooler';
import { randomSnowflake } from '../support/fixtures';
import { prepareTestServer, testDatabaseUrl } from '../support/test-server';

/** The SQL text of getGuildById, from a database object of its own (the one under test must not prepare it yet). */
async function guildLookupText(guildId: string): Promise<string> {
  const other = await createDatabase({ url: directUrl(testDatabaseUrl()), migrate: false, cache: false });
  const seen: string[] = [];
  other.service.addQueryListener((t) => seen.push(t));
  await other.guild.getGuildById(guildId);
  await other.close();
  return seen[0] ?? '';
}

describe('a prepared statement lost on the server connection (as behind PgBouncer before 1.21)', function () {
  this.timeout(60_000);
  let db: DatabaseCoordinator;

  before(async function () {
    this.timeout(180_000);
    await prepareTestServer();
    // One connection, straight to the server, so the conflicting PREPARE below lands where the statement will run.
    db = await createDatabase({ url: directUrl(testDatabaseUrl()), migrate: false, poolSize: 1, cache: false });
  });
  after(() => db?.close());

  it('runs the statement again unnamed, once, heard once by listeners and reported once by onQuery', async () => {
    const guildId = randomSnowflake();
    await db.guild.getOrCreateGuild(guildId);
    const text = await guildLookupText(guildId);
    // Another statement holds the name on the one connection: the Parse fails with 42P05, as after a pooler swap.
    await db.service.query(`PREPARE ${statementName(text)} AS SELECT 1`, []);
    const heard: string[] = [];
    const events: Array<{ name: string | undefined }> = [];
    const stopHeard = db.service.addQueryListener((t) => heard.push(t));
    const stopEvents = db.service.onQuery((e) => events.push(e));
    try {
      expect((await db.guild.getGuildById(guildId))?.guildId).to.equal(guildId);
    } finally {
      stopHeard();
      stopEvents();
    }
    expect(heard).to.deep.equal([text]);
    expect(events.map((e) => e.name), 'reported once, by the unnamed rerun').to.deep.equal([undefined]);
  });

  it('fails a unit with a SerializationFailureError carrying the server’s code, which runs it again (here, with no retry left, not)', async () => {
    const inUnit = await createDatabase({ url: directUrl(testDatabaseUrl()), migrate: false, poolSize: 1, cache: false });
    try {
      const guildId = randomSnowflake();
      await inUnit.guild.getOrCreateGuild(guildId);
      // The lookup's name, taken by another statement on the one connection: its Parse inside the unit fails (42P05).
      await inUnit.service.query(`PREPARE ${statementName(await guildLookupText(guildId))} AS SELECT 1`, []);
      const error = await inUnit.transaction(() => inUnit.guild.getGuildById(guildId), { maxRetries: 0 }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).to.have.property('name', 'SerializationFailureError');
      expect(error).to.have.property('code', '42P05');
    } finally {
      await inUnit.close();
    }
  });

  it('reports the rerun from when the call started, its wait for a connection included', async () => {
    const fresh = await createDatabase({ url: directUrl(testDatabaseUrl()), migrate: false, poolSize: 1, cache: false });
    try {
      const guildId = randomSnowflake();
      await fresh.guild.getOrCreateGuild(guildId);
      const text = await guildLookupText(guildId);
      await fresh.service.query(`PREPARE ${statementName(text)} AS SELECT 1`, []);
      const events: QueryEvent[] = [];
      const stop = fresh.service.onQuery((e) => events.push(e));
      // The one connection is busy when the lookup asks for it; the lookup then fails at Parse and runs again.
      const busy = fresh.service.query('SELECT pg_sleep(0.3)', []);
      const before = performance.now();
      await fresh.guild.getGuildById(guildId);
      const took = performance.now() - before;
      await busy;
      stop();
      const lookup = events.find((e) => e.sql === text);
      // Whatever the host's speed: the event spans the call, not only the rerun after the wait.
      expect(lookup?.startedAt).to.be.a('number').below(before + took / 2);
      expect(lookup?.durationMs).to.be.a('number').above(took / 2);
    } finally {
      await fresh.close();
    }
  });
});
