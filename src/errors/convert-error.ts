import { DatabaseClosedError, SerializationFailureError, TransactionError } from './transaction-errors';
import { DatabaseConnectionError, DatabaseTimeoutError } from './connection-error';
import { CheckViolationError, ForeignKeyViolationError, UniqueViolationError } from './constraint-errors';
import { DataError } from './data-error';
import { DatabaseError } from './database-error';
import { valueText } from './thrown-text';

/** The fields of a node-postgres error that the converter reads. */
interface DriverErrorFields {
  readonly code?: unknown;
  readonly constraint?: unknown;
  readonly table?: unknown;
  readonly column?: unknown;
  readonly detail?: unknown;
  readonly message?: unknown;
  readonly driverError?: unknown;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH']);
const CONNECTION_MESSAGES = [
  'Connection terminated',
  'Client has encountered a connection error',
  'Client was closed',
  'Cannot use a pool after calling end',
  'Connection is not established',
  'connection is closed',
];

/** SQLSTATE codes whose transaction may succeed if simply run again. */
export const RETRYABLE_SQLSTATES: ReadonlySet<string> = new Set(['40001', '40P01']);

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The SQLSTATE (or Node errno code) behind `e`, looking through TypeORM's QueryFailedError. */
export function sqlStateOf(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const fields = e as DriverErrorFields;
  return str(fields.code) ?? (fields.driverError !== undefined ? sqlStateOf(fields.driverError) : undefined);
}

/**
 * Maps any error thrown by pg or TypeORM to the library's error tree (MikroORM's exception-converter idea).
 * Errors that already belong to the tree pass through unchanged; the original is kept as `cause`.
 *
 * ```ts
 * const raw = await db.service.dataSource.query('SELECT 1 / 0').catch((e: unknown) => e); // TypeORM's QueryFailedError
 * convertError(raw).name; // 'DataError' (SQLSTATE 22012), with the original as its cause
 * convertError(new Error('boom')).message; // 'Database operation failed: boom'
 * ```
 */
export function convertError(e: unknown): DatabaseError {
  if (e instanceof DatabaseError) return e;
  const fields: DriverErrorFields = typeof e === 'object' && e !== null ? (e as DriverErrorFields) : {};
  const inner: DriverErrorFields =
    typeof fields.driverError === 'object' && fields.driverError !== null ? (fields.driverError as DriverErrorFields) : fields;
  const code = str(inner.code) ?? str(fields.code) ?? '';
  const message = str(inner.message) ?? str(fields.message) ?? valueText(e); // converting must never throw
  const details = { constraint: str(inner.constraint), table: str(inner.table), cause: e };
  const where = details.constraint ? ` (constraint ${details.constraint}${details.table ? ` on ${details.table}` : ''})` : '';
  const detail = str(inner.detail) ? ` ${str(inner.detail)}` : '';

  switch (code) {
    case '23505':
      return new UniqueViolationError(`A row with the same unique key already exists${where}.${detail}`, details);
    case '23503':
      return new ForeignKeyViolationError(`A referenced row is missing or still referenced${where}.${detail}`, details);
    case '23514':
    case '23502':
      return new CheckViolationError(`A value was rejected by the database${where}: ${message}`, details);
    case '40001':
    case '40P01':
      return new SerializationFailureError(`The transaction conflicted with another one (${code}): ${message}`, code, { cause: e });
    case '57014':
      return new DatabaseTimeoutError(`The statement was cancelled (statement timeout or cancel request): ${message}`, { cause: e });
    case '25P02':
      return new TransactionError(`The transaction was aborted by an earlier error; roll it back: ${message}`, { cause: e });
  }
  if (code.startsWith('22')) {
    // A data exception is the server's verdict on a value after SQL was sent (and the unit aborted), so it is
    // not a ValidationError, which promises that nothing was sent.
    const column = str(inner.column);
    return new DataError(`The database rejected a value${column ? ` for ${column}` : ''} (${code}): ${message}`, code, { column, cause: e });
  }
  if (code.startsWith('08') || code.startsWith('57P') || code === '53300' || NETWORK_CODES.has(code)) {
    return new DatabaseConnectionError(`Cannot reach the database server (${code}): ${message}`, { cause: e });
  }
  if (message.includes('timeout exceeded when trying to connect')) {
    return new DatabaseTimeoutError('Timed out waiting for a free pooled connection; raise poolSize or acquireTimeoutMs.', { cause: e });
  }
  if (message.includes('Cannot use a pool after calling end')) {
    return new DatabaseClosedError('The database is closed.', { cause: e });
  }
  if (message.includes('Query runner already released')) {
    // TypeORM releases a unit's query runner itself when its connection emits an error (the backend was
    // terminated, the server went away): the unit's next statement, COMMIT or ROLLBACK then ends up here.
    return new DatabaseConnectionError('The database connection of this unit of work was lost (the connection failed and was released); the unit did not commit.', { cause: e });
  }
  if (CONNECTION_MESSAGES.some((m) => message.includes(m))) {
    return new DatabaseConnectionError(`The database connection was lost: ${message}`, { cause: e });
  }
  return new DatabaseError(`Database operation failed${code ? ` (${code})` : ''}: ${message}`, { cause: e });
}
