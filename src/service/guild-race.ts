import type { ForeignKeyViolationError } from '../errors/constraint-errors';
import { SerializationFailureError } from '../errors/transaction-errors';

/**
 * Whether a foreign-key constraint is a table's reference to its guild: the schema names each `fk_<table>_guild`
 * (a migrations test holds it to that). A guild-creating write that fails on one lost a race with deleteGuild.
 *
 * ```ts
 * isGuildForeignKey('fk_levels_guild'); // true
 * isGuildForeignKey('fk_permission_assignments_rank'); // false
 * ```
 */
export function isGuildForeignKey(constraint: string | undefined): boolean {
  return constraint !== undefined && constraint.startsWith('fk_') && constraint.endsWith('_guild');
}

/** The retryable error of a statement whose guild a concurrent deleteGuild removed (see StatementOptions.createsGuild). */
export function lostGuildRace(error: ForeignKeyViolationError): SerializationFailureError {
  return new SerializationFailureError(
    'The guild was deleted by a concurrent transaction while this write was recreating it (23503). Run it again: the unit of work does so by itself.',
    '23503',
    { cause: error },
  );
}
