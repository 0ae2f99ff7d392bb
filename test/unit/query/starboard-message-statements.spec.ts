import { expect } from 'chai';
import { StarboardMessage } from '../../../src/entities/starboard-message';
import { buildTableModel } from '../../../src/query/build-table-model';
import { incrementStarCountStatement } from '../../../src/query/starboard-message-statements';
import type { TableModel } from '../../../src/query/table-model';
import { entityMetadata } from '../../support/entity-metadata';
import { textAndValues } from './text-and-values';

describe('starboard message statements', () => {
  let starboardMessage: TableModel;
  before(async () => {
    starboardMessage = buildTableModel(await entityMetadata(StarboardMessage));
  });

  it('incrementStarCountStatement adds the delta in int8, clamped to 0–2147483647, the message id bound first', () => {
    expect(textAndValues(incrementStarCountStatement(starboardMessage, '9', -3))).to.deep.equal({
      text:
        'UPDATE "starboard_message" SET "star_count" = LEAST(GREATEST("star_count"::int8 + $2::int8, 0), 2147483647)::int ' +
        'WHERE "message_id" = $1 RETURNING "star_count" AS "starCount"',
      values: ['9', -3],
    });
  });
});
