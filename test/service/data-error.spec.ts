import { expect } from 'chai';
import { CaseType } from '../../src/entities/enums';
import { DataError } from '../../src/errors/data-error';
import { TransactionError } from '../../src/errors/transaction-errors';
import { ValidationError } from '../../src/errors/validation-error';
import { useTestDatabase } from '../support/test-database';

describe('DataError', () => {
  const t = useTestDatabase();

  it('is what a server-side data exception becomes: SELECT 1/0 is DataError 22012, not ValidationError', async () => {
    const error: unknown = await t.db.service.query('SELECT 1/0 AS "x"', []).then(
      () => expect.fail('SELECT 1/0 should fail'),
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(DataError).and.not.be.instanceOf(ValidationError);
    expect(error).to.include({ code: '22012' });
  });

  it('aborts the unit it happens in, unlike a ValidationError, and the unit rolls back', async () => {
    const guildId = t.newGuild();
    const outcome = await t.db
      .transaction(async () => {
        await t.db.case.createCase({ caseType: CaseType.WARN, caseUserId: '1', caseModeratorId: '2', guildId });
        await t.db.service.query('SELECT 1/0 AS "x"', []).catch((e: unknown) => expect(e).to.be.instanceOf(DataError));
        // The server refuses anything more in this transaction.
        await t.db.case.count({ filters: { guildId } });
      })
      .then(() => 'committed', (e: unknown) => e);
    expect(outcome).to.be.instanceOf(TransactionError);
    expect(await t.db.case.count({ filters: { guildId } })).to.equal(0);
  });
});
