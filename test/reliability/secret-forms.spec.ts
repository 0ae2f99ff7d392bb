import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import sinon from 'sinon';
import { main } from '../../src/cli/main';
import { resolveOptions } from '../../src/config';
import { createDatabase } from '../../src/container';
import { ValidationError } from '../../src/errors/validation-error';
import { DatabaseError } from '../../src/errors/database-error';
import { DatabaseService } from '../../src/service/database-service';
import { asServerAdmin, testDatabaseUrl, useTestServer } from '../support/test-server';

/** Everything an error can show: message, stack and the whole cause chain, as console.log would print it. */
function everything(e: unknown): string {
  return `${inspect(e, { depth: 10 })}\n${JSON.stringify(e, Object.getOwnPropertyNames(e ?? {}))}`;
}

/** How the password reaches pg: `url` is DATABASE_URL, `env` the extra environment (PGPASSWORD). */
interface SecretForm {
  readonly name: string;
  readonly url: (host: string, database: string) => string;
  readonly env: Readonly<Record<string, string>>;
}

describe('secrets in every form pg accepts', function () {
  this.timeout(60_000);
  useTestServer();
  const role = `tux_secret_${process.pid}_${randomBytes(3).toString('hex')}`;
  // Characters that URLs encode, so both the written and the decoded form are looked for.
  const secret = `S3cret+${randomBytes(6).toString('hex')}/p@ss`;
  const encoded = encodeURIComponent(secret);
  let database: string;
  let server: string;

  const FORMS: ReadonlyArray<SecretForm> = [
    { name: 'URL userinfo', url: (host, db) => `postgres://${role}:${encoded}@${host}/${db}`, env: {} },
    { name: 'password= query parameter', url: (host, db) => `postgres://${role}@${host}/${db}?password=${encoded}`, env: {} },
    { name: 'PGPASSWORD', url: (host, db) => `postgres://${role}@${host}/${db}`, env: { PGPASSWORD: secret } },
  ];

  const expectNoSecret = (text: string, where: string): void => {
    expect(text, where).to.not.include(secret);
    expect(text, where).to.not.include(encoded);
    // The distinctive middle of the password, in case a printer re-encoded part of it.
    expect(text, where).to.not.include(secret.slice(7, 19));
  };

  /** Runs `fn` with `env` set in process.env, restoring it afterwards. */
  const withEnv = async <T>(env: Readonly<Record<string, string | undefined>>, fn: () => Promise<T>): Promise<T> => {
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    for (const [k, v] of Object.entries(env)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    try {
      return await fn();
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  };

  /** What the CLI prints for `argv`, through its own console printers and through raw ones. */
  const cliOutput = async (argv: string[]): Promise<string> => {
    const printed: string[] = [];
    const sandbox = sinon.createSandbox();
    sandbox.stub(console, 'log').callsFake((...args: unknown[]) => void printed.push(args.join(' ')));
    sandbox.stub(console, 'error').callsFake((...args: unknown[]) => void printed.push(args.join(' ')));
    try {
      await main(argv);
      await main(argv, (l) => printed.push(l), (l) => printed.push(l));
    } finally {
      sandbox.restore();
    }
    return printed.join('\n');
  };

  before(async () => {
    const url = new URL(testDatabaseUrl());
    database = url.pathname.slice(1);
    server = url.host;
    await asServerAdmin((c) => c.query(`CREATE ROLE "${role}" WITH LOGIN SUPERUSER PASSWORD '${secret.replace(/'/g, "''")}'`));
  });

  after(async () => {
    await asServerAdmin((c) => c.query(`DROP ROLE IF EXISTS "${role}"`));
  });

  for (const form of FORMS) {
    it(`never prints a password given as ${form.name}: errors, health, the CLI, and every public object`, async () => {
      const good = form.url(server, database);
      await withEnv(form.env, async () => {
        // Errors of failed connections, with their whole cause chain.
        for (const bad of [form.url('127.0.0.1:1', database), form.url(server, 'no_such_database_here')]) {
          const failure: unknown = await createDatabase({ url: bad, migrate: false, acquireTimeoutMs: 2_000 }).then(
            async (db) => db.close(),
            (e: unknown) => e,
          );
          expect(failure, bad.replace(encoded, '***')).to.be.instanceOf(DatabaseError);
          expectNoSecret(everything(failure), `the error for ${bad.replace(encoded, '***')}`);
          expect((failure as Error).message).to.include('Cannot connect to PostgreSQL at');
        }

        // The resolved options print masked but keep the URL usable.
        const options = resolveOptions({ url: good }, {});
        expect(options.url).to.equal(good);
        expectNoSecret(inspect(options), 'util.inspect(resolveOptions(...))');
        expectNoSecret(JSON.stringify(options), 'JSON.stringify(resolveOptions(...))');

        // A connected database and everything a bot author might log.
        const db = await createDatabase({ url: good, migrate: false });
        try {
          expect((await db.service.query<{ u: string }>('SELECT current_user AS u', [])).rows[0]?.u).to.equal(role);
          await db.guild.count();
          expectNoSecret(JSON.stringify(await db.health()), 'health()');
          const objects: Record<string, unknown> = { db, 'db.service.options': db.service.options };
          for (const [name, value] of Object.entries(db)) objects[`db.${name}`] = value;
          expect(Object.keys(objects)).to.include.members(['db.service', 'db.unitOfWork', 'db.case', 'db.guild', 'db.permissionCommands']);
          for (const [name, value] of Object.entries(objects)) {
            expectNoSecret(inspect(value), `util.inspect(${name})`);
            expectNoSecret(inspect(value, { depth: 8 }), `util.inspect(${name}, { depth: 8 })`);
            expectNoSecret(JSON.stringify(value) ?? '', `JSON.stringify(${name})`);
          }
          expect(inspect(db.service)).to.include(role);
        } finally {
          await db.close();
        }

        // The CLI, connected and not.
        for (const url of [good, form.url('127.0.0.1:1', database)]) {
          const printed = await withEnv({ DATABASE_URL: url }, () => cliOutput(['health']));
          expect(printed).to.match(/status: healthy|Cannot connect to PostgreSQL/);
          expectNoSecret(printed, `CLI output for ${url.replace(encoded, '***')}`);
        }
      });
    });
  }

  it('never prints the password of a replica, of the cache’s Redis or of its LISTEN connection', async () => {
    const good = `postgres://${role}:${encoded}@${server}/${database}`;
    const options = {
      url: good,
      // A replica written either way (this server is no standby: it serves no reads, which printing does not need).
      replicas: [good, `postgres://${role}@${server}/${database}?password=${encoded}`],
      cacheListenUrl: good,
    };
    const printers = (value: unknown, name: string): void => {
      expectNoSecret(inspect(value), `util.inspect(${name})`);
      expectNoSecret(inspect({ value }, { depth: 8 }), `util.inspect({ ${name} }, { depth: 8 })`);
      expectNoSecret(JSON.stringify(value) ?? '', `JSON.stringify(${name})`);
    };
    // Not connected: every URL kind, the Redis one included.
    const service = new DatabaseService({ ...options, cache: { redis: `redis://default:${encoded}@127.0.0.1:6379` } });
    printers(service, 'service');
    const shown = service.toJSON().options;
    expect([shown.url, ...shown.replicas, shown.cache.listenUrl, JSON.stringify(shown.cache.backend)].every((u) => u?.includes('***'))).to.equal(true);
    // Connected, with the memory cache: the coordinator and everything on it.
    const db = await createDatabase({ ...options, migrate: false });
    try {
      await db.guild.count();
      const objects: Record<string, unknown> = { db };
      for (const [name, value] of Object.entries(db)) objects[`db.${name}`] = value;
      for (const [name, value] of Object.entries(objects)) printers(value, name);
    } finally {
      await db.close();
    }
  });

  it('refuses a keyword connection string with a ValidationError that does not echo its password', async () => {
    const keyword = `host=127.0.0.1 port=5432 user=${role} password='${secret}' dbname=${database}`;
    expect(() => resolveOptions({ url: keyword }, {})).to.throw(ValidationError);
    const failure: unknown = await createDatabase({ url: keyword, migrate: false }).then(
      async (db) => db.close(),
      (e: unknown) => e,
    );
    expect(failure).to.be.instanceOf(ValidationError);
    expectNoSecret(everything(failure), 'the ValidationError for a keyword string');
    const printed = await withEnv({ DATABASE_URL: keyword }, () => cliOutput(['health']));
    expect(printed).to.include('not a valid URL');
    expectNoSecret(printed, 'CLI output for a keyword string');
  });
});
