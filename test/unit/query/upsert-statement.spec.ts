import { expect } from 'chai';
import { upsertStatement } from '../../../src/query/upsert-statement';
import { fixtureColumn, fixtureModel, guildOwnedFixtureModel } from './fixture-model';
import { textAndValues } from './text-and-values';

const RETURNING = `RETURNING ${fixtureModel.selectList}, (xmax = 0) AS "__created"`;
const row = (values: Record<string, unknown>) => ({ columns: Object.keys(values).map(fixtureColumn), params: Object.values(values) });
const columns = (...properties: string[]) => properties.map(fixtureColumn);

describe('upsertStatement', () => {
  it('inserts the row or updates the given columns from EXCLUDED on a conflict of the key', () => {
    const statement = upsertStatement(fixtureModel, { key: columns('caseId'), inserted: row({ caseId: '42', caseReason: 'x', caseStatus: true }), updated: columns('caseReason') });
    expect(textAndValues(statement)).to.deep.equal({
      text:
        'INSERT INTO "fixture_cases" ("case_id", "case_reason", "case_status") VALUES ($1, $2, $3) ' +
        `ON CONFLICT ("case_id") DO UPDATE SET "case_reason" = EXCLUDED."case_reason" ${RETURNING}`,
      values: ['42', 'x', true],
    });
  });

  it('sets the key’s first column to itself when there is nothing to update, so the existing row comes back', () => {
    const statement = upsertStatement(fixtureModel, { key: columns('caseId'), inserted: row({ caseId: '42' }), updated: [] });
    expect(statement.text).to.equal(`INSERT INTO "fixture_cases" ("case_id") VALUES ($1) ON CONFLICT ("case_id") DO UPDATE SET "case_id" = EXCLUDED."case_id" ${RETURNING}`);
  });

  it('creates the guild row first on a guild-owned table, naming the guild’s parameter, and bumps updated_at when a non-key column changes', () => {
    const statement = upsertStatement(guildOwnedFixtureModel, {
      key: columns('guildId', 'caseNumber'),
      inserted: row({ caseNumber: 3, guildId: '7', caseReason: 'x' }),
      updated: columns('caseReason'),
    });
    expect(textAndValues(statement)).to.deep.equal({
      text:
        'WITH "ensure_guild" AS (INSERT INTO "guild" ("guild_id") VALUES ($2) ON CONFLICT ("guild_id") DO NOTHING) ' +
        'INSERT INTO "fixture_cases" ("case_number", "guild_id", "case_reason") VALUES ($1, $2, $3) ' +
        `ON CONFLICT ("guild_id", "case_number") DO UPDATE SET "case_reason" = EXCLUDED."case_reason", "case_updated_at" = now() ${RETURNING}`,
      values: [3, '7', 'x'],
    });
  });

  it('leaves updated_at alone when the no-op update sets only a key column', () => {
    const statement = upsertStatement(guildOwnedFixtureModel, { key: columns('guildId', 'caseNumber'), inserted: row({ guildId: '7', caseNumber: 3 }), updated: [] });
    expect(statement.text).to.contain('DO UPDATE SET "guild_id" = EXCLUDED."guild_id" RETURNING');
  });
});
