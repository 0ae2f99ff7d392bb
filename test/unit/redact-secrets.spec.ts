import { expect } from 'chai';
import { redactSecrets, redactUrl, secretsOf } from '../../src/redact-secrets';

describe('redactUrl', () => {
  it('masks the userinfo password and every password query parameter', () => {
    expect(redactUrl('postgres://tux:hunter2@db:5432/tux')).to.equal('postgres://tux:***@db:5432/tux');
    expect(redactUrl('postgres://tux@host:1/tux?password=S3cret')).to.equal('postgres://tux@host:1/tux?password=***');
    expect(redactUrl('postgres://tux:a@h/tux?sslmode=require&password=b&sslpassword=c')).to.equal('postgres://tux:***@h/tux?sslmode=require&password=***&sslpassword=***');
  });

  it('masks a password that a #, / or ? made the URL parser read as a port, a path or a fragment', () => {
    expect(redactUrl('postgres://tux:2024#Winter!@127.0.0.1:5432/tux')).to.equal('postgres://tux:***@127.0.0.1:5432/tux');
    expect(redactUrl('postgres://tux:5432/Secret@127.0.0.1/tux')).to.equal('postgres://tux:***@127.0.0.1/tux');
    expect(redactUrl('postgres://tux:1?Secret@127.0.0.1/tux')).to.equal('postgres://tux:***@127.0.0.1/tux');
    expect(secretsOf('postgres://tux:2024#Winter!@127.0.0.1:5432/tux', {})).to.include('2024#Winter!');
    expect(redactUrl('postgres://127.0.0.1:5432/tux'), 'a port is no password').to.equal('postgres://127.0.0.1:5432/tux');
  });

  it('masks the fragment a # in a password query parameter starts, which holds the rest of the password', () => {
    const url = 'postgres://tux@127.0.0.1:1/tux?password=ab#cdSECRET';
    expect(redactUrl(url)).to.equal('postgres://tux@127.0.0.1:1/tux?password=***#***');
    expect(secretsOf(url, {})).to.include('cdSECRET');
  });

  it('never echoes what is not a URL, such as a keyword connection string', () => {
    expect(redactUrl('host=db password=S3cret')).to.equal('<invalid url>');
    expect(redactUrl('::')).to.equal('<invalid url>');
  });
});

describe('secretsOf', () => {
  it('finds a password in the userinfo, the query string and PGPASSWORD, written and decoded', () => {
    expect(secretsOf('postgres://tux:p%40ss@db/tux', {})).to.have.members(['p%40ss', 'p@ss']);
    expect(secretsOf('postgres://tux@db/tux?password=a+b%2Fc', {})).to.include.members(['a+b%2Fc', 'a b/c', 'a+b/c']);
    expect(secretsOf('postgres://tux@db/tux', { PGPASSWORD: 'fromenv' })).to.deep.equal(['fromenv']);
    expect(secretsOf(undefined, {})).to.deep.equal([]);
  });

  it('takes an unencoded @ in a password as part of it, as pg does (it splits at the last @), not as its end', () => {
    const url = 'postgres://tux_user:e@SECRETPW@127.0.0.1:1/tux_main';
    expect(secretsOf(url, {})).to.have.members(['e%40SECRETPW', 'e@SECRETPW']);
    const message = redactSecrets(`Cannot connect to PostgreSQL at ${redactUrl(url)}: Cannot reach the database server`, secretsOf(url, {}));
    expect(message).to.equal('Cannot connect to PostgreSQL at postgres://tux_user:***@127.0.0.1:1/tux_main: Cannot reach the database server');
  });

  it('finds the password of a keyword connection string, quoted or not', () => {
    expect(secretsOf("host=db password='it\\'s secret' user=tux", {})).to.include("it's secret");
    expect(secretsOf('host=db password=plain user=tux', {})).to.include('plain');
  });
});

describe('redactSecrets', () => {
  it('replaces every occurrence of every secret, the longest first', () => {
    expect(redactSecrets('a S3cret and S3cret-long', ['S3cret-long', 'S3cret'])).to.equal('a *** and ***');
  });

  it('keeps the URL scheme when a password spells it (the embedded server\'s is "postgres"), and masks it everywhere else', () => {
    expect(redactSecrets('Resetting postgres://postgres:postgres@127.0.0.1:5432/tux (a postgresql:// URL)', ['postgres'])).to.equal(
      'Resetting postgres://***:***@127.0.0.1:5432/tux (a postgresql:// URL)',
    );
  });
});
