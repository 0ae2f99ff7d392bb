import { expect } from 'chai';
import { ensureGuild, ensureGuilds } from '../../../src/query/ensure-guild';
import { compile, param, sql } from '../../../src/query/sql';

describe('ensureGuild', () => {
  it('creates the guild row from a Param the row names again, bound once', () => {
    const guild = param('42');
    const q = compile(sql`WITH ${ensureGuild(guild)} INSERT INTO "afk" ("user_id", "guild_id") VALUES (${'7'}, ${guild})`);
    expect(q.text).to.equal(
      'WITH "ensure_guild" AS (INSERT INTO "guild" ("guild_id") VALUES ($1) ON CONFLICT ("guild_id") DO NOTHING) ' +
        'INSERT INTO "afk" ("user_id", "guild_id") VALUES ($2, $1)',
    );
    expect(q.values).to.deep.equal(['42', '7']);
  });

  it('creates the guild rows of every distinct id of several bigint[] arrays, each bound once', () => {
    const first = param(['1', '2']);
    const second = param(['2']);
    const q = compile(sql`WITH ${ensureGuilds([first, second])} SELECT ${first}, ${second}`);
    expect(q.text).to.equal(
      'WITH "ensure_guild" AS (INSERT INTO "guild" ("guild_id") SELECT DISTINCT unnest($1::bigint[]) UNION ' +
        'SELECT DISTINCT unnest($2::bigint[]) ON CONFLICT ("guild_id") DO NOTHING) SELECT $1, $2',
    );
    expect(q.values).to.deep.equal([['1', '2'], ['2']]);
  });
});
