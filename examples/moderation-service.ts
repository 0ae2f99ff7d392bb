import { CaseType } from '../src/entities/enums';
import type { Case } from '../src/entities/case';
import type { DatabaseCoordinator } from '../src/coordinator';

/** What the bot should do after a ban was recorded. */
export interface BanOutcome {
  readonly case: Case;
  /** Where to post the case, or null when the guild has no mod log configured. */
  readonly modLogChannelId: string | null;
  readonly message: string;
}

/** Bot-style code using the library: the ban command's database work. */
export class ModerationService {
  constructor(private readonly db: DatabaseCoordinator) {}

  /** Records a ban as the guild's next case and finds the channel to announce it in. */
  async ban(guildId: string, userId: string, moderatorId: string, reason: string): Promise<BanOutcome> {
    if (userId === moderatorId) throw new Error('Moderators cannot ban themselves.');
    const banCase = await this.db.case.createCase({ caseType: CaseType.BAN, caseUserId: userId, caseModeratorId: moderatorId, guildId, caseReason: reason });
    const modLogChannelId = await this.db.guildConfig.getModLogId(guildId);
    return { case: banCase, modLogChannelId, message: `Case #${banCase.caseNumber}: banned <@${userId}> (${reason})` };
  }
}
