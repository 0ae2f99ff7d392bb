import { expect } from 'chai';
import { ValidationError } from '../../src/errors/validation-error';
import { highestPlaceholder } from '../../src/service/sql-placeholders';
import type { StatementOptions } from '../../src/service/statement-runner';
import { useTestDatabase } from '../support/test-database';

// A hostile audit of db.service.query: one value for two placeholders reached the server, whose protocol violation
// (08P01) read as a lost connection (isConnected() false) or, prepared, as a pooler's lost statement (named
// statements off for the whole process); option values of the wrong type ran the statement and then failed, after
// an INSERT had committed. All are now ValidationErrors before anything is sent.
describe('db.service.query arguments', () => {
  const t = useTestDatabase({ deleteGuilds: 'afterEach' });
  const query = (text: unknown, values: unknown, options?: unknown) => t.db.service.query(text as string, values as unknown[], options as StatementOptions);

  /** The call must fail with a ValidationError naming `field`, having sent nothing. */
  const refuses = async (call: () => Promise<unknown>, field: string, message: RegExp): Promise<void> => {
    const { result, statements } = await t.countStatements(() => call().then(() => 'resolved', (e: unknown) => e));
    expect(result, field).to.be.instanceOf(ValidationError);
    expect((result as ValidationError).errors.map((e) => e.field), (result as ValidationError).message).to.include(field);
    expect((result as ValidationError).message).to.match(message);
    expect(statements, field).to.deep.equal([]);
  };

  it('refuses values that are not one per placeholder number, leaving the service connected and its statements named', async () => {
    await refuses(() => query('SELECT $1::int + $2::int', [1]), 'values', /holds 1 value; the SQL uses \$1 … \$2/);
    await refuses(() => query('SELECT 1', [1]), 'values', /uses no placeholder/);
    await refuses(() => query('SELECT $1::int AS x', [], { prepare: true }), 'values', /holds 0 values/);
    await refuses(() => t.db.transaction(() => query('SELECT $1::int', [1, 2])), 'values', /holds 2 values/);
    expect(t.db.service.isConnected()).to.equal(true);
    // Named statements still run named: the refusal was not taken for a pooler's lost prepared statement.
    const names: Array<string | undefined> = [];
    const stop = t.db.service.onQuery((e) => names.push(e.name));
    await t.db.case.count({ filters: { guildId: t.newGuild() } });
    stop();
    expect(names).to.have.length(1);
    expect(names[0]).to.be.a('string');
  });

  it('counts placeholders as PostgreSQL does: strings, comments and dollar-quoted bodies hold none', async () => {
    const texts = [
      'SELECT $1::int + $2::int', "SELECT '$1' || $1::text", 'SELECT $1::text -- $2\n', 'SELECT /* $3 /* $4 */ */ $1::int',
      "SELECT $$ $1 $$ || $1::text", 'SELECT $q$ $7 $q$', "SELECT E'\\' $2' || $1::text", 'SELECT "x$9" FROM (SELECT $1::int AS "x$9") AS s',
      'SELECT $2::int, $1::int',
    ];
    for (const text of texts) {
      const name = `placeholders_${texts.indexOf(text)}`;
      await t.db.service.query(`PREPARE ${name} AS ${text}`, []);
      const { rows } = await t.db.service.query<{ n: number }>('SELECT cardinality(parameter_types) AS n FROM pg_prepared_statements WHERE name = $1', [name]);
      await t.db.service.query(`DEALLOCATE ${name}`, []);
      expect(highestPlaceholder(text), text).to.equal(rows[0]?.n);
    }
  });

  it('refuses an Invalid Date and text PostgreSQL cannot store, at any depth of an array', async () => {
    await refuses(() => query('SELECT $1::timestamptz', [new Date(Number.NaN)]), 'values[0]', /Invalid Date/);
    await refuses(() => query('SELECT $1::text', ['a\uD800b']), 'values[0]', /unpaired UTF-16 surrogate/);
    await refuses(() => query('SELECT $1::text[]', [['ok', 'a\u0000b']]), 'values[0][1]', /NUL/);
  });

  it('refuses options of the wrong type before running the statement, so no write commits behind an error', async () => {
    const guildId = t.newGuild();
    const insert = 'INSERT INTO guild (guild_id) VALUES ($1)';
    await refuses(() => query(insert, [guildId], { touches: {} }), 'options.touches.reads', /array of table names/);
    await refuses(() => query(insert, [guildId], { touches: { reads: [], writes: null, locks: false } }), 'options.touches.writes', /array of table names/);
    await refuses(() => query(insert, [guildId], { touches: { reads: [], writes: ['guild'], locks: 'no' } }), 'options.touches.locks', /true or false/);
    await refuses(() => query(insert, [guildId], { touches: { reads: [], writes: ['guild'], locks: false, guildAt: 1 } }), 'options.touches.guildAt', /index in values/);
    await refuses(() => query('SELECT 1', [], { cache: 'bogus' }), 'options.cache', /cache family/);
    await refuses(() => query('SELECT 1', [], { prepare: 'yes' }), 'options.prepare', /true or false/);
    await refuses(() => query('SELECT 1', [], { rowsAsArrays: 1 }), 'options.rowsAsArrays', /true or false/);
    expect(await t.db.guild.getGuildById(guildId)).to.equal(null);
    // The same options, well typed, run.
    await query(insert, [guildId], { touches: { reads: [], writes: ['guild'], locks: false, guildAt: 0 } });
    expect((await t.db.guild.getGuildById(guildId))?.guildId).to.equal(guildId);
  });

  it('keeps a statement whose query listener throws: the error becomes a process warning', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    const remove = t.db.service.addQueryListener(() => {
      throw new Error('listener broke');
    });
    try {
      expect(await t.db.case.count({ filters: { guildId: t.newGuild() } })).to.equal(0);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      remove();
      process.off('warning', onWarning);
    }
    expect(warnings.some((w) => w.startsWith('TuxDatabaseQueryListener') && w.includes('listener broke')), warnings.join('\n')).to.equal(true);
  });

  it('lets a query listener remove itself while it is called without another listener missing that statement', async () => {
    const heard: string[] = [];
    const removeOnce: () => void = t.db.service.addQueryListener(() => removeOnce());
    const removeCounter = t.db.service.addQueryListener((text) => heard.push(text));
    try {
      await t.db.service.query('SELECT 1', []);
      await t.db.service.query('SELECT 2', []);
    } finally {
      removeCounter();
    }
    expect(heard).to.deep.equal(['SELECT 1', 'SELECT 2']);
  });

  it('keeps a statement whose listeners throw a value String() cannot convert: both become process warnings', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    // An object without a prototype: String() of it throws a TypeError.
    const removeListener = t.db.service.addQueryListener(() => {
      throw Object.create(null);
    });
    const stopEvents = t.db.service.onQuery(() => {
      throw Object.create(null);
    });
    const guildId = t.newGuild();
    try {
      await t.db.guild.getOrCreateGuild(guildId);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      removeListener();
      stopEvents();
      process.off('warning', onWarning);
    }
    expect((await t.db.guild.getGuildById(guildId))?.guildId).to.equal(guildId);
    const said = (what: string) => warnings.some((w) => w === `TuxDatabaseQueryListener: ${what} [object Object]`);
    expect(said('A query listener threw (the statement runs as before):'), warnings.join('\n')).to.equal(true);
    expect(said("A query event listener threw (the statement's outcome is unchanged):"), warnings.join('\n')).to.equal(true);
  });
});
