import { INT4_MAX } from './coerce-value';
import { compile, param, raw, sql, type Statement } from './sql';
import type { TableModel } from './table-model';

/**
 * incrementStarCount: adds `delta` stars (negative removes) and returns `{ starCount }`, clamped to 0–INT4_MAX. The
 * sum is taken in int8: the stored count is only known on the server, so an int4 sum could overflow there (22003)
 * and abort the caller's unit of work.
 */
export function incrementStarCountStatement(model: TableModel, messageId: unknown, delta: unknown): Statement {
  const [message, stars] = [param(messageId), param(delta)];
  const count = sql`LEAST(GREATEST("star_count"::int8 + ${stars}::int8, 0), ${raw(String(INT4_MAX))})::int`;
  // The message id first, as every statement keyed by it binds it.
  return compile(sql`UPDATE ${raw(model.table)} SET "star_count" = ${count} WHERE "message_id" = ${message} RETURNING "star_count" AS "starCount"`, {
    bindFirst: [message, stars],
    reads: [],
    writes: [model.name],
  });
}
