import { expect } from 'chai';
import path from 'node:path';
import { resolveOptions } from '../../src/config';
import { redactUrl } from '../../src/redact-secrets';
import { ValidationError } from '../../src/errors/validation-error';

describe('resolveOptions', () => {
  it('uses the embedded server in .tux-db with sane defaults when nothing is configured', () => {
    const options = resolveOptions({}, {});
    expect(options).to.deep.include({ url: undefined, dataDir: path.resolve('.tux-db'), migrate: true, poolSize: 10, preparedStatements: true, maxRetries: 5 });
  });

  it('reads the environment, and arguments win over it', () => {
    const env = { DATABASE_URL: 'postgres://a@h/db', TUX_DB_POOL_SIZE: '3', TUX_DB_DATA_DIR: '/tmp/x', TUX_DB_PREPARED_STATEMENTS: 'off' };
    expect(resolveOptions({}, env)).to.deep.include({ url: 'postgres://a@h/db', poolSize: 3, dataDir: '/tmp/x', preparedStatements: false });
    expect(resolveOptions({ poolSize: 7, url: 'postgresql://b@h/db' }, env)).to.deep.include({ poolSize: 7, url: 'postgresql://b@h/db' });
  });

  it('rejects bad options with a ValidationError that does not echo the URL', () => {
    expect(() => resolveOptions({ poolSize: 0 }, {})).to.throw(ValidationError, /poolSize/);
    expect(() => resolveOptions({}, { TUX_DB_STATEMENT_TIMEOUT_MS: 'soon' })).to.throw(ValidationError, /TUX_DB_STATEMENT_TIMEOUT_MS=soon/);
    expect(() => resolveOptions({ url: 'mysql://u:secret@h/db' }, {}))
      .to.throw(ValidationError, /postgres:\/\//)
      .with.property('message')
      .that.does.not.include('secret');
    expect(() => resolveOptions({ url: 'not a url' }, {})).to.throw(ValidationError, /not a valid URL/);
  });

  it('redacts the password of a URL', () => {
    expect(redactUrl('postgres://tux:hunter2@db:5432/tux')).to.equal('postgres://tux:***@db:5432/tux');
    expect(redactUrl('::')).to.equal('<invalid url>');
  });
});
