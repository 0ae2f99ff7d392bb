// The guilds of the gateway bench (bench/gateway.ts): ids, ranks, role assignments, command requirements, AFK
// members, and the probe rows the writer process changes (bench/gateway-writer.ts). Everything follows from the
// guild count, so the writer and the reader agree on it without asking the database.
import type { DatabaseCoordinator } from '../src/coordinator';
import { seededRandom } from './order';

// Far above every real Discord id, and apart from bench/seed.ts's range, so a shared DATABASE_URL keeps them apart.
const GUILD_BASE = 9_200_000_000_000_000_000n;
const ROLE_BASE = 9_200_000_000_001_000_000n;
const USER_BASE = 8_200_000_000_000_000_000n;

/** Members per guild (the authors and mentions of its messages); the first AFK_MEMBERS of them are AFK. */
export const MEMBERS = 200;
/** Members of each guild that are AFK. */
export const AFK_MEMBERS = 5;
/** Roles per guild: role r < RANKED_ROLES holds rank r, the others none. */
export const ROLES = 10;
const RANKED_ROLES = 6;

/** The commands messages run, with the rank each requires (undefined: none; `config ranks init` falls back to `config`). */
export const COMMANDS: ReadonlyArray<readonly [string, number | undefined]> = [
  ['ban', 3],
  ['kick', 2],
  ['warn', 1],
  ['timeout', 2],
  ['purge', 3],
  ['config', 5],
  ['config ranks init', undefined],
  ['snippet add', 1],
  ['ping', undefined],
  ['level', undefined],
];

/** The rank whose name the writer changes. */
export const PROBE_RANK = 7;
/** The command whose requirement the writer toggles between 1 and 5 (probed with PROBE_ROLE_A, which holds rank 3). */
export const PROBE_COMMAND_A = 'probe-a';
/** The command requiring rank 3, probed with PROBE_ROLE_B, whose assigned rank the writer toggles between 1 and 5. */
export const PROBE_COMMAND_B = 'probe-b';
/** The rank PROBE_ROLE_A holds. */
export const PROBE_ROLE_A_RANK = 3;
/** The rank PROBE_COMMAND_B requires. */
export const PROBE_COMMAND_B_RANK = 3;

/** The id of guild `g` (0-based). */
export const guildId = (g: number): string => String(GUILD_BASE + BigInt(g));
/** The id of member `m` of guild `g`. */
export const memberId = (g: number, m: number): string => String(USER_BASE + BigInt(g * 1_000 + m));
/** The id of role `r` of guild `g`; roles 90 and 91 are PROBE_ROLE_A and PROBE_ROLE_B. */
export const roleId = (g: number, r: number): string => String(ROLE_BASE + BigInt(g * 100 + r));
/** The role holding rank PROBE_ROLE_A_RANK for the command probe. */
export const probeRoleA = (g: number): string => roleId(g, 90);
/** The role whose rank the writer toggles. */
export const probeRoleB = (g: number): string => roleId(g, 91);

/** The prefix of version `v` (the seed's is version 0): the version can be read back from a prefix. */
export const prefixOf = (v: number): string => `p${v}`;
/** The version of a prefix set by the bench, or undefined for every other. */
export function prefixVersion(prefix: string): number | undefined {
  const v = /^p(\d+)$/.exec(prefix)?.[1];
  return v === undefined ? undefined : Number(v);
}
/** The name of PROBE_RANK at version `v`. */
export const rankNameOf = (v: number): string => `gateway r${v}`;
/** The requirement of PROBE_COMMAND_A and the rank of PROBE_ROLE_B at version `v`: 1, 5, 1, … */
export const toggledRank = (v: number): number => (v % 2 === 0 ? 1 : 5);

/** The roles of member `m` of guild `g`: each of the guild's roles with probability 1/5, fixed by (g, m). */
export function memberRoles(g: number, m: number): string[] {
  const random = seededRandom(g * MEMBERS + m + 1);
  const roles: string[] = [];
  for (let r = 0; r < ROLES; r++) if (random() < 0.2) roles.push(roleId(g, r));
  return roles;
}

// The probes at version 0, where the writer process starts counting.
async function resetProbes(db: DatabaseCoordinator, g: number): Promise<void> {
  const guild = guildId(g);
  await db.guildConfig.updateConfig(guild, { prefix: prefixOf(0) });
  await db.permissionRanks.updateRank(guild, PROBE_RANK, { name: rankNameOf(0) });
  await db.permissionAssignments.assignRole(guild, probeRoleB(g), toggledRank(0));
  await db.permissionCommands.setCommandRank(guild, PROBE_COMMAND_A, toggledRank(0));
}

async function seedGuild(db: DatabaseCoordinator, g: number): Promise<void> {
  const guild = guildId(g);
  await db.guildConfig.getOrCreateConfig(guild);
  await db.permissionRanks.initializeDefaultRanks(guild);
  for (let r = 0; r < RANKED_ROLES; r++) await db.permissionAssignments.assignRole(guild, roleId(g, r), r);
  await db.permissionAssignments.assignRole(guild, probeRoleA(g), PROBE_ROLE_A_RANK);
  for (const [name, rank] of COMMANDS) {
    if (rank === undefined) await db.permissionCommands.deleteCommandRank(guild, name);
    else await db.permissionCommands.setCommandRank(guild, name, rank);
  }
  await db.permissionCommands.setCommandRank(guild, PROBE_COMMAND_B, PROBE_COMMAND_B_RANK);
  await resetProbes(db, g);
  // Last, so a guild with its last AFK member has everything (see seedWorld).
  for (let m = 0; m < AFK_MEMBERS; m++) await db.afk.setMemberAfk({ userId: memberId(g, m), guildId: guild, afkMessage: 'gateway bench' });
}

/**
 * Gives every author of `blocks` author blocks (see messageStream) in every guild a levels row whose last XP-earning
 * message is a uniformly random moment of the `cooldownSeconds` before `origin` (seeded by `seed`), in one statement.
 * Their cooldowns then end spread over time, as the members of a bot that has run for a while do, instead of all at
 * once a cooldown after the warm-up gave each their first XP.
 */
export async function spreadCooldowns(db: DatabaseCoordinator, guilds: number, blocks: number, cooldownSeconds: number, origin: number, seed: number): Promise<void> {
  const random = seededRandom(seed);
  const [users, guildIds, lastMessages]: [string[], string[], string[]] = [[], [], []];
  for (let g = 0; g < guilds; g++) {
    for (let m = 0; m < blocks * MEMBERS; m++) {
      users.push(memberId(g, m));
      guildIds.push(guildId(g));
      lastMessages.push(new Date(origin - random() * cooldownSeconds * 1_000).toISOString());
    }
  }
  await db.service.query(
    `INSERT INTO levels (user_id, guild_id, xp, level, last_message)
     SELECT u, g, 0, 0, t FROM unnest($1::bigint[], $2::bigint[], $3::timestamptz[]) AS r(u, g, t)
     ON CONFLICT (user_id, guild_id) DO UPDATE SET last_message = EXCLUDED.last_message`,
    [users, guildIds, lastMessages],
  );
}

/**
 * Writes the bench's guilds through the library, idempotently: config, Tux's default ranks 0–7, roles 0–5 assigned
 * ranks 0–5, the command requirements, AFK_MEMBERS AFK members, and the probes at version 0 (prefix, PROBE_RANK's
 * name, PROBE_ROLE_B's rank, PROBE_COMMAND_A's requirement). A guild a previous run seeded in full (on a kept data
 * directory) only has its probes reset.
 */
export async function seedWorld(db: DatabaseCoordinator, guilds: number): Promise<void> {
  const seeded = async (g: number): Promise<boolean> => db.afk.isMemberAfk(memberId(g, AFK_MEMBERS - 1), guildId(g));
  const one = async (g: number): Promise<void> => ((await seeded(g)) ? resetProbes(db, g) : seedGuild(db, g));
  // A few guilds at a time: the pool has room for them.
  for (let g = 0; g < guilds; g += 8) await Promise.all(Array.from({ length: Math.min(8, guilds - g) }, (_, i) => one(g + i)));
}
