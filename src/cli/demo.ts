import { createDatabase } from '../container';
import { CaseType, PermissionLevel } from '../entities/enums';
import type { Snippet } from '../entities/snippet';
import { UniqueViolationError } from '../errors/constraint-errors';
import type { DatabaseCoordinator } from '../coordinator';

// A fixed demo guild, so running the demo again continues its case numbers.
const GUILD = '1100000000000000001';
const MODERATOR = '1200000000000000001';
const SPAMMER = '1300000000000000001';
const RAIDERS = ['1300000000000000101', '1300000000000000102', '1300000000000000103'];
const MEMBER = '1400000000000000001';
const MOD_ROLE = '1500000000000000001';

/** The demo's moderation session on `db`, each step printed; `npm start` runs it on a fresh or existing database. */
export async function demoSession(db: DatabaseCoordinator, print: (line: string) => void): Promise<void> {
  const guild = await db.guild.getOrCreateGuild(GUILD, 'Tux Demo Server');
  await db.guildConfig.updateConfig(GUILD, { prefix: '$', modLogId: '1600000000000000001', jailRoleId: '1600000000000000002' });
  print(`Guild "${guild.guildName}" (${guild.guildId}): prefix ${await db.guildConfig.getPrefix(GUILD)}, mod log <#${await db.guildConfig.getModLogId(GUILD)}>`);

  // Three moderators act at once: the database hands out the numbers, gap-free.
  const cases = await Promise.all([
    db.case.createCase({ caseType: CaseType.WARN, caseUserId: SPAMMER, caseModeratorId: MODERATOR, guildId: GUILD, caseReason: 'Spamming invites' }),
    db.case.createCase({ caseType: CaseType.TIMEOUT, caseUserId: SPAMMER, caseModeratorId: MODERATOR, guildId: GUILD, caseReason: 'Kept spamming', caseExpiresAt: new Date(Date.now() + 3_600_000) }),
    db.case.createCase({ caseType: CaseType.JAIL, caseUserId: MEMBER, caseModeratorId: MODERATOR, guildId: GUILD, caseReason: 'Cooling off', caseUserRoles: [MOD_ROLE] }),
  ]);
  for (const c of cases.sort((a, b) => a.caseNumber - b.caseNumber)) print(`Case #${c.caseNumber} ${c.caseType} <@${c.caseUserId}>: ${c.caseReason}`);
  const raid = await db.case.createCases(GUILD, RAIDERS.map((id) => ({ caseType: CaseType.BAN, caseUserId: id, caseModeratorId: MODERATOR, caseReason: 'Raid' })));
  print(`Raid: banned ${raid.length} accounts as cases #${raid[0]?.caseNumber}–#${raid[raid.length - 1]?.caseNumber} in one statement`);
  print(`${await db.case.countCasesByUser(SPAMMER, GUILD)} cases for <@${SPAMMER}>; jailed member restricted: ${await db.case.isUserUnderRestriction(MEMBER, GUILD, CaseType.JAIL, CaseType.UNJAIL)}`);

  await db.afk.setMemberAfk({ userId: MEMBER, guildId: GUILD, nickname: 'member', afkMessage: 'Back after lunch' });
  print(`AFK: <@${MEMBER}> is AFK (${(await db.afk.getAfkByMember(MEMBER, GUILD))?.afkMessage})`);
  await db.afk.removeMemberAfk(MEMBER, GUILD);

  const xp = await db.levels.addXp(MEMBER, GUILD, 150);
  print(`XP: <@${MEMBER}> now has ${xp.xp} xp, level ${xp.level}${xp.levelUp ? ' (level up!)' : ''}, rank #${await db.levels.getMemberRank(MEMBER, GUILD)}`);

  const snippet = await rulesSnippet(db);
  print(`Snippet "${snippet.snippetName}": "${snippet.snippetContent}", used ${await db.snippet.incrementUses(snippet.snippetId)} times`);

  await db.reminder.createReminder({ reminderContent: 'Review the jail', reminderExpiresAt: new Date(Date.now() - 1000), reminderChannelId: '1700000000000000001', reminderUserId: MODERATOR, guildId: GUILD });
  const due = await db.reminder.claimDueReminders();
  print(`Reminders delivered: ${due.map((r) => `"${r.reminderContent}"`).join(', ') || 'none'}`);

  await db.permissionRanks.upsert({ filters: { guildId: GUILD, rank: 5 }, values: { name: 'Moderator' } });
  await db.permissionAssignments.assignRole(GUILD, MOD_ROLE, 5);
  await db.permissionCommands.setCommandRank(GUILD, 'ban', 5);
  await db.guildPermissions.setPermissionLevel(GUILD, MODERATOR, PermissionLevel.MODERATOR);
  print(`Permissions: moderator rank ${await db.permissionAssignments.getUserPermissionRank(GUILD, MODERATOR, [MOD_ROLE])}, may ban: ${await db.permissionCommands.canRunCommand(GUILD, 'ban', [MOD_ROLE])}, plain member may ban: ${await db.permissionCommands.canRunCommand(GUILD, 'ban', [])}`);
}

// Two demos at once may both miss the snippet and both insert it: the later insert loses to the unique name, and
// the row the other demo inserted is the one to use.
async function rulesSnippet(db: DatabaseCoordinator): Promise<Snippet> {
  const found = await db.snippet.getSnippetByName('rules', GUILD);
  if (found) return found;
  try {
    return await db.snippet.createSnippet({ snippetName: 'rules', snippetContent: 'Be nice. No spam.', snippetUserId: MODERATOR, guildId: GUILD });
  } catch (e) {
    const created = e instanceof UniqueViolationError ? await db.snippet.getSnippetByName('rules', GUILD) : null;
    if (created) return created;
    throw e;
  }
}

/**
 * `npm start`: migrates (embedded server or DATABASE_URL), walks through a moderation session, prints health.
 * `onStop` receives the database's close function (the CLI calls it on SIGTERM / SIGINT) and returns the
 * function that stops listening.
 */
export async function runDemo(print: (line: string) => void, onStop: (close: () => Promise<void>) => () => void = () => () => undefined): Promise<void> {
  const db = await createDatabase();
  const stopListening = onStop(() => db.close());
  try {
    await demoSession(db, print);
    const health = await db.health();
    print(`Database ${health.status}: PostgreSQL ${health.serverVersion}, ${health.latencyMs} ms round trip, pending migrations: ${health.pendingMigrations?.length ?? 'unknown'}`);
  } finally {
    stopListening();
    await db.close();
  }
}
