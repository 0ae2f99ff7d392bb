import { expect } from 'chai';
import sinon from 'sinon';
import { ExactDateClient } from '../../src/service/exact-date-client';
import { SerialClient } from '../../src/service/serial-client';

describe('ExactDateClient', () => {
  afterEach(() => sinon.restore());

  // What the Client hands on to pg: the arguments of SerialClient's query, which it calls on every statement.
  function handedOn(...args: unknown[]): unknown[] {
    const query = sinon.stub(SerialClient.prototype, 'query').returns(undefined as never);
    (new ExactDateClient() as unknown as { query: (...a: unknown[]) => unknown }).query(...args);
    return query.firstCall.args;
  }

  it('hands a config of plain values on as it is, without a copy', () => {
    const config = { text: 'SELECT $1, $2', values: ['a', 1] };
    expect(handedOn(config)[0]).to.equal(config);
  });

  it('binds Dates and arrays in a new config and leaves the caller’s untouched', () => {
    const date = new Date('2024-05-01T12:00:00Z');
    const values = [date, ['x', 'y'], 'z'];
    const config = { text: 'SELECT $1, $2, $3', values, name: 'n' };
    const [sent] = handedOn(config) as [typeof config];
    expect(sent).to.not.equal(config);
    expect(sent).to.deep.equal({ text: 'SELECT $1, $2, $3', name: 'n', values: ['2024-05-01T12:00:00.000+00:00', '{"x","y"}', 'z'] });
    expect(config.values).to.equal(values);
    expect(values[0]).to.equal(date);
  });

  it('binds values given as the second argument too', () => {
    expect(handedOn('SELECT $1', [new Date(0)])[1]).to.deep.equal(['1970-01-01T00:00:00.000+00:00']);
  });
});
