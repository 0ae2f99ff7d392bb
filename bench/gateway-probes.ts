import type { DatabaseCoordinator } from '../src/coordinator';
import type { GatewayClient } from './gateway-clients';
import type { ProbeValue, WriteKind } from './gateway-protocol';
import {
  PROBE_COMMAND_A,
  PROBE_COMMAND_B,
  PROBE_COMMAND_B_RANK,
  PROBE_RANK,
  PROBE_ROLE_A_RANK,
  guildId,
  prefixOf,
  probeRoleA,
  probeRoleB,
  rankNameOf,
  toggledRank,
} from './gateway-world';

/**
 * Makes version `version` of a probe of guild `g` through the library (the writer process does this): the prefix, the
 * requirement of PROBE_COMMAND_A, the rank assigned to PROBE_ROLE_B, or the name of PROBE_RANK.
 */
export async function writeProbe(db: DatabaseCoordinator, kind: WriteKind, g: number, version: number): Promise<void> {
  const guild = guildId(g);
  switch (kind) {
    case 'prefix':
      await db.guildConfig.setPrefix(guild, prefixOf(version));
      return;
    case 'command':
      await db.permissionCommands.setCommandRank(guild, PROBE_COMMAND_A, toggledRank(version));
      return;
    case 'assignment':
      await db.permissionAssignments.assignRole(guild, probeRoleB(g), toggledRank(version));
      return;
    case 'rank':
      await db.permissionRanks.updateRank(guild, PROBE_RANK, { name: rankNameOf(version) });
      return;
  }
}

/** What readProbe returns once version `version` of the probe is visible. */
export function expectedProbe(kind: WriteKind, version: number): ProbeValue {
  switch (kind) {
    case 'prefix':
      return prefixOf(version);
    case 'command':
      return PROBE_ROLE_A_RANK >= toggledRank(version);
    case 'assignment':
      return toggledRank(version) >= PROBE_COMMAND_B_RANK;
    case 'rank':
      return rankNameOf(version);
  }
}

/** Reads a probe of guild `g` as a bot would: getPrefix, canRunCommand with the probe role, or the rank's name. */
export function readProbe(client: GatewayClient, kind: WriteKind, g: number): Promise<ProbeValue> {
  const guild = guildId(g);
  switch (kind) {
    case 'prefix':
      return client.prefix(guild);
    case 'command':
      return client.canRun(guild, PROBE_COMMAND_A, [probeRoleA(g)]);
    case 'assignment':
      return client.canRun(guild, PROBE_COMMAND_B, [probeRoleB(g)]);
    case 'rank':
      return client.rankName(guild, PROBE_RANK);
  }
}
