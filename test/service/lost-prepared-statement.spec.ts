import { expect } from 'chai';
import { createDatabase } from '../../src/container';
import type { DatabaseCoordinator } from '../../src/coordinator';
import { statementName } from '../../src/service/statement-names';
import { directUrl } from '../support/behind-pooler';
import { randomSnowflake } from '../support/fixtures';
import { prepareTestServer, testDatabaseUrl } from '../support/test-server';

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
    // The statement's text, from another database object (this one must not have prepared it yet).
    const other = await createDatabase({ url: directUrl(testDatabaseUrl()), migrate: false, cache: false });
    const texts: string[] = [];
    other.service.addQueryListener((text) => texts.push(text));
    await other.guild.getGuildById(guildId);
    await other.close();
    const text = texts[0] ?? '';
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
});
