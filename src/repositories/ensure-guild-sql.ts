import type { StatementOptions } from '../service/statement-runner';

/**
 * Statement options of a statement that starts with ensureGuild (src/query/ensure-guild.ts): prepared, and marked as
 * creating its guild, so a foreign-key failure (a concurrent deleteGuild removed the row between the CTE and the
 * insert's check) runs the statement, or its unit of work, again, which recreates the guild.
 */
export const CREATES_GUILD: StatementOptions = { prepare: true, createsGuild: true };
