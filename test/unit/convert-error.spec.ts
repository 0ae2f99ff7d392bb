import { expect } from 'chai';
import { convertError, sqlStateOf } from '../../src/errors/convert-error';
import { CheckViolationError, ForeignKeyViolationError, UniqueViolationError } from '../../src/errors/constraint-errors';
import { DatabaseConnectionError, DatabaseTimeoutError } from '../../src/errors/connection-error';
import { DatabaseError, isDatabaseError } from '../../src/errors/database-error';
import { SerializationFailureError, TransactionError } from '../../src/errors/transaction-errors';
import { ValidationError } from '../../src/errors/validation-error';
import { DataError } from '../../src/errors/data-error';
import { NotFoundError } from '../../src/errors/not-found-error';

function pgError(code: string, extra: Record<string, string> = {}): Error {
  return Object.assign(new Error(`pg says ${code}`), { code, ...extra });
}

describe('convertError', () => {
  const cases: Array<[string, new (...args: never[]) => DatabaseError]> = [
    ['23505', UniqueViolationError],
    ['23503', ForeignKeyViolationError],
    ['23514', CheckViolationError],
    ['23502', CheckViolationError],
    ['40001', SerializationFailureError],
    ['40P01', SerializationFailureError],
    ['57014', DatabaseTimeoutError],
    ['57P01', DatabaseConnectionError],
    ['08006', DatabaseConnectionError],
    ['ECONNREFUSED', DatabaseConnectionError],
    ['25P02', TransactionError],
  ];
  for (const [code, type] of cases) {
    it(`maps ${code} to ${type.name}, keeping the original as cause`, () => {
      const original = pgError(code);
      const converted = convertError(original);
      expect(converted).to.be.instanceOf(type);
      expect(converted.cause).to.equal(original);
    });
  }

  it('maps a data exception (SQLSTATE class 22) to a DataError with its code, never a ValidationError', () => {
    for (const code of ['22012', '22003', '22008', '22025', '22P02']) {
      const original = pgError(code, { column: 'star_count' });
      const converted = convertError(original);
      expect(converted, code).to.be.instanceOf(DataError).and.not.be.instanceOf(ValidationError);
      expect(converted).to.include({ code, column: 'star_count', name: 'DataError' });
      expect(converted.cause).to.equal(original);
      expect(converted.message).to.include(code);
    }
  });

  it('keeps the constraint and table of a violation', () => {
    const converted = convertError(pgError('23505', { constraint: 'pk_guild', table: 'guild', detail: 'Key (guild_id)=(1) already exists.' }));
    expect(converted).to.include({ constraint: 'pk_guild', table: 'guild' });
    expect(converted.message).to.include('pk_guild').and.include('already exists');
  });

  it('looks through TypeORM’s QueryFailedError to the driver error', () => {
    const wrapped = Object.assign(new Error('query failed'), { driverError: pgError('23503', { constraint: 'fk_cases_guild' }) });
    expect(sqlStateOf(wrapped)).to.equal('23503');
    expect(convertError(wrapped)).to.be.instanceOf(ForeignKeyViolationError).and.include({ constraint: 'fk_cases_guild' });
  });

  it('maps pool timeouts and lost connections by message', () => {
    expect(convertError(new Error('timeout exceeded when trying to connect'))).to.be.instanceOf(DatabaseTimeoutError);
    expect(convertError(new Error('Connection terminated unexpectedly'))).to.be.instanceOf(DatabaseConnectionError);
  });

  it('never throws itself, even for a thrown value that cannot be turned into a string', () => {
    const bare: unknown = Object.create(null);
    expect(convertError(bare)).to.be.instanceOf(DatabaseError).and.have.property('cause', bare);
    expect(convertError(Symbol('thrown'))).to.be.instanceOf(DatabaseError);
  });

  it('passes the library’s own errors through and wraps anything else in DatabaseError', () => {
    const own = ValidationError.forField('Case', 'caseId', 'bad');
    expect(convertError(own)).to.equal(own);
    expect(convertError('weird')).to.be.instanceOf(DatabaseError);
    expect(isDatabaseError(convertError(new Error('x')))).to.equal(true);
    expect(isDatabaseError(new Error('x'))).to.equal(false);
  });

  it('builds NotFoundError messages with the id', () => {
    expect(NotFoundError.forId('Case', '42').message).to.equal('Case "42" was not found');
    expect(NotFoundError.forId('PermissionRank', { guildId: 1n, rank: 3 }).message).to.equal('PermissionRank {"guildId":"1","rank":3} was not found');
  });
});
