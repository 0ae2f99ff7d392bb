import { Client, type Notification } from 'pg';
import { convertError } from '../errors/convert-error';
import { redactSecrets, secretsOf } from '../redact-secrets';
import { INVALIDATION_CHANNEL } from './cached-tables';

/** Reconnection delays after the LISTEN connection is lost: doubling from 100 ms up to 5 s. */
const FIRST_DELAY_MS = 100;
const MAX_DELAY_MS = 5_000;

/** What the listener tells the cache. */
export interface ListenerEvents {
  /**
   * A committed write touched `table` rows of `target`: a guild, one member (`<guild>:<user>`), or `*` (a TRUNCATE);
   * `xid` is the writing transaction's id when the payload names it (member tables).
   */
  invalidate(table: string, target: string, xid: string | undefined): void;
  /** The connection is gone: nothing the cache holds can be trusted from now on. */
  down(reason: string): void;
  /** LISTEN is in force again (or for the first time): the cache may fill from now on. */
  up(): void | Promise<void>;
}

/**
 * The dedicated connection that LISTENs to `tux_cache` for the cache: one per DatabaseService, outside the pool (a
 * pooled connection would be reused by statements, and a transaction-mode pooler cannot keep a LISTEN). When it
 * drops it reports `down` and reconnects with backoff, reporting `up` once LISTEN is back.
 *
 * ```ts
 * const listener = new InvalidationListener(url, 'tux-database', { invalidate, down, up });
 * await listener.start();
 * await listener.close();
 * ```
 */
export class InvalidationListener {
  private client: Client | undefined;
  private closed = false;
  private attempt = 0;
  private retry: NodeJS.Timeout | undefined;
  private lastError: string | undefined = 'not connected yet';

  constructor(
    private readonly url: string,
    private readonly applicationName: string,
    private readonly events: ListenerEvents,
  ) {}

  /** Connects and LISTENs once; when that fails it keeps trying in the background (the cache stays bypassed). */
  async start(): Promise<void> {
    await this.connect();
  }

  /** True while LISTEN is in force. */
  listening(): boolean {
    return this.client !== undefined && this.lastError === undefined;
  }

  /** Why it is not listening (undefined while it is), without secrets. */
  problem(): string | undefined {
    return this.lastError;
  }

  /** The server process id of the LISTEN connection (for tests that end it with pg_terminate_backend). */
  backendPid(): number | undefined {
    return (this.client as { processID?: number } | undefined)?.processID;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new Client({ connectionString: this.url, application_name: `${this.applicationName} cache listener`, keepAlive: true });
    let lost = false;
    const onLost = (e?: unknown): void => {
      if (lost) return;
      lost = true;
      client.removeAllListeners('notification');
      if (this.client === client) this.client = undefined;
      client.end().catch(() => undefined);
      if (this.closed) return;
      this.lastError = this.describe(e ?? new Error('the LISTEN connection ended'));
      this.events.down(this.lastError);
      this.scheduleReconnect();
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (n: Notification) => this.onNotification(n));
    try {
      await client.connect();
      await client.query(`LISTEN ${INVALIDATION_CHANNEL}`);
    } catch (e) {
      onLost(e);
      return;
    }
    if (this.closed || lost) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.attempt = 0;
    this.lastError = undefined;
    await this.events.up();
  }

  private scheduleReconnect(): void {
    const delay = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** this.attempt++);
    this.retry = setTimeout(() => void this.connect(), delay / 2 + Math.random() * (delay / 2));
    this.retry.unref();
  }

  private onNotification(n: Notification): void {
    if (n.channel !== INVALIDATION_CHANNEL || n.payload === undefined) return;
    // `<table>:<target>[@<xid>]`: the target is a guild, `<guild>:<user>` or `*`; a table name has no colon.
    const at = n.payload.indexOf(':');
    if (at <= 0) return;
    const by = n.payload.indexOf('@', at);
    const target = by < 0 ? n.payload.slice(at + 1) : n.payload.slice(at + 1, by);
    this.events.invalidate(n.payload.slice(0, at), target, by < 0 ? undefined : n.payload.slice(by + 1));
  }

  private describe(e: unknown): string {
    return redactSecrets(convertError(e).message, secretsOf(this.url));
  }
}
