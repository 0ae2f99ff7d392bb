import type { SnowflakeInput } from '../entities/snowflake';
import { ValidationError } from '../errors/validation-error';

/** The moment and the guild of an expiry query (getExpiredCases, getExpiredTempbans, getExpiredAfkMembers). */
export interface ExpiryArguments {
  readonly now: Date;
  readonly guildId: SnowflakeInput | undefined;
}

/**
 * Reads the two call shapes an expiry query accepts: Tux's `(guildId, now?)` (get_expired_tempbans(guild_id)) and
 * `(now?, guildId?)`. They cannot be confused at run time: a Date is never a snowflake. Anything else in the first
 * position is taken as the guild id and validated as one downstream; null is refused here.
 * @throws ValidationError, before any SQL, for null first, or a second argument of the wrong kind for the shape.
 *
 * ```ts
 * expiryArguments('Case', 'getExpiredTempbans', '1300000000000000000', undefined); // { now: new Date(), guildId: '1300…' }
 * expiryArguments('Case', 'getExpiredTempbans', new Date(), undefined);            // every guild
 * ```
 */
export function expiryArguments(entity: string, method: string, first: unknown, second: unknown): ExpiryArguments {
  const usage = `write ${method}(guildId, now?) as Tux's ${snake(method)}(guild_id) does, or ${method}(now?, guildId?)`;
  if (first === undefined || first instanceof Date) {
    if (second instanceof Date) throw ValidationError.forField(entity, 'guildId', `must be a snowflake, not a Date: ${usage}`);
    return { now: first ?? new Date(), guildId: second as SnowflakeInput | undefined };
  }
  if (first === null) throw ValidationError.forField(entity, 'guildId', `must be a snowflake or omitted, not null: ${usage}`);
  if (second !== undefined && !(second instanceof Date)) throw ValidationError.forField(entity, 'now', `must be a Date when the guild comes first: ${usage}`);
  return { now: second ?? new Date(), guildId: first as SnowflakeInput };
}

/** Tux's name of a method: `getExpiredTempbans` → `get_expired_tempbans`. */
function snake(method: string): string {
  return method.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
