import { expect } from 'chai';
import { Pool } from 'pg';
import { collectionNameOf, operationNameOf } from '../../src/observability/db-span-facts';
import { queryServerOf } from '../../src/service/query-event';

describe('db span facts', () => {
  describe('operationNameOf', () => {
    it('takes the first keyword, upper-cased', () => {
      expect(operationNameOf('select 1')).to.equal('SELECT');
      expect(operationNameOf('  DELETE FROM "afk" WHERE "guild_id" = $1')).to.equal('DELETE');
    });

    it('takes the statement after a WITH list, whatever its items hold', () => {
      const text = 'WITH "g" AS (INSERT INTO "guild" ("guild_id") VALUES ($1) ON CONFLICT DO NOTHING), b AS MATERIALIZED (SELECT \'a)\' AS "select") UPDATE "cases" SET "x" = 1';
      expect(operationNameOf(text)).to.equal('UPDATE');
      expect(operationNameOf('WITH r AS (SELECT 1), a AS (DELETE FROM "t" RETURNING 1) SELECT * FROM r')).to.equal('SELECT');
    });

    it('skips comments and gives undefined for a text with no word', () => {
      expect(operationNameOf('/* tag */ -- note\nINSERT INTO "t" DEFAULT VALUES')).to.equal('INSERT');
      expect(operationNameOf('  ;')).to.equal(undefined);
    });
  });

  describe('collectionNameOf', () => {
    it('names the one table a statement reads or writes', () => {
      expect(collectionNameOf({ reads: ['cases'], writes: [], locks: false })).to.equal('cases');
      expect(collectionNameOf({ reads: ['permission_ranks'], writes: ['permission_assignments'], locks: false })).to.equal('permission_assignments');
    });

    it('sets the guild row a write creates on the way aside', () => {
      expect(collectionNameOf({ reads: [], writes: ['afk', 'guild'], locks: false })).to.equal('afk');
      expect(collectionNameOf({ reads: [], writes: ['guild'], locks: false })).to.equal('guild');
    });

    it('names none for several tables or no declaration', () => {
      expect(collectionNameOf({ reads: ['cases', 'guild'], writes: [], locks: false })).to.equal(undefined);
      expect(collectionNameOf({ reads: [], writes: ['afk', 'levels', 'guild'], locks: false })).to.equal(undefined);
      expect(collectionNameOf(undefined)).to.equal(undefined);
    });
  });

  describe('queryServerOf', () => {
    it('reads host, port and database from the pool’s URL, never the user or password', async () => {
      const pool = new Pool({ connectionString: 'postgres://tux:hunter2@db.internal:6432/tux_prod?password=hunter2' });
      try {
        const server = queryServerOf(pool);
        expect(server).to.deep.equal({ host: 'db.internal', port: 6432, database: 'tux_prod', label: 'db.internal:6432/tux_prod' });
        expect(JSON.stringify(server)).to.not.match(/hunter2|tux:/);
      } finally {
        await pool.end();
      }
    });

    it('takes a socket directory from ?host= and the default port', async () => {
      const pool = new Pool({ connectionString: 'postgresql://tux@/bot?host=/var/run/postgresql' });
      try {
        expect(queryServerOf(pool).label).to.equal('/var/run/postgresql:5432/bot');
      } finally {
        await pool.end();
      }
    });
  });
});
