import type { Pool } from 'pg';
import type { DatabaseError } from '../errors/database-error';
import type { Touches } from '../query/touches';

/**
 * The server a statement went to: host, port and database of the pool's connection string. Never the user name or
 * the password, so an event can be logged or exported as it is.
 */
export interface QueryServer {
  /** Host name or address as written in the URL (a socket directory for `?host=/var/run/postgresql`). */
  readonly host: string;
  /** The TCP port (5432 when the URL names none). */
  readonly port: number;
  /** The database name (the URL's path). */
  readonly database: string;
  /** `host:port/database`, for logs. */
  readonly label: string;
}

/**
 * One statement the library ran, reported once it settled (see DatabaseService.onQuery): what was sent, how long
 * it took, what came back or what failed, and where. Parameters are never included (they may hold user content).
 *
 * ```ts
 * db.service.onQuery((e) => console.log(`${e.durationMs.toFixed(1)} ms ${e.rowCount ?? '-'} rows ${e.server?.label ?? '-'} ${e.sql}`));
 * ```
 */
export interface QueryEvent {
  /** The SQL text, `$1, $2, …` for the parameters. */
  readonly sql: string;
  /** The prepared statement's name when it ran as one, else undefined. */
  readonly name: string | undefined;
  /** `performance.now()` when the statement was handed to the pool or the unit's connection. */
  readonly startedAt: number;
  /** From then until it settled: waiting for a connection (and any retries outside a unit) included. */
  readonly durationMs: number;
  /** Rows returned or affected, as the server reported them; null when it failed or reported none. */
  readonly rowCount: number | null;
  /** The error the caller gets (already converted to the library's tree), or undefined when it succeeded. */
  readonly error: DatabaseError | undefined;
  /** True when it ran inside a unit of work (on the unit's connection), false when it ran on the pool. */
  readonly inUnit: boolean;
  /** Where it went; undefined only when it was refused before reaching any server (not connected, closing). */
  readonly server: QueryServer | undefined;
  /** What its builder declared it touches (tables read and written, locks); undefined for a raw caller's statement. */
  readonly touches: Touches | undefined;
}

/** Receives one QueryEvent per statement (see DatabaseService.onQuery). */
export type QueryEventListener = (event: QueryEvent) => void;

const DEFAULT_PORT = 5432;
const servers = new WeakMap<Pool, QueryServer>();

/**
 * The server a pool connects to, read once per pool from its connection string (pg keeps the options it was built
 * with). Only host, port and database are read, so no password can reach an event.
 *
 * ```ts
 * queryServerOf(new Pool({ connectionString: 'postgres://tux:secret@db:6432/tux' })).label; // 'db:6432/tux'
 * ```
 */
export function queryServerOf(pool: Pool): QueryServer {
  let server = servers.get(pool);
  if (server === undefined) {
    server = parseServer((pool as unknown as { options?: PoolSettings }).options ?? {});
    servers.set(pool, server);
  }
  return server;
}

interface PoolSettings {
  readonly connectionString?: unknown;
  readonly host?: unknown;
  readonly port?: unknown;
  readonly database?: unknown;
}

function parseServer(settings: PoolSettings): QueryServer {
  let host = typeof settings.host === 'string' ? settings.host : '';
  let port = Number(settings.port) || DEFAULT_PORT;
  let database = typeof settings.database === 'string' ? settings.database : '';
  const text = typeof settings.connectionString === 'string' ? settings.connectionString : undefined;
  // WHATWG URL refuses userinfo with an empty host (`postgres://tux@/bot?host=/sock`), which pg accepts.
  const url = text === undefined ? undefined : (safeUrl(text) ?? safeUrl(text.replace('@/', '@localhost/')));
  if (url !== undefined) {
    // pg lets ?host= (a socket directory) stand in for the URL's host.
    host = url.searchParams.get('host') ?? decode(url.hostname.replace(/^\[(.*)\]$/, '$1'));
    port = Number(url.port) || DEFAULT_PORT;
    database = decode(url.pathname.slice(1));
  }
  return { host, port, database, label: `${host}:${port}/${database}` };
}

function safeUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
