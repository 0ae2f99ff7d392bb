import type { Statement } from '../../../src/query/sql';

/** A statement's SQL only, its text and values: these specs check the SQL, declaration.spec.ts what it touches. */
export function textAndValues(statement: Statement): { text: string; values: unknown[] } {
  return { text: statement.text, values: statement.values };
}
