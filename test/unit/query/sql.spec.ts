import { expect } from 'chai';
import { compile, join, param, raw, sql } from '../../../src/query/sql';

describe('the sql tag', () => {
  it('binds every interpolated value as the next numbered parameter, never as text', () => {
    const reason = "'); DROP TABLE cases; --";
    const q = compile(sql`UPDATE "cases" SET "case_reason" = ${reason} WHERE "case_id" = ${'42'}`);
    expect(q.text).to.equal('UPDATE "cases" SET "case_reason" = $1 WHERE "case_id" = $2');
    expect(q.values).to.deep.equal([reason, '42']);
  });

  it('inlines nested fragments and numbers their values in reading order', () => {
    const where = join([sql`"guild_id" = ${'1'}`, sql`"case_status" = ${true}`], ' AND ');
    const q = compile(sql`SELECT ${raw('"case_id"')} FROM ${raw('"cases"')} WHERE ${where} LIMIT ${10}`);
    expect(q.text).to.equal('SELECT "case_id" FROM "cases" WHERE "guild_id" = $1 AND "case_status" = $2 LIMIT $3');
    expect(q.values).to.deep.equal(['1', true, 10]);
  });

  it('binds null, arrays and objects as values, and joins nothing into nothing', () => {
    const q = compile(sql`SELECT ${null}, ${['1', '2']}, ${{ a: 1 }}${join([])}`);
    expect(q.text).to.equal('SELECT $1, $2, $3');
    expect(q.values).to.deep.equal([null, ['1', '2'], { a: 1 }]);
  });

  it('compiles the same fragment to the same statement every time', () => {
    const fragment = sql`SELECT 1 WHERE ${raw('"x"')} = ${5}`;
    expect(fragment.toStatement()).to.deep.equal(fragment.toStatement());
  });

  it('binds a Param once however often the statement names it, at the place it is first named', () => {
    const guild = param('7');
    const q = compile(sql`WITH "g" AS (INSERT INTO "guild" VALUES (${guild})) INSERT INTO "afk" VALUES (${'5'}, ${sql`${guild}`})`);
    expect(q.text).to.equal('WITH "g" AS (INSERT INTO "guild" VALUES ($1)) INSERT INTO "afk" VALUES ($2, $1)');
    expect(q.values).to.deep.equal(['7', '5']);
  });

  it('numbers the Params given to bind first before reading the text, so a WITH item may name a later value', () => {
    const user = param('5');
    const guild = param('7');
    const q = compile(sql`WITH "g" AS (INSERT INTO "guild" VALUES (${guild})) INSERT INTO "afk" VALUES (${user}, ${guild}, ${'x'})`, [user, guild, user]);
    expect(q.text).to.equal('WITH "g" AS (INSERT INTO "guild" VALUES ($2)) INSERT INTO "afk" VALUES ($1, $2, $3)');
    expect(q.values).to.deep.equal(['5', '7', 'x']);
  });

  it('joins values as bound parameters, Params by their one number', () => {
    const guild = param('7');
    const q = compile(sql`VALUES (${join(['a', guild, null, guild])})`);
    expect(q.text).to.equal('VALUES ($1, $2, $3, $2)');
    expect(q.values).to.deep.equal(['a', '7', null]);
  });
});

describe('compile with a declaration of what the statement touches', () => {
  it('attaches the tables, the locks and the index the guild Param is bound at', () => {
    const guild = param('42');
    const user = param('5');
    const statement = compile(sql`SELECT 1 FROM "levels" WHERE "user_id" = ${user} AND "guild_id" = ${guild} FOR UPDATE`, {
      bindFirst: [user],
      reads: ['levels'],
      writes: [],
      locks: true,
      guild,
    });
    expect(statement.touches).to.deep.equal({ reads: ['levels'], writes: [], locks: true, guildAt: 1 });
    expect(statement.values[1]).to.equal('42');
  });

  it('declares no guild when none is given, and none at all without a declaration', () => {
    expect(compile(sql`DELETE FROM "reminder"`, { reads: [], writes: ['reminder'] }).touches).to.deep.equal({ reads: [], writes: ['reminder'], locks: false });
    expect(compile(sql`SELECT ${1}`, [])).to.deep.equal({ text: 'SELECT $1', values: [1] });
  });

  it('refuses a guild Param the statement does not bind, rather than point at the wrong value', () => {
    expect(() => compile(sql`SELECT ${'5'}`, { reads: [], writes: [], guild: param('42') })).to.throw(/does not bind/);
  });
});
