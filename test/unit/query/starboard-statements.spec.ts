import { expect } from 'chai';
import { Starboard } from '../../../src/entities/starboard';
import { buildTableModel } from '../../../src/query/build-table-model';
import { upsertStarboardStatement } from '../../../src/query/starboard-statements';
import type { ColumnModel, TableModel } from '../../../src/query/table-model';
import { entityMetadata } from '../../support/entity-metadata';
import { textAndValues } from './text-and-values';

describe('starboard statements', () => {
  let starboard: TableModel;
  const column = (property: string): ColumnModel => {
    const found = starboard.columns.get(property);
    if (found === undefined) throw new Error(`Starboard has no ${property}`);
    return found;
  };
  before(async () => {
    starboard = buildTableModel(await entityMetadata(Starboard));
  });

  it('upsertStarboardStatement inserts or replaces the given settings, creating the guild row', () => {
    const settings = { columns: [column('starboardChannelId'), column('starboardEmoji')], params: ['55', '⭐'] };
    expect(textAndValues(upsertStarboardStatement(starboard, '42', settings))).to.deep.equal({
      text:
        'WITH "ensure_guild" AS (INSERT INTO "guild" ("guild_id") VALUES ($1) ON CONFLICT ("guild_id") DO NOTHING) ' +
        'INSERT INTO "starboard" ("guild_id", "starboard_channel_id", "starboard_emoji") VALUES ($1, $2, $3) ' +
        'ON CONFLICT ("guild_id") DO UPDATE SET "starboard_channel_id" = EXCLUDED."starboard_channel_id", "starboard_emoji" = EXCLUDED."starboard_emoji" ' +
        `RETURNING ${starboard.selectList}`,
      values: ['42', '55', '⭐'],
    });
  });
});
