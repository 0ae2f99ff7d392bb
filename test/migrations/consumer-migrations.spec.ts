import { expect } from 'chai';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { DatabaseService } from '../../src/service/database-service';
import { ValidationError } from '../../src/errors/validation-error';
import { ALL_MIGRATIONS } from '../../src/migrations/all-migrations';
import { migrationStatus } from '../../src/service/migrations';
import { resetDatabase } from '../../src/service/reset-database';
import { createScratchDatabase, dropScratchDatabase } from '../support/test-server';

/**
 * A bot's own migrations: a table that references the library's guild, then a column on it. Their timestamps come
 * after the library's newest migration, as those of a bot written against this version do.
 */
class AddBotNotes1797000000000 implements MigrationInterface {
  name = 'AddBotNotes1797000000000';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE TABLE "bot_note" ("note_id" serial PRIMARY KEY, "guild_id" bigint NOT NULL REFERENCES "guild" ("guild_id") ON DELETE CASCADE)');
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "bot_note"');
  }
}
class AddBotNoteBody1797000000001 implements MigrationInterface {
  name = 'AddBotNoteBody1797000000001';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "bot_note" ADD "body" text NOT NULL DEFAULT ''`);
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "bot_note" DROP COLUMN "body"');
  }
}

describe('the migrations option', function () {
  this.timeout(60_000);
  let url: string;
  before(async () => {
    url = await createScratchDatabase('optmig');
  });
  after(() => dropScratchDatabase('optmig'));

  it('runs the bot’s migrations after the library’s on connect, and lists them in the status and health', async () => {
    // Listed newest first on purpose: TypeORM runs them by the timestamp ending each name.
    const service = new DatabaseService({ url, migrations: [AddBotNoteBody1797000000001, AddBotNotes1797000000000] });
    await service.connect();
    try {
      const names = [...ALL_MIGRATIONS.map((m) => m.name), 'AddBotNotes1797000000000', 'AddBotNoteBody1797000000001'];
      const applied = await service.query('SELECT "name" FROM "migrations" ORDER BY "id"', []);
      expect(applied.rows.map((r) => String(r['name']))).to.deep.equal(names);
      expect(await migrationStatus(service.dataSource)).to.deep.equal(names.map((name) => ({ name, applied: true })));
      await service.query(`INSERT INTO "guild" ("guild_id") VALUES ('1100000000000000001')`, []);
      await service.query(`INSERT INTO "bot_note" ("guild_id", "body") VALUES ('1100000000000000001', 'hello')`, []);
      const health = await service.health();
      expect(health.status).to.equal('healthy');
      expect(health.pendingMigrations).to.deep.equal([]);
    } finally {
      await service.disconnect();
    }
    // A process that does not know the bot's newest migration… and one that adds a migration: it is pending in health.
    class AddBotNoteIndex1797000000002 implements MigrationInterface {
      name = 'AddBotNoteIndex1797000000002';
      async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query('CREATE INDEX "bot_note_guild" ON "bot_note" ("guild_id")');
      }
      async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query('DROP INDEX "bot_note_guild"');
      }
    }
    const later = new DatabaseService({ url, migrate: false, migrations: [AddBotNotes1797000000000, AddBotNoteBody1797000000001, AddBotNoteIndex1797000000002] });
    await later.connect();
    try {
      expect((await later.health()).pendingMigrations).to.deep.equal(['AddBotNoteIndex1797000000002']);
    } finally {
      await later.disconnect();
    }
  });

  it('is undone and applied again by resetDatabase, so a reset leaves the bot’s tables empty instead of failing', async () => {
    const scratch = await createScratchDatabase('optmig_reset');
    const service = new DatabaseService({ url: scratch, migrations: [AddBotNotes1797000000000, AddBotNoteBody1797000000001] });
    await service.connect();
    try {
      await service.query(`INSERT INTO "guild" ("guild_id") VALUES ('1100000000000000001')`, []);
      await service.query(`INSERT INTO "bot_note" ("guild_id", "body") VALUES ('1100000000000000001', 'hello')`, []);
      const { applied } = await resetDatabase(service.dataSource, { timeoutMs: 0 });
      expect(applied).to.deep.equal([...ALL_MIGRATIONS.map((m) => m.name), 'AddBotNotes1797000000000', 'AddBotNoteBody1797000000001']);
      expect((await service.query('SELECT count(*)::int AS n FROM "bot_note"', [])).rows[0]?.['n']).to.equal(0);
      expect((await service.query('SELECT count(*)::int AS n FROM "guild"', [])).rows[0]?.['n']).to.equal(0);
      // The bot's foreign key to guild is back (DROP … CASCADE had removed it): a note needs its guild again.
      await expect(service.query(`INSERT INTO "bot_note" ("guild_id") VALUES ('1100000000000000002')`, [])).to.be.rejected;
      expect((await service.health()).status).to.equal('healthy');
    } finally {
      await service.disconnect();
      await dropScratchDatabase('optmig_reset');
    }
  });

  it('is refused with a ValidationError before connecting when it is not a list of uniquely named migration classes', () => {
    const unreachable = 'postgres://tux@127.0.0.1:1/tux';
    const refused = (migrations: unknown, why: RegExp): void => {
      expect(() => new DatabaseService({ url: unreachable, migrations: migrations as never })).to.throw(ValidationError, why);
    };
    refused(AddBotNotes1797000000000, /migrations must be an array of migration classes/);
    refused([() => undefined], /migrations\[0\] must be a migration class with up\(\) and down\(\)/);
    refused([{ up() {}, down() {} }], /migrations\[0\] must be a migration class/);
    refused([AddBotNotes1797000000000, AddBotNotes1797000000000], /migrations\[1\] "AddBotNotes1797000000000" is listed twice/);
    refused([ALL_MIGRATIONS[0]], /is one of tux-database's own migrations/);
    refused([class AddThing { async up(): Promise<void> {} async down(): Promise<void> {} }], /"AddThing" must end in a 13-digit timestamp/);
    refused([class Early1700000000000 { async up(): Promise<void> {} async down(): Promise<void> {} }], /before tux-database's first migration/);
    // A constructor that throws, even a value String() cannot convert (an object without a prototype).
    class NeedsArgs1797000000001 {
      constructor() {
        throw Object.create(null);
      }
      async up(): Promise<void> {}
      async down(): Promise<void> {}
    }
    refused([NeedsArgs1797000000001], /migrations\[0\] \(NeedsArgs1797000000001\) could not be constructed without arguments: \[object Object\]/);
  });
});
