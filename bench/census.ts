import { Client } from 'pg';
import type { Implementation } from './implementation';

/** What one implementation sent during a census: statements (BEGIN and COMMIT included) and their distinct texts. */
export interface CensusCount {
  readonly statements: number;
  readonly texts: ReadonlyArray<string>;
}

/** An implementation with its own statement hook (postgres.js, which does not use pg's Client). */
interface Hooked {
  setStatementHook(hook: ((connection: number, query: string) => void) | undefined): void;
}

function isHooked(impl: Implementation): impl is Implementation & Hooked {
  return typeof (impl as Partial<Hooked>).setStatementHook === 'function';
}

function textOf(first: unknown): string | undefined {
  if (typeof first === 'string') return first;
  const text = typeof first === 'object' && first !== null ? (first as { text?: unknown }).text : undefined;
  return typeof text === 'string' ? text : undefined;
}

/**
 * Counts the statements an implementation sends while `run` runs, and records their texts: every pg-based
 * implementation (the library's SerialClient too) ends in pg's `Client.prototype.query`, which is wrapped only
 * for the call, so measured slices never pay for the count; postgres.js reports through its own hook. Only
 * the implementation under census may send statements meanwhile (the bench runs one at a time).
 */
export async function census<T>(impl: Implementation, run: () => Promise<T>): Promise<{ result: T; count: CensusCount }> {
  let statements = 0;
  const texts = new Set<string>();
  const record = (text: string | undefined): void => {
    statements++;
    if (text !== undefined) texts.add(text);
  };
  const original = Client.prototype.query;
  const counting = function (this: Client, ...args: unknown[]): unknown {
    record(textOf(args[0]));
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  };
  (Client.prototype as { query: unknown }).query = counting;
  if (isHooked(impl)) impl.setStatementHook((_connection, query) => record(query));
  try {
    const result = await run();
    return { result, count: { statements, texts: [...texts] } };
  } finally {
    (Client.prototype as { query: unknown }).query = original;
    if (isHooked(impl)) impl.setStatementHook(undefined);
  }
}
