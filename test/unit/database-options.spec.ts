import { expect } from 'chai';
import { container as rootContainer } from 'tsyringe';
import { resolveOptions, type DatabaseOptions } from '../../src/config';
import { createDatabase, registerDatabase } from '../../src/container';
import { ValidationError } from '../../src/errors/validation-error';
import { DatabaseService } from '../../src/service/database-service';
import { importTux } from '../../src/import/import-tux';

// Where nothing could connect: a call that got past the checks would fail there, never touch a real database.
const NOWHERE = 'postgres://tux:x@127.0.0.1:1/tux';

/** What `fn` throws (or rejects with), or undefined. */
async function thrown(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
    return undefined;
  } catch (e) {
    return e;
  }
}

describe('DatabaseOptions', () => {
  it('refuses null options and a missing container with a ValidationError, never a TypeError', async () => {
    const calls: Array<[string, () => unknown]> = [
      ['resolveOptions(null)', () => resolveOptions(null as never, {})],
      ['createDatabase(null)', () => createDatabase(null as never)],
      ['registerDatabase(container, null)', () => registerDatabase(rootContainer.createChildContainer(), null as never)],
      ['registerDatabase(null)', () => registerDatabase(null as never, { url: NOWHERE })],
      ['registerDatabase({})', () => registerDatabase({} as never, { url: NOWHERE })],
      ['resolveOptions({}, null)', () => resolveOptions({}, null as never)],
      ['new DatabaseService(null)', () => new DatabaseService(null as never)],
    ];
    for (const [label, call] of calls) expect(await thrown(call), label).to.be.instanceOf(ValidationError);
  });

  it('refuses an unknown key with a did-you-mean hint in resolveOptions, createDatabase, registerDatabase and new DatabaseService', async () => {
    const options = { url: NOWHERE, poolsize: 3 } as DatabaseOptions;
    const calls: Array<[string, () => unknown]> = [
      ['resolveOptions', () => resolveOptions(options, {})],
      ['createDatabase', () => createDatabase(options)],
      ['registerDatabase', () => registerDatabase(rootContainer.createChildContainer(), options)],
      ['new DatabaseService', () => new DatabaseService(options)],
    ];
    for (const [label, call] of calls) {
      const error = await thrown(call);
      expect(error, label).to.be.instanceOf(ValidationError);
      expect((error as ValidationError).errors.map((f) => f.field), label).to.deep.equal(['options.poolsize']);
      expect((error as ValidationError).message, label).to.include('did you mean "poolSize"?');
    }
    // A TypeORM DataSource option is not one of ours (`migrations` is: the bot's migration classes, checked as such).
    expect(() => resolveOptions({ migrationsRun: false } as never, {})).to.throw(ValidationError, /options\.migrationsRun/);
    expect(() => resolveOptions({ migrations: false } as never, {})).to.throw(ValidationError, /migrations must be an array of migration classes/);
  });

  it('refuses maxRetries NaN and Infinity, as an option or an environment variable, and env numbers that are not plain digits', () => {
    for (const maxRetries of [NaN, Infinity, -Infinity, -1, 1.5]) {
      expect(() => resolveOptions({ maxRetries }, {}), String(maxRetries)).to.throw(ValidationError, /maxRetries/);
    }
    for (const value of ['NaN', 'Infinity', '1e3', ' 5', '5 ', '0x10', '+3', 'five']) {
      expect(() => resolveOptions({}, { TUX_DB_MAX_RETRIES: value }), value).to.throw(ValidationError, /maxRetries/);
      expect(() => resolveOptions({}, { TUX_DB_POOL_SIZE: value }), value).to.throw(ValidationError, /poolSize/);
    }
    expect(resolveOptions({}, { TUX_DB_MAX_RETRIES: '0', TUX_DB_POOL_SIZE: '12' })).to.deep.include({ maxRetries: 0, poolSize: 12 });
  });

  it('reads yes/no environment variables as 1/true/yes/on or 0/false/no/off in any case, and refuses any other word', () => {
    const url = 'postgres://tux@127.0.0.1/tux';
    for (const [text, on] of [['1', true], ['TRUE', true], ['yes', true], ['On', true], ['0', false], ['False', false], ['no', false], ['OFF', false]] as const) {
      expect(resolveOptions({ url }, { TUX_DB_BEHIND_POOLER: text }).behindPooler, text).to.equal(on);
      expect(resolveOptions({ url }, { TUX_DB_PREPARED_STATEMENTS: text }).preparedStatements, text).to.equal(on);
    }
    for (const text of ['disabled', 'maybe', 'y', '2']) {
      expect(() => resolveOptions({ url }, { TUX_DB_BEHIND_POOLER: text }), text).to.throw(ValidationError, new RegExp(`behindPooler must be one of 1, true, yes, on, 0, false, no, off \\(got TUX_DB_BEHIND_POOLER=${text}\\)`));
      expect(() => resolveOptions({ url }, { TUX_DB_PREPARED_STATEMENTS: text }), text).to.throw(ValidationError, /preparedStatements must be one of/);
    }
  });

  it('takes maxRetries from 0 to 100, the bound every unit of work checks, and refuses more at once', () => {
    expect(resolveOptions({ maxRetries: 100 }, {}).maxRetries).to.equal(100);
    expect(() => resolveOptions({ maxRetries: 101 }, {})).to.throw(ValidationError, /maxRetries must be an integer from 0 to 100 \(got maxRetries=101\)/);
    expect(() => resolveOptions({}, { TUX_DB_MAX_RETRIES: '500' })).to.throw(ValidationError, /from 0 to 100 \(got TUX_DB_MAX_RETRIES=500\)/);
  });

  it('refuses options of the wrong type, and environment values that are not text', () => {
    const bad: ReadonlyArray<[string, unknown]> = [
      ['dataDir', 5], ['dataDir', ''], ['migrate', 'yes'], ['preparedStatements', 'no'], ['applicationName', 5],
      ['applicationName', 'tux\u0000'], ['url', 5], ['poolSize', '5'], ['poolSize', 5n],
    ];
    for (const [key, value] of bad) {
      expect(() => resolveOptions({ [key]: value } as DatabaseOptions, {}), `${key}: ${String(value)}`).to.throw(ValidationError, new RegExp(key));
    }
    expect(() => resolveOptions({}, { TUX_DB_DATA_DIR: 5 } as never)).to.throw(ValidationError, /TUX_DB_DATA_DIR/);
  });

  it('refuses an applicationName the server would cut (past 63 bytes) or show as ? (outside printable ASCII)', () => {
    expect(resolveOptions({ applicationName: 'x'.repeat(63) }, {}).applicationName).to.have.length(63);
    for (const name of ['x'.repeat(64), 'ä😀', 'tux\tbot']) {
      expect(() => resolveOptions({ applicationName: name }, {}), name).to.throw(ValidationError, /applicationName must be 1–63 printable ASCII characters/);
    }
    expect(() => resolveOptions({}, { TUX_DB_APPLICATION_NAME: 'bot-ü' })).to.throw(ValidationError, /applicationName/);
  });

  it('refuses timeouts past what Node timers and statement_timeout hold (2147483647 ms)', () => {
    expect(() => resolveOptions({ acquireTimeoutMs: 2 ** 31 }, {})).to.throw(ValidationError, /acquireTimeoutMs/);
    expect(() => resolveOptions({ statementTimeoutMs: 1e12 }, {})).to.throw(ValidationError, /statementTimeoutMs/);
    expect(() => resolveOptions({}, { TUX_DB_ACQUIRE_TIMEOUT_MS: '2147483648' })).to.throw(ValidationError, /TUX_DB_ACQUIRE_TIMEOUT_MS=2147483648/);
    expect(resolveOptions({ acquireTimeoutMs: 2147483647, statementTimeoutMs: 0 }, {})).to.deep.include({ acquireTimeoutMs: 2147483647, statementTimeoutMs: 0 });
  });
});

describe('DatabaseOptions: the cache', () => {
  const URL_ = 'postgres://tux@127.0.0.1:5432/tux';
  const refused = (options: DatabaseOptions, env: Record<string, string> = {}): unknown => {
    try {
      resolveOptions({ url: URL_, ...options }, env);
      return undefined;
    } catch (e) {
      return e;
    }
  };

  it('defaults to the memory cache with Tux’s TTLs, and to none behind a pooler without a LISTEN URL', () => {
    const resolved = resolveOptions({ url: URL_ }, {}).cache;
    expect(resolved.backend).to.equal('memory');
    expect(resolved.ttlSeconds).to.deep.equal({ guildConfig: 7_200, permissions: 7_200, cases: 1_800, afk: 1_800, levels: 600 });
    expect(resolved.maxEntries).to.equal(50_000);
    expect(resolveOptions({ url: URL_, behindPooler: true }, {}).cache.backend).to.equal(false);
    expect(resolveOptions({ url: URL_, behindPooler: true, cacheListenUrl: URL_ }, {}).cache.backend).to.equal('memory');
  });

  it('reads TUX_DB_CACHE (off, memory, or a Redis URL) when the option is not given', () => {
    expect(resolveOptions({ url: URL_ }, { TUX_DB_CACHE: 'off' }).cache.backend).to.equal(false);
    expect(resolveOptions({ url: URL_ }, { TUX_DB_CACHE: 'redis://127.0.0.1:6379' }).cache.backend).to.deep.equal({ redis: 'redis://127.0.0.1:6379' });
    expect(resolveOptions({ url: URL_, cache: false }, { TUX_DB_CACHE: 'memory' }).cache.backend, 'the option wins').to.equal(false);
  });

  it('keeps the other families’ defaults when one TTL is given, and bounds the levels TTL at an hour', () => {
    expect(resolveOptions({ url: URL_, cacheTtlSeconds: { levels: 3_600 } }, {}).cache.ttlSeconds).to.include({ levels: 3_600, guildConfig: 7_200 });
    const tooLong = refused({ cacheTtlSeconds: { levels: 3_601 } });
    expect(tooLong).to.be.instanceOf(ValidationError);
    expect((tooLong as Error).message).to.include('cacheTtlSeconds.levels').and.include('3600');
    expect(resolveOptions({ url: URL_, cacheTtlSeconds: { guildConfig: 86_400 } }, {}).cache.ttlSeconds.guildConfig, 'other families may live longer').to.equal(86_400);
  });

  it('refuses every URL whose escapes pg, TypeORM or node-redis cannot decode, naming the option, never echoing the URL', async () => {
    // %C3 alone is half of a UTF-8 character: decodeURIComponent throws a URIError at connect time for it.
    const half = 'postgres://tux:pw-4711%C3@127.0.0.1:1/tux';
    const cases: Array<[DatabaseOptions, string]> = [
      [{ url: half }, 'url has %-escapes that decode to no text'],
      [{ url: 'postgres://tux%E2%82:x@127.0.0.1:1/tux' }, 'url has %-escapes that decode to no text'],
      [{ url: 'postgres://tux:x@127.0.0.1:1/tux%C3' }, 'url has %-escapes that decode to no text'],
      [{ replicas: [half] }, 'replicas[0] has %-escapes that decode to no text'],
      [{ cacheListenUrl: half }, 'cacheListenUrl has %-escapes that decode to no text'],
      [{ cache: { redis: 'redis://default:pw-4711%C3@127.0.0.1:6379' } }, 'cache.redis has %-escapes that decode to no text'],
      [{ cache: { redis: 'redis://default:pw-4711%zz@127.0.0.1:6379' } }, 'cache.redis has a % that starts no escape'],
    ];
    for (const [options, message] of cases) {
      const e = refused(options);
      expect(e, message).to.be.instanceOf(ValidationError);
      expect((e as Error).message, message).to.include(message).and.not.include('4711');
    }
    // White space around a URL: the URL parser trims it, pg then read a relative URL (host "base").
    for (const url of [` ${NOWHERE}`, `${NOWHERE}\n`]) {
      expect((refused({ url }) as Error).message).to.equal('Invalid DatabaseOptions: url has white space before or after it (a stray space or line end, as from a .env file): remove it');
    }
    // A whole escaped character is fine, as is an escaped %.
    expect(refused({ url: 'postgres://tux:%C3%A9t%C3%A9%25@127.0.0.1:1/tux' })).to.equal(undefined);
    const fromImport = await thrown(() => importTux(half, new DatabaseService({ url: NOWHERE })));
    expect(fromImport).to.be.instanceOf(ValidationError);
    expect((fromImport as Error).message).to.match(/^Invalid importTux: sourceUrl has %-escapes that decode to no text/).and.not.include('4711');
  });

  it('refuses bad cache options with a ValidationError naming the option', () => {
    const cases: Array<[DatabaseOptions, string]> = [
      [{ cache: 'redis' as never }, 'cache'],
      [{ cache: { redis: 'http://x' } }, 'cache.redis'],
      [{ cacheTtlSeconds: { prefix: 5 } as never }, 'prefix'],
      [{ cacheTtlSeconds: { afk: 0 } }, 'cacheTtlSeconds.afk'],
      [{ cacheTtlSeconds: { cases: 1.5 } }, 'cacheTtlSeconds.cases'],
      [{ cacheMaxEntries: 0 }, 'cacheMaxEntries'],
      [{ behindPooler: true, cache: 'memory' }, 'cacheListenUrl'],
    ];
    for (const [options, named] of cases) {
      const e = refused(options);
      expect(e, JSON.stringify(options)).to.be.instanceOf(ValidationError);
      expect((e as Error).message, JSON.stringify(options)).to.include(named);
    }
  });
});
