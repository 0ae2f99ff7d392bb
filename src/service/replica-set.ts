import { Pool, type QueryResult, type QueryResultRow } from 'pg';
import type { ResolvedOptions } from '../config';
import { convertError, sqlStateOf } from '../errors/convert-error';
import { redactSecrets, secretsOf } from '../redact-secrets';
import { poolExtras } from './data-source';
import { parseLsn } from './lsn';
import { isConnectionFailure, queryOnceOnPool } from './pool-statement';
import { queryServerOf } from './query-event';
import { isChangedResultType, type StatementConfig } from './statement-query';
import type { WriteTracker } from './write-tracker';

/** How often the primary's WAL position and each replica's replay position are read. */
const POLL_INTERVAL_MS = 100;
/**
 * The WAL page size (PostgreSQL's default XLOG_BLCKSZ) and the longest page header: an insert position at a page
 * boundary points past the header of the next page, where no record is, while a replica that replayed everything
 * reports the boundary itself.
 */
const WAL_PAGE_BYTES = 8192n;
const WAL_LONG_PAGE_HEADER_BYTES = 40n;
/**
 * How far back the primary's positions are kept beyond maxReplicaLagMs: a replica's lag is read off them, so it is
 * measured up to this much past the bound, and a replica further behind still reads as past it.
 */
const KEPT_BEYOND_MAX_LAG_MS = 10_000;

/**
 * A recovery conflict: the standby cancelled the read to go on replaying (40001), or dropped its database (57P04).
 * The primary has no such conflict, so the read runs again there.
 */
const RECOVERY_CONFLICTS = new Set(['40001', '57P04']);

/** One replica as `health()` reports it. */
export interface ReplicaHealth {
  /** `host:port/database` (never the user or the password). */
  readonly server: string;
  /** `up`: reads may go to it; `lagging`: replay is further behind than maxReplicaLagMs; `down`: unreachable, or not a standby. */
  readonly status: 'up' | 'lagging' | 'down';
  /** `pg_is_in_recovery()` at the last check: `standby` as expected, `primary` when it was promoted; null when unreachable. */
  readonly role: 'primary' | 'standby' | null;
  /**
   * How long ago the primary first had WAL this replica has not replayed yet, in ms (0 when it has replayed all the
   * primary had at the last check); measured by WAL position on the library's clock, so server clocks do not matter.
   * Null when unknown.
   */
  readonly lagMs: number | null;
  /** Why it is not `up`, without secrets. */
  readonly error?: string;
}

// A primary WAL position, read after every write with a ticket ≤ `through` had settled.
interface PrimarySample {
  readonly at: number;
  readonly through: number;
  readonly lsn: bigint;
}

/** One replica of a ReplicaSet: its pool and what the last check found. */
export class Replica {
  /** `host:port/database` of its URL. */
  readonly label: string;
  /** The WAL position it had replayed at the last check (-1 before any). */
  replayLsn = -1n;
  /** `pg_is_in_recovery()` at the last check. */
  standby = false;
  /** Whether the last check, or the last read, reached it. */
  reachable = false;
  /** Its lag at the last check, in ms (see ReplicaHealth.lagMs). */
  lagMs: number | null = null;
  /** performance.now() of the last check that came back. */
  checkedAt = Number.NEGATIVE_INFINITY;
  /** Why it takes no reads, without secrets; undefined when it may. */
  error: string | undefined = 'not checked yet';
  /** The check in flight, if any: one at a time, so a replica that stopped answering piles none up. */
  checking: Promise<void> | undefined;

  /** `pool` is the replica's own pool (ReplicaSet builds it with the library's settings). */
  constructor(readonly pool: Pool) {
    this.label = queryServerOf(pool).label;
  }
}

/**
 * The read replicas of one DatabaseService (DatabaseOptions.replicas): a pool for each, a poll every 100 ms of the
 * primary's WAL position and of each replica's replay position, and the choice of a replica for a read.
 *
 * A read may go to a replica that answered its last check in time, is a standby, lags at most maxReplicaLagMs, and
 * has replayed a primary WAL position read after the last write the read must see (WriteTracker). Otherwise it
 * goes to the primary: read-your-writes is decided by WAL position, never by a timer.
 *
 * ```ts
 * const replicas = new ReplicaSet(options, primaryPool, writes);
 * const replica = replicas.pick(writes.required());
 * const result = replica ? await replicas.read(replica, { text: 'SELECT 1' }) : await primaryPool.query('SELECT 1');
 * await replicas.close();
 * ```
 */
export class ReplicaSet {
  readonly replicas: ReadonlyArray<Replica>;
  private readonly samples: PrimarySample[] = [];
  // Enough positions to span maxReplicaLagMs and KEPT_BEYOND_MAX_LAG_MS at the poll interval.
  private readonly keptSamples: number;
  private readonly timer: NodeJS.Timeout;
  private polling: Promise<void> | undefined;
  // The primary's position read in flight, if any (one at a time, as each replica's check).
  private sampling: Promise<void> | undefined;
  private next = 0;

  constructor(
    private readonly options: ResolvedOptions,
    private readonly primary: Pool,
    private readonly writes: WriteTracker,
  ) {
    this.keptSamples = Math.ceil((options.maxReplicaLagMs + KEPT_BEYOND_MAX_LAG_MS) / POLL_INTERVAL_MS);
    this.replicas = options.replicas.map((url) => {
      const pool = new Pool({ connectionString: url, max: options.poolSize, application_name: options.applicationName, ...poolExtras(options) });
      // An idle connection's error (the replica restarted) must not crash the process; the next check sees it.
      pool.on('error', () => undefined);
      return new Replica(pool);
    });
    this.timer = setInterval(() => void this.poll(), POLL_INTERVAL_MS);
    this.timer.unref();
  }

  /** Checks every replica once now (connect() waits for it, so the first reads can use them). */
  poll(): Promise<void> {
    this.polling ??= this.check().finally(() => (this.polling = undefined));
    return this.polling;
  }

  /**
   * A replica a read that must see the writes up to ticket `required` may go to, round robin among the eligible
   * ones; undefined when none is (the read goes to the primary).
   */
  pick(required: number): Replica | undefined {
    const lsn = required === 0 ? -1n : this.lsnCovering(required);
    if (lsn === undefined) return undefined;
    const now = performance.now();
    const count = this.replicas.length;
    for (let i = 0; i < count; i++) {
      const replica = this.replicas[(this.next + i) % count] as Replica;
      if (this.eligible(replica, now) && replayedThrough(replica.replayLsn, lsn)) {
        this.next = (this.next + i + 1) % count;
        return replica;
      }
    }
    return undefined;
  }

  /**
   * Runs a read on `replica`, once. A lost or refused connection marks the replica down until its next good check.
   * @returns undefined when the read should run on the primary instead: the replica was unreachable, cancelled it
   * for a recovery conflict, or refused its prepared statement because a migration changed its result type (that
   * connection prepares it afresh next time). @throws the driver's error of any other failure (the caller converts it).
   */
  async read<R extends QueryResultRow>(replica: Replica, config: StatementConfig): Promise<QueryResult<R> | undefined> {
    try {
      return await queryOnceOnPool<R>(replica.pool, config);
    } catch (e) {
      if (RECOVERY_CONFLICTS.has(sqlStateOf(e) ?? '') || isChangedResultType(e)) return undefined;
      if (isConnectionFailure(e)) {
        replica.reachable = false;
        replica.error = this.describe(e);
        return undefined;
      }
      throw e;
    }
  }

  /** Each replica's state for health(). */
  health(): ReadonlyArray<ReplicaHealth> {
    const now = performance.now();
    return this.replicas.map((replica) => {
      const role = replica.reachable ? (replica.standby ? 'standby' : 'primary') : null;
      const status = this.eligible(replica, now) ? 'up' : replica.reachable && replica.standby && this.fresh(replica, now) ? 'lagging' : 'down';
      const error = status === 'up' ? undefined : status === 'lagging' ? `replay lags ${replica.lagMs ?? '?'} ms, more than maxReplicaLagMs (${this.options.maxReplicaLagMs} ms)` : replica.error;
      return { server: replica.label, status, role, lagMs: replica.lagMs, ...(error === undefined ? {} : { error }) };
    });
  }

  /**
   * Stops the checks and closes every replica's pool. A replica that stopped answering (a frozen host) is waited for
   * no longer than a check is: its pool is left to end when its connection does.
   */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.polling?.catch(() => undefined);
    await Promise.all(this.replicas.map((r) => settledWithin(r.pool.end().catch(() => undefined), this.checkDeadlineMs())));
  }

  private eligible(replica: Replica, now: number): boolean {
    return replica.reachable && replica.standby && this.fresh(replica, now) && replica.lagMs !== null && replica.lagMs <= this.options.maxReplicaLagMs;
  }

  // A check that has not come back for longer than the lag allowed says nothing about the lag now.
  private fresh(replica: Replica, now: number): boolean {
    return now - replica.checkedAt <= this.options.maxReplicaLagMs + POLL_INTERVAL_MS;
  }

  // The oldest primary position read after every write up to `required` settled: the replica must have replayed it.
  private lsnCovering(required: number): bigint | undefined {
    for (const sample of this.samples) if (sample.through >= required) return sample.lsn;
    return undefined;
  }

  // How long a check may take before its replica counts as not answering (the window fresh() allows).
  private checkDeadlineMs(): number {
    return this.options.maxReplicaLagMs + POLL_INTERVAL_MS;
  }

  // Every check is bounded by checkDeadlineMs: one server that stops answering holds up neither the others' checks
  // nor the next polls (poll() shares one check at a time).
  private async check(): Promise<void> {
    this.sampling ??= this.samplePrimary().finally(() => (this.sampling = undefined));
    await settledWithin(this.sampling, this.checkDeadlineMs());
    await Promise.all(
      this.replicas.map(async (replica) => {
        replica.checking ??= this.checkReplica(replica).finally(() => (replica.checking = undefined));
        if (!(await settledWithin(replica.checking, this.checkDeadlineMs()))) {
          replica.reachable = false;
          replica.lagMs = null;
          replica.error = `its check has not come back within ${this.checkDeadlineMs()} ms (maxReplicaLagMs + ${POLL_INTERVAL_MS})`;
        }
      }),
    );
  }

  private async samplePrimary(): Promise<void> {
    const through = this.writes.completedThrough();
    try {
      // The insert position, not the write position (pg_current_wal_lsn): with synchronous_commit off a commit
      // returns before its WAL is written, and a position read after it must still cover it.
      const row = (await this.primary.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn')).rows[0];
      if (row) this.samples.push({ at: performance.now(), through, lsn: parseLsn(row.lsn) });
      if (this.samples.length > this.keptSamples) this.samples.shift();
    } catch {
      // The primary is down or is itself a standby: no new sample, so reads that need one stay on the primary.
    }
  }

  private async checkReplica(replica: Replica): Promise<void> {
    try {
      const row = (await replica.pool.query<{ standby: boolean; replay: string | null }>('SELECT pg_is_in_recovery() AS standby, pg_last_wal_replay_lsn()::text AS replay')).rows[0];
      const now = performance.now();
      replica.reachable = true;
      replica.standby = row?.standby === true;
      replica.checkedAt = now;
      if (!replica.standby || row?.replay == null) {
        replica.lagMs = null;
        replica.error = replica.standby ? 'it has replayed no WAL yet' : 'it is not a standby (pg_is_in_recovery() is false): was it promoted?';
        return;
      }
      replica.replayLsn = parseLsn(row.replay);
      replica.lagMs = this.lagOf(replica.replayLsn, now);
      replica.error = undefined;
    } catch (e) {
      replica.reachable = false;
      replica.lagMs = null;
      replica.error = this.describe(e);
    }
  }

  /**
   * Since when the primary has had WAL past `replayed`: the oldest kept sample beyond it. When even the oldest kept
   * sample is beyond it, the replica may be any amount further behind (just after connect(), the samples reach back
   * only to then): the lag is then at least maxReplicaLagMs + 1, so the replica gets no reads until it replays that
   * sample, and a lower bound past maxReplicaLagMs shows as measured.
   */
  private lagOf(replayed: bigint, now: number): number {
    const behind = this.samples.find((s) => !replayedThrough(replayed, s.lsn));
    if (behind === undefined) return 0;
    const measured = Math.round(now - behind.at);
    return behind === this.samples[0] ? Math.max(measured, this.options.maxReplicaLagMs + 1) : measured;
  }

  private describe(e: unknown): string {
    return redactSecrets(convertError(e).message, this.options.replicas.flatMap((url) => secretsOf(url)));
  }
}

// Whether a replica that replayed through `replayed` has every record before `lsn`: also when `lsn` is just past
// the header of the page that begins at `replayed` (see WAL_PAGE_BYTES).
function replayedThrough(replayed: bigint, lsn: bigint): boolean {
  return replayed >= lsn || (replayed % WAL_PAGE_BYTES === 0n && lsn - replayed <= WAL_LONG_PAGE_HEADER_BYTES);
}

// Whether `work` settled within `ms` (it goes on either way); the timer keeps no process alive.
function settledWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    timer.unref();
    work.then(
      () => {
        clearTimeout(timer);
        resolve(true);
      },
      () => {
        clearTimeout(timer);
        resolve(true);
      },
    );
  });
}
