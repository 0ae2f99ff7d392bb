import { expect } from 'chai';
import { DatabaseError } from '../../src/errors/database-error';
import { isLostPreparedStatement, lostStatementCode, statementName, StatementNames } from '../../src/service/statement-names';

describe('prepared statement names', () => {
  it('are a function of the SQL text alone, so every process gives one text the same name', () => {
    const text = 'SELECT * FROM "cases" WHERE "case_id" = $1';
    expect(new StatementNames().nameFor(text)).to.equal(new StatementNames().nameFor(text)).and.equal(statementName(text));
    expect(statementName(text)).to.match(/^tux_[0-9a-f]{24}$/);
    expect(statementName('SELECT 1')).to.not.equal(statementName('SELECT 2'));
  });

  it('stop once disabled: every statement then runs unnamed', () => {
    const names = new StatementNames();
    expect(names.nameFor('SELECT 1')).to.be.a('string');
    names.disable();
    expect(names.enabled).to.equal(false);
    expect(names.nameFor('SELECT 1')).to.equal(undefined);
  });

  it('recognise a pooler losing a statement, raw or converted, and nothing else', () => {
    const raw = Object.assign(new Error('prepared statement "tux_1" already exists'), { code: '42P05' });
    expect(isLostPreparedStatement(raw)).to.equal(true);
    expect(isLostPreparedStatement(new DatabaseError('Database operation failed (42P05)', { cause: raw }))).to.equal(true);
    expect(isLostPreparedStatement(Object.assign(new Error('prepared statement "tux_1" does not exist'), { code: '26000' }))).to.equal(true);
    expect(isLostPreparedStatement(Object.assign(new Error('bind message supplies 1 parameters, but prepared statement "tux_1" requires 2'), { code: '08P01' }))).to.equal(true);
    expect(isLostPreparedStatement(Object.assign(new Error('invalid message format'), { code: '08P01' }))).to.equal(false);
    expect(isLostPreparedStatement(Object.assign(new Error('duplicate key'), { code: '23505' }))).to.equal(false);
    expect(isLostPreparedStatement('42P05')).to.equal(false);
  });

  it('name the SQLSTATE from the driver’s error, also where a unit’s converted error holds it as its cause', () => {
    const lost = Object.assign(new Error('prepared statement "tux_1" does not exist'), { code: '26000' });
    expect(lostStatementCode(new DatabaseError('Database operation failed', { cause: lost }))).to.equal('26000');
    expect(lostStatementCode(lost)).to.equal('26000');
    expect(lostStatementCode(Object.assign(new Error('duplicate key'), { code: '23505' }))).to.equal(undefined);
  });
});
