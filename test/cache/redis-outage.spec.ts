import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DatabaseCoordinator } from '../../src/coordinator';
import { findFreePort } from '../../src/embedded/free-port';
import { cacheOptionsOrSkip } from '../support/cache';
import { deleteGuilds, openTestDatabase, randomSnowflake } from '../support/fixtures';

const REDIS_SERVER = '/usr/bin/redis-server';

/** A Redis of this suite's own, which it can stop, kill and start again on the same port and data directory. */
class OwnRedis {
  private child: ChildProcess | undefined;

  constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    // No automatic snapshots: the one a test takes with SAVE is what a restart loads.
    this.child = spawn(REDIS_SERVER, ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    for (let i = 0; i < 200 && !(await this.answers()); i++) await sleep(25);
  }

  /** SIGKILL: nothing is saved on the way down, so a start loads the last SAVE. */
  async kill(): Promise<void> {
    const child = this.child;
    if (child === undefined || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async command(...args: string[]): Promise<void> {
    const redis = await import('redis');
    const client = redis.createClient({ url: this.url });
    await client.connect();
    try {
      await client.sendCommand(args);
    } finally {
      await client.close();
    }
  }

  private answers(): Promise<boolean> {
    return this.command('PING').then(
      () => true,
      () => false,
    );
  }
}

describe('the Redis cache when its Redis goes away or comes back from a snapshot', function () {
  this.timeout(60_000);
  let redis: OwnRedis;
  let dir: string;
  let db: DatabaseCoordinator;
  const guilds: string[] = [];
  const newGuild = (): string => {
    const id = randomSnowflake();
    guilds.push(id);
    return id;
  };

  before(async function () {
    // cacheOptionsOrSkip skips (with its reason) when no Redis or no direct LISTEN URL is there; this suite also
    // needs the binary to run a Redis of its own.
    const options = await cacheOptionsOrSkip(this, { redis: 'redis://127.0.0.1:6379' });
    if (!existsSync(REDIS_SERVER)) {
      // Skip reason: stopping and restarting Redis needs a server of the suite's own; CI's machine has the binary.
      console.log(`    (skipped: no ${REDIS_SERVER} to run a Redis this suite can stop)`);
      this.skip();
    }
    dir = mkdtempSync(path.join(os.tmpdir(), 'tux-redis-'));
    redis = new OwnRedis(await findFreePort(), dir);
    await redis.start();
    db = await openTestDatabase({ ...options, cache: { redis: redis.url } });
  });
  after(async () => {
    if (db) {
      await deleteGuilds(db, guilds);
      await db.close();
    }
    await redis?.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Until the cache is trusted again (its repair, an epoch INCR, went through), at most 20 s. */
  const trustedAgain = async (): Promise<boolean> => {
    for (let i = 0; i < 400 && !db.service.cacheServes(); i++) await sleep(50);
    return db.service.cacheServes();
  };

  it('answers reads from the database and lets writes return while Redis is down, then trusts it again', async () => {
    const guildId = newGuild();
    await db.guildConfig.setPrefix(guildId, 'a');
    expect(await db.guildConfig.getPrefix(guildId)).to.equal('a');
    await redis.kill();
    // Neither waits for Redis to come back: without that, this test runs into mocha's timeout.
    await db.guildConfig.setPrefix(guildId, 'b');
    expect(await db.guildConfig.getPrefix(guildId)).to.equal('b');
    expect(db.service.cacheServes(), 'an untrusted Redis serves nothing').to.equal(false);
    await redis.start();
    expect(await trustedAgain()).to.equal(true);
    expect(await db.guildConfig.getPrefix(guildId)).to.equal('b');
  });

  it('never serves what a Redis restarted from an older snapshot brings back', async () => {
    expect(await trustedAgain()).to.equal(true);
    const guildId = newGuild();
    await db.guildConfig.setPrefix(guildId, 'old');
    expect(await db.guildConfig.getPrefix(guildId)).to.equal('old'); // now an entry in Redis
    await redis.command('SAVE'); // the snapshot holds that entry and its scope's generation
    await db.guildConfig.setPrefix(guildId, 'new'); // bumps the generation, after the snapshot
    await redis.kill();
    await redis.start(); // back from the snapshot: the entry and the generation it was filled under match again
    expect(await trustedAgain()).to.equal(true);
    expect(await db.guildConfig.getPrefix(guildId)).to.equal('new');
    expect(await db.guildConfig.getPrefix(guildId)).to.equal('new');
  });
});
