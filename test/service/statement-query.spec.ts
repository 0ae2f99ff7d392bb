import { expect } from 'chai';
import { Client, Connection, Pool, type QueryResult, type QueryResultRow } from 'pg';
import sinon from 'sinon';
import { CaseType } from '../../src/entities/enums';
import { runOnPool } from '../../src/service/pool-statement';
import { isChangedResultType, sendStatement, type StatementConfig } from '../../src/service/statement-query';
import { TYPE_PARSERS } from '../../src/service/type-parsers';
import { directUrl, skipBehindPooler } from '../support/behind-pooler';
import { openTestDatabase } from '../support/fixtures';
import { useTestDatabase } from '../support/test-database';
import { testDatabaseUrl } from '../support/test-server';

// StatementQuery against pg's own Query on one real connection: the same rows and fields, with one Describe per
// statement and connection. Straight to the server: a named statement lives on one server connection.
describe('StatementQuery (the library statement, described once per connection)', () => {
  // One connection and no cache, so both reads of the last test run on the same connection.
  const t = useTestDatabase({ poolSize: 1, cache: false });
  const clients: Client[] = [];
  let sandbox: sinon.SinonSandbox;

  const READ = 'SELECT id, n, t, at, ok, doc, tags FROM kept WHERE id = $1';

  beforeEach(() => {
    sandbox = sinon.createSandbox();
  });
  afterEach(async () => {
    sandbox.restore();
    await Promise.all(clients.splice(0).map((c) => c.end()));
  });

  async function connect(): Promise<{ client: Client; describes: sinon.SinonSpy; parses: sinon.SinonSpy }> {
    const client = new Client({ connectionString: directUrl(testDatabaseUrl()), types: TYPE_PARSERS });
    clients.push(client);
    await client.connect();
    await client.query(`CREATE TEMP TABLE kept (id int8 PRIMARY KEY, n int4, t text, at timestamptz, ok bool, doc jsonb, tags text[])`);
    await client.query(`INSERT INTO kept VALUES (1, 7, 'seven', '2026-11-30 12:00:00.123+00', true, '{"a": [1]}', '{x,"y z"}'), (2, NULL, NULL, NULL, NULL, NULL, NULL)`);
    const connection = (client as unknown as { connection: Connection }).connection;
    return { client, describes: sandbox.spy(connection, 'describe'), parses: sandbox.spy(connection, 'parse') };
  }

  function send<R extends QueryResultRow>(client: Client, config: StatementConfig): Promise<QueryResult<R>> {
    return new Promise((resolve, reject) => sendStatement<R>(client, config, (error, result) => (error ? reject(error) : resolve(result))));
  }

  // What a caller reads of a result: the rows, the fields' names and types, the count and the command.
  function visible(result: QueryResult): object {
    return { rows: result.rows, fields: result.fields.map((f) => [f.name, f.dataTypeID]), rowCount: result.rowCount, command: result.command };
  }

  for (const rowMode of [undefined, 'array'] as const) {
    it(`reads a named statement's rows as pg's own Query does (${rowMode ?? 'keyed'} rows), with one Describe on the connection`, async () => {
      const { client, describes, parses } = await connect();
      for (const id of ['1', '2', '1', '3']) {
        const ours = await send(client, { name: 'kept_read', text: READ, values: [id], ...(rowMode ? { rowMode } : {}) });
        const pgs = await client.query({ text: READ, values: [id], ...(rowMode ? { rowMode } : {}) });
        expect(visible(ours), `id ${id}`).to.deep.equal(visible(pgs));
      }
      // pg's own unnamed Query parses and describes on each of its 4 runs; the named statement once in all.
      expect(parses.callCount, 'Parse messages').to.equal(4 + 1);
      expect(describes.callCount, 'Describe messages').to.equal(4 + 1);
    });
  }

  it('describes again on another connection, and for an unnamed statement every time', async () => {
    const first = await connect();
    const second = await connect();
    await send(first.client, { name: 'kept_read', text: READ, values: ['1'] });
    await send(first.client, { name: 'kept_read', text: READ, values: ['1'] });
    const [row] = (await send(second.client, { name: 'kept_read', text: READ, values: ['1'] })).rows;
    expect(row).to.include({ id: '1', n: 7, t: 'seven' });
    expect([first.describes.callCount, second.describes.callCount]).to.deep.equal([1, 1]);
    await send(second.client, { text: READ, values: ['1'] });
    await send(second.client, { text: READ, values: ['1'] });
    expect(second.describes.callCount).to.equal(3);
  });

  it('binds Dates as exact text and leaves the caller’s config as it was, frozen or not', async () => {
    const { client } = await connect();
    const at = new Date('1850-06-15T12:34:56.789Z');
    const config = Object.freeze({ name: 'kept_at', text: 'SELECT $1::timestamptz AS at', values: Object.freeze([at]) as unknown[] });
    for (let i = 0; i < 2; i++) expect((await send<{ at: Date }>(client, config)).rows[0]?.at.getTime()).to.equal(at.getTime());
    expect(config).to.deep.equal({ name: 'kept_at', text: 'SELECT $1::timestamptz AS at', values: [at] });
  });

  it('fails an execution the server refuses once, and runs the statement again on the same description after it', async () => {
    const { client, describes } = await connect();
    const divide = { name: 'kept_divide', text: 'SELECT 10 / $1::int AS q' };
    expect((await send(client, { ...divide, values: [2] })).rows).to.deep.equal([{ q: 5 }]);
    const error = await send(client, { ...divide, values: [0] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.have.property('code', '22012');
    expect((await send(client, { ...divide, values: [5] })).rows).to.deep.equal([{ q: 2 }]);
    expect(describes.callCount).to.equal(1);
  });

  it('fails once on a value pg cannot write, sends nothing of it, and keeps the statement prepared', async () => {
    const { client, describes, parses } = await connect();
    await send(client, { name: 'kept_read', text: READ, values: ['1'] });
    const unwritable = {
      toPostgres: () => {
        throw new Error('cannot be written');
      },
    };
    const outcomes: unknown[] = [];
    await new Promise<void>((resolve) => sendStatement(client, { name: 'kept_read', text: READ, values: [unwritable] }, (error) => (outcomes.push(error?.message), resolve())));
    // The next statement runs after the failed one's ReadyForQuery: by then a second callback would have come.
    const [row] = (await send(client, { name: 'kept_read', text: READ, values: ['2'] })).rows;
    expect(outcomes).to.deep.equal(['cannot be written']);
    expect(row).to.deep.equal({ id: '2', n: null, t: null, at: null, ok: null, doc: null, tags: null });
    expect([parses.callCount, describes.callCount]).to.deep.equal([1, 1]);
  });

  it('is refused by PostgreSQL once its result type changed, so a kept description is never read against other columns; the next run prepares it afresh', async () => {
    const { client, describes, parses } = await connect();
    await send(client, { name: 'kept_read', text: READ, values: ['1'] });
    await client.query('ALTER TABLE kept ALTER COLUMN n TYPE text');
    const error = await send(client, { name: 'kept_read', text: READ, values: ['1'] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.include({ code: '0A000', routine: 'RevalidateCachedQuery' });
    expect(String((error as Error).message)).to.match(/cached plan must not change result type/);
    expect(isChangedResultType(error)).to.equal(true);
    const [row] = (await send(client, { name: 'kept_read', text: READ, values: ['1'] })).rows;
    expect(row).to.include({ id: '1', n: '7' });
    expect([parses.callCount, describes.callCount]).to.deep.equal([2, 2]);
  });

  describe('a migration that changes the type of a column a prepared statement returns, while the bot runs', () => {
    // A table of the suite's own in the shared test database (straight to the server: the statements are prepared).
    const table = `changed_type_${process.pid}`;
    const readText = `SELECT n FROM ${table} WHERE id = $1`;
    const admin = async (text: string): Promise<void> => {
      const client = new Client({ connectionString: directUrl(testDatabaseUrl()) });
      await client.connect();
      try {
        await client.query(text);
      } finally {
        await client.end();
      }
    };
    beforeEach(() => admin(`DROP TABLE IF EXISTS ${table}; CREATE TABLE ${table} (id int PRIMARY KEY, n int NOT NULL); INSERT INTO ${table} VALUES (1, 7)`));
    after(() => admin(`DROP TABLE IF EXISTS ${table}`));

    it('runs a statement again on the pool, a write too, once per connection that had it prepared, and applies it once', async () => {
      const pool = new Pool({ connectionString: directUrl(testDatabaseUrl()), max: 3 });
      try {
        const bump = { name: `${table}_bump`, text: `UPDATE ${table} SET n = n + 1 WHERE id = $1 RETURNING n` };
        // Every connection prepares both statements before the migration.
        const held = await Promise.all([pool.connect(), pool.connect(), pool.connect()]);
        for (const client of held) {
          await send(client as unknown as Client, { name: `${table}_read`, text: readText, values: [1] });
          await send(client as unknown as Client, { ...bump, values: [0] });
        }
        held.forEach((client) => client.release());
        await admin(`ALTER TABLE ${table} ALTER COLUMN n TYPE bigint`);
        const reads = [];
        for (let i = 0; i < 3; i++) reads.push((await runOnPool<{ n: unknown }>(pool, { name: `${table}_read`, text: readText, values: [1] })).rows[0]?.n);
        expect(reads).to.deep.equal(['7', '7', '7']);
        const bumped = (await runOnPool<{ n: unknown }>(pool, { ...bump, values: [1] })).rows[0]?.n;
        expect(bumped).to.equal('8');
      } finally {
        await pool.end();
      }
    });

    it('runs a unit of work again when a statement inside it meets the change', async function () {
      skipBehindPooler(this, 'the pooler loses named statements between transactions, so nothing stays prepared across the migration');
      const db = await openTestDatabase({ poolSize: 1, cache: false });
      try {
        const read = () => db.service.query<{ n: unknown }>(readText, [1], { prepare: true });
        expect((await db.transaction(read)).rows[0]?.n).to.equal(7);
        await admin(`ALTER TABLE ${table} ALTER COLUMN n TYPE bigint`);
        let attempts = 0;
        const result = await db.transaction(() => {
          attempts++;
          return read();
        });
        expect({ n: result.rows[0]?.n, attempts }).to.deep.equal({ n: '7', attempts: 2 });
      } finally {
        await db.close();
      }
    });

    it('runs a unit of work again even when its callback caught the error the change caused', async function () {
      skipBehindPooler(this, 'the pooler loses named statements between transactions, so nothing stays prepared across the migration');
      const db = await openTestDatabase({ poolSize: 1, cache: false });
      try {
        const read = () => db.service.query<{ n: unknown }>(readText, [1], { prepare: true });
        await db.transaction(read);
        await admin(`ALTER TABLE ${table} ALTER COLUMN n TYPE bigint`);
        const outcomes: unknown[] = [];
        const n = await db.transaction(async () => {
          try {
            const value = (await read()).rows[0]?.n;
            outcomes.push(value);
            return value;
          } catch (e) {
            // A careless bot: the error is swallowed and the unit goes on.
            outcomes.push((e as Error).name);
            return undefined;
          }
        });
        expect({ n, outcomes }).to.deep.equal({ n: '7', outcomes: ['SerializationFailureError', '7'] });
      } finally {
        await db.close();
      }
    });
  });

  it('lets the library send a repeated read as Bind, Execute, Sync: one Describe for two getById', async function () {
    skipBehindPooler(this, 'the pooler loses named statements between transactions, so the library runs them unnamed, each with its Describe');
    const guildId = t.newGuild();
    const created = await t.db.case.createCase({ caseType: CaseType.WARN, caseUserId: '1001', caseModeratorId: '2002', guildId });
    const describes = sandbox.spy(Connection.prototype, 'describe');
    const reads = [await t.db.case.getById(created.caseId), await t.db.case.getById(created.caseId)];
    expect(reads).to.deep.equal([created, created]);
    expect(describes.callCount).to.equal(1);
  });
});
