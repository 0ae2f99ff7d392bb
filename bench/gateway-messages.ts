import { seededRandom } from './order';
import { AFK_MEMBERS, COMMANDS, MEMBERS, guildId, memberId, memberRoles } from './gateway-world';

/** A command a message runs: its name and the roles of the member who sent it. */
export interface GatewayCommand {
  readonly name: string;
  readonly roleIds: ReadonlyArray<string>;
}

/** One gateway message as the bench handles it. */
export interface GatewayMessage {
  /** The guild's index (0-based) and id. */
  readonly guild: number;
  readonly guildId: string;
  readonly authorId: string;
  /** Up to two mentioned members (AFK ones among them now and then). */
  readonly mentionIds: ReadonlyArray<string>;
  /** The XP this message is worth (15–25, as Tux's default range). */
  readonly xp: number;
  /** Every tenth message is a command. */
  readonly command: GatewayCommand | undefined;
}

/** How many implementations can have authors of their own (MEMBERS each, within memberId's 1,000 per guild). */
export const AUTHOR_BLOCKS = 5;

/**
 * An endless, reproducible stream of messages: a uniformly random guild and author, no mention (60 %), one (30 %) or
 * two (10 %), each of them an AFK member with probability 0.3, and every tenth message a command of COMMANDS.
 * The same seed gives the same messages, so every implementation of a round handles the same traffic. The authors
 * are the members of block `block` (0 to AUTHOR_BLOCKS − 1), with the roles of the members of block 0: each
 * implementation gives XP to members of its own, as each shard of a bot owns its guilds, so one implementation's
 * XP awards never invalidate another's cache. The writer's config and permission changes reach every block alike.
 * @example
 * const next = messageStream(7, 50, 0);
 * next().guildId; // the same guild on every run with seed 7
 */
export function messageStream(seed: number, guilds: number, block: number): () => GatewayMessage {
  if (!Number.isInteger(block) || block < 0 || block >= AUTHOR_BLOCKS) throw new Error(`author block ${block} is not one of 0–${AUTHOR_BLOCKS - 1}`);
  const random = seededRandom(seed);
  const below = (n: number): number => Math.floor(random() * n);
  let index = 0;
  return () => {
    index++;
    const g = below(guilds);
    const author = below(MEMBERS);
    const draw = random();
    const mentions = draw < 0.6 ? 0 : draw < 0.9 ? 1 : 2;
    const mentionIds = Array.from({ length: mentions }, () => memberId(g, random() < 0.3 ? below(AFK_MEMBERS) : below(MEMBERS)));
    const xp = 15 + below(11);
    const entry = index % 10 === 0 ? COMMANDS[below(COMMANDS.length)] : undefined;
    const command = entry === undefined ? undefined : { name: entry[0], roleIds: memberRoles(g, author) };
    return { guild: g, guildId: guildId(g), authorId: memberId(g, block * MEMBERS + author), mentionIds, xp, command };
  };
}
