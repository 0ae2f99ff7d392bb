import { createHash } from 'node:crypto';
import { sqlStateOf } from '../errors/convert-error';

const MAX_NAMED_STATEMENTS = 2000;

/**
 * Names for prepared statements, one per distinct SQL text, shared by every pooled connection (pg prepares a
 * name once per connection). A name is a hash of the text, so it means the same SQL in every process: behind a
 * transaction-mode pooler (PgBouncer) a server connection may hold a name another process prepared, and a
 * per-process counter would make that name run another statement. Bounded, so endlessly varied SQL cannot make
 * each connection hold unbounded plans.
 */
export class StatementNames {
  private readonly names = new Map<string, string>();
  private off = false;

  /** The name for `text`, or undefined when naming is off or the cache is full (then the statement runs unnamed). */
  nameFor(text: string): string | undefined {
    if (this.off) return undefined;
    const known = this.names.get(text);
    if (known !== undefined || this.names.size >= MAX_NAMED_STATEMENTS) return known;
    const name = statementName(text);
    this.names.set(text, name);
    return name;
  }

  /** Turns naming off for good (see DatabaseService: a pooler that cannot keep prepared statements). */
  disable(): void {
    this.off = true;
  }

  /** Whether statements are still named. */
  get enabled(): boolean {
    return !this.off;
  }
}

/**
 * The prepared-statement name of `text`: `tux_` and 96 bits of its SHA-256, within PostgreSQL's 63-byte limit.
 * @example
 * statementName('SELECT 1'); // 'tux_' + 24 hex digits, the same in every process
 */
export function statementName(text: string): string {
  return `tux_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
}

/**
 * True when `e` says a named statement was not on the server connection it ran on (26000), was already there
 * (42P05), or was there with other SQL (a bind message with the wrong parameter count, 08P01): the marks of a
 * transaction-mode pooler moving a client between server connections.
 * @example
 * isLostPreparedStatement({ code: '26000' }); // true
 */
export function isLostPreparedStatement(e: unknown): boolean {
  return lostStatementCode(e) !== undefined;
}

/**
 * The SQLSTATE that marks `e` as a lost prepared statement (see isLostPreparedStatement), from wherever it is in the
 * cause chain; undefined when it is none.
 * @example
 * lostStatementCode(new TransactionError('…', { cause: { code: '26000' } })); // '26000'
 */
export function lostStatementCode(e: unknown): string | undefined {
  // Inside a unit the driver's error arrives converted (a DatabaseError whose cause is the driver's).
  for (let error = e, depth = 0; error !== undefined && depth < 3; depth++) {
    const code = sqlStateOf(error);
    if (code === '26000' || code === '42P05') return code;
    if (code === '08P01' && error instanceof Error && error.message.startsWith('bind message supplies')) return code;
    error = error instanceof Error ? error.cause : undefined;
  }
  return undefined;
}
