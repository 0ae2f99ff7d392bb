import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { GatewayClient } from './gateway-clients';
import { sharedNow, type ReaderMessage, type WriteKind, type WriterMessage } from './gateway-protocol';
import { readProbe } from './gateway-probes';
import { prefixVersion } from './gateway-world';

/**
 * One write as the reading process saw it, in ms from the writer's call returning (the server committed before it
 * answered). The probe reads every ~1 ms from before the write until a read returns the new value.
 */
export interface StalenessSample {
  readonly kind: WriteKind;
  /** Until the first read here that returned the new value had returned it; Infinity if none did in time. */
  readonly seenMs: number;
  /** Until the start of the last read here that still returned the old value; 0 when every read that started after the commit returned the new one. */
  readonly staleMs: number;
  /** How long the writer's call took (the commit happened within it). */
  readonly writeMs: number;
}

/** What the message traffic's own prefix reads showed: older prefixes served after a newer one had committed. */
export interface TrafficStaleness {
  readonly reads: number;
  /** Reads that started more than the bound after a newer prefix committed, yet returned the older one. */
  readonly beyondBound: number;
  /** The longest such lag in ms, from the newer prefix's commit to the read's start (0 when none was stale). */
  readonly maxLagMs: number;
}

function isWriterMessage(m: unknown): m is WriterMessage {
  return typeof m === 'object' && m !== null && typeof (m as { type?: unknown }).type === 'string';
}

interface PendingWrite {
  readonly committed: Promise<{ startedAt: number; committedAt: number } | undefined>;
  settle(result: { startedAt: number; committedAt: number } | undefined): void;
  readonly done: Promise<void>;
}

/**
 * The reading side of the staleness measurement, and the writer process it forks (bench/gateway-writer.ts). While
 * `measure(client)` is set, each write the writer announces is polled for with that client from before the write
 * until the new value comes back (or `timeoutMs` passes); the delay from the write's commit is one sample.
 *
 * ```ts
 * const probe = await StalenessProbe.start(url, 50, 250, 7, 2_000);
 * probe.measure(client); // … traffic …
 * probe.measure(undefined);
 * await probe.settle();
 * ```
 */
export class StalenessProbe {
  private active: GatewayClient | undefined;
  private readonly pending = new Map<number, PendingWrite>();
  private readonly samples = new Map<string, StalenessSample[]>();
  private readonly prefixCommits = new Map<number, number[]>();
  private readonly prefixReads = new Map<string, { guild: number[]; version: number[]; at: number[] }>();
  /** Writes that failed, and reads the probe could not make. */
  readonly problems: string[] = [];

  private constructor(
    private readonly child: ChildProcess,
    private readonly timeoutMs: number,
  ) {
    child.on('message', (m: unknown) => {
      if (isWriterMessage(m)) this.onMessage(m);
    });
  }

  /** Forks the writer on `url` and waits until it is connected. @throws Error when it exits first. */
  static async start(url: string, guilds: number, intervalMs: number, seed: number, timeoutMs: number): Promise<StalenessProbe> {
    const child = fork(path.join(__dirname, 'gateway-writer.ts'), [], { execArgv: ['-r', 'ts-node/register/transpile-only'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const probe = new StalenessProbe(child, timeoutMs);
    await new Promise<void>((resolve, reject) => {
      const onExit = (code: number | null): void => reject(new Error(`the writer process exited with ${code} before it was ready`));
      child.once('exit', onExit);
      child.on('message', (m: unknown) => {
        if (isWriterMessage(m) && m.type === 'ready') {
          child.off('exit', onExit);
          resolve();
        }
      });
      probe.send({ type: 'start', url, guilds, intervalMs, seed });
    });
    return probe;
  }

  /** Probes the writes announced from now on with `client`; undefined: the writer skips them. */
  measure(client: GatewayClient | undefined): void {
    this.active = client;
  }

  /** Waits for the write in flight (when there is one) to be seen (or given up). */
  async settle(): Promise<void> {
    await Promise.all([...this.pending.values()].map((p) => p.done));
  }

  /** Records a prefix the traffic of `client` read in guild `g`, in a read that started at `at` (sharedNow). */
  recordPrefix(client: string, g: number, prefix: string, at: number): void {
    let reads = this.prefixReads.get(client);
    if (reads === undefined) this.prefixReads.set(client, (reads = { guild: [], version: [], at: [] }));
    reads.guild.push(g);
    reads.version.push(prefixVersion(prefix) ?? -1);
    reads.at.push(at);
  }

  /** The samples of `client`. */
  samplesOf(client: string): ReadonlyArray<StalenessSample> {
    return this.samples.get(client) ?? [];
  }

  /** Checks every prefix the traffic of `client` read against the commits of newer prefixes (after stop, when all are known). */
  traffic(client: string, boundMs: number): TrafficStaleness {
    const reads = this.prefixReads.get(client);
    if (reads === undefined) return { reads: 0, beyondBound: 0, maxLagMs: 0 };
    let beyondBound = 0;
    let maxLagMs = 0;
    for (let i = 0; i < reads.at.length; i++) {
      const version = reads.version[i] ?? -1;
      // Version v + 1 committed at prefixCommits[g][v]; the seed's prefix is version 0.
      const newer = version < 0 ? undefined : this.prefixCommits.get(reads.guild[i] ?? -1)?.[version];
      const lag = newer === undefined ? 0 : (reads.at[i] ?? 0) - newer;
      if (lag > maxLagMs) maxLagMs = lag;
      if (lag > boundMs) beyondBound++;
      if (version < 0) this.problems.push(`${client} read a prefix the bench never set in guild ${reads.guild[i]}`);
    }
    return { reads: reads.at.length, beyondBound, maxLagMs };
  }

  /** Stops the writer and waits for it to exit. */
  async stop(): Promise<void> {
    this.active = undefined;
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.send({ type: 'stop' });
    await this.settle();
    await exited;
  }

  private send(m: ReaderMessage): void {
    if (this.child.connected) this.child.send(m);
  }

  private onMessage(m: WriterMessage): void {
    switch (m.type) {
      case 'intent': {
        const client = this.active;
        if (client === undefined) return this.send({ type: 'skip', id: m.id });
        this.pending.set(m.id, this.poll(client, m));
        return this.send({ type: 'probing', id: m.id });
      }
      case 'committed':
        return this.pending.get(m.id)?.settle({ startedAt: m.startedAt, committedAt: m.committedAt });
      case 'failed':
        this.problems.push(`write ${m.id} failed: ${m.error}`);
        return this.pending.get(m.id)?.settle(undefined);
      case 'ready':
        return;
    }
  }

  // Polls from before the write until the new value comes back, then pairs that moment with the commit.
  private poll(client: GatewayClient, intent: Extract<WriterMessage, { type: 'intent' }>): PendingWrite {
    let settle: (result: { startedAt: number; committedAt: number } | undefined) => void = () => undefined;
    const committed = new Promise<{ startedAt: number; committedAt: number } | undefined>((resolve) => (settle = resolve));
    let failed = false;
    void committed.then((c) => (failed = c === undefined));
    let lastOldStart = Number.NEGATIVE_INFINITY;
    const seen = (async (): Promise<number> => {
      const deadline = performance.now() + this.timeoutMs;
      while (!failed && performance.now() < deadline) {
        const start = sharedNow();
        try {
          if ((await readProbe(client, intent.kind, intent.guild)) === intent.expected) return sharedNow();
          lastOldStart = start;
        } catch (e) {
          this.problems.push(`${client.name} probe read failed: ${e instanceof Error ? e.message : String(e)}`);
        }
        // A pause of about 1 ms between reads (the delays' resolution): polling flat out would take the CPU the
        // measured traffic runs on, and a cache hit resolves without I/O, so nothing else would get in between.
        await sleep(1);
      }
      return Infinity;
    })();
    const done = (async (): Promise<void> => {
      const [seenAt, write] = await Promise.all([seen, committed]);
      if (write !== undefined) {
        if (intent.kind === 'prefix') this.commitPrefix(intent.guild, intent.version, write.committedAt);
        let list = this.samples.get(client.name);
        if (list === undefined) this.samples.set(client.name, (list = []));
        list.push({ kind: intent.kind, seenMs: seenAt - write.committedAt, staleMs: Math.max(0, lastOldStart - write.committedAt), writeMs: write.committedAt - write.startedAt });
        if (seenAt < write.startedAt) this.problems.push(`${client.name} saw write ${intent.id} before it began`);
      }
      this.pending.delete(intent.id);
      this.send({ type: 'done', id: intent.id });
    })();
    return { committed, settle: (r) => settle(r), done };
  }

  private commitPrefix(g: number, version: number, committedAt: number): void {
    let commits = this.prefixCommits.get(g);
    if (commits === undefined) this.prefixCommits.set(g, (commits = []));
    commits[version - 1] = committedAt;
  }
}
