import { expect } from 'chai';
import fc from 'fast-check';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnFixture } from '../support/child-process';
import { TEST_REDIS_URL, cacheOptionsOrSkip } from '../support/cache';
import { randomSnowflake } from '../support/fixtures';
import { testDatabaseUrl } from '../support/test-server';
import { Client } from 'pg';

type Op = 'write' | 'rollback' | 'read';

/** One bot process of the model, with its cache, driven one JSON line at a time. */
class Worker {
  private next = 0;
  private readonly waiting = new Map<number, { resolve: (prefix: string | undefined) => void; reject: (e: Error) => void }>();
  private readonly ready: Promise<void>;

  constructor(private readonly child: ChildProcess) {
    let started!: () => void;
    this.ready = new Promise((resolve) => (started = resolve));
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => {
      for (const w of this.waiting.values()) w.reject(new Error(`worker exited with ${code}: ${stderr}`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const reply = JSON.parse(line) as { ready?: boolean; id?: number; prefix?: string; error?: string };
      if (reply.ready) return started();
      const w = this.waiting.get(reply.id ?? -1);
      this.waiting.delete(reply.id ?? -1);
      if (reply.error !== undefined) w?.reject(new Error(reply.error));
      else w?.resolve(reply.prefix);
    });
  }

  async send(op: Op, guildId: string, prefix?: string): Promise<string | undefined> {
    await this.ready;
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.child.stdin!.write(`${JSON.stringify({ id, op, guildId, prefix })}\n`);
    });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.stdin!.end();
    });
  }
}

// Prefixes are `v<n>`: n orders the writes (the spec numbers them as it sends them), so "older" is "smaller n".
const version = (prefix: string | undefined): number => (prefix !== undefined && prefix.startsWith('v') ? Number(prefix.slice(1)) : 0);

for (const backend of ['memory', { redis: TEST_REDIS_URL }] as const) {
  const name = backend === 'memory' ? 'memory' : 'redis';

  describe(`cache model (${name} backend): random interleavings of writes, rollbacks and reads in two processes`, function () {
    this.timeout(300_000);
    let workers: Worker[] = [];
    let sql: Client | undefined;
    const guilds: string[] = [];

    before(async function () {
      this.timeout(180_000);
      const options = await cacheOptionsOrSkip(this, backend);
      const env: Record<string, string> = {
        DATABASE_URL: testDatabaseUrl(),
        TUX_DB_CACHE: backend === 'memory' ? 'memory' : backend.redis,
        ...(options.cacheListenUrl === undefined ? {} : { TUX_DB_CACHE_LISTEN_URL: options.cacheListenUrl }),
      };
      sql = new Client({ connectionString: testDatabaseUrl() });
      await sql.connect();
      workers = [new Worker(spawnFixture('cache-model-worker.ts', env, [], 'pipe')), new Worker(spawnFixture('cache-model-worker.ts', env, [], 'pipe'))];
    });
    after(async () => {
      await Promise.all(workers.map((w) => w.stop()));
      if (guilds.length > 0) await sql?.query(`DELETE FROM guild WHERE guild_id = ANY($1::bigint[])`, [guilds]);
      await sql?.end();
    });

    it('never lets a process read a prefix older than one it already wrote or read, nor one rolled back; both end on the last commit', async () => {
      // A step sends at once: at most one write (committed or rolled back, by either process), and reads by none, one
      // or both. One write at a time keeps commit order and numbering the same, so "older" is "smaller n".
      const step = fc.record({
        write: fc.option(fc.record({ by: fc.constantFrom(0, 1), op: fc.constantFrom<Op>('write', 'write', 'rollback') }), { nil: undefined }),
        reads: fc.subarray([0, 1]),
      });
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 25 }), async (steps) => {
          const guildId = randomSnowflake();
          guilds.push(guildId);
          let written = 0;
          const rolledBack = new Set<number>();
          const committed: number[] = [];
          // What each process has seen commit (its own writes, and what it read), before each step.
          const seen = [0, 0];
          const problems: string[] = [];
          for (const { write, reads } of steps) {
            const ops = [...(write === undefined ? [] : [write]), ...reads.map((by) => ({ by, op: 'read' as const }))];
            const before = [...seen];
            await Promise.all(
              ops.map(async ({ by, op }) => {
                const worker = workers[by]!;
                if (op === 'read') {
                  const read = version(await worker.send('read', guildId));
                  if (read < (before[by] ?? 0)) problems.push(`process ${by} read v${read} after it had seen v${before[by]}`);
                  if (rolledBack.has(read)) problems.push(`process ${by} read v${read}, which was rolled back`);
                  seen[by] = Math.max(seen[by] ?? 0, read);
                  return;
                }
                const n = ++written;
                if (op === 'rollback') rolledBack.add(n);
                await worker.send(op, guildId, `v${n}`);
                if (op === 'write') {
                  committed.push(n);
                  seen[by] = Math.max(seen[by] ?? 0, n);
                }
              }),
            );
          }
          // Concurrent writes commit in an order of their own: the last commit is whatever the database holds now.
          const last = version((await sql!.query<{ prefix: string }>('SELECT prefix FROM guild_config WHERE guild_id = $1', [guildId])).rows[0]?.prefix);
          for (const [by, worker] of workers.entries()) {
            let read = -1;
            for (let i = 0; i < 300 && read !== last; i++) {
              read = version(await worker.send('read', guildId));
              if (read !== last) await sleep(10);
            }
            if (read !== last) problems.push(`process ${by} still reads v${read}, the database holds v${last}`);
          }
          expect(problems).to.deep.equal([]);
          expect(committed.includes(last) || (last === 0 && committed.length === 0)).to.equal(true);
        }),
        { numRuns: 12 },
      );
    });
  });
}
