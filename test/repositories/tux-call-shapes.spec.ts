import { expect } from 'chai';
import { CaseType } from '../../src/entities/enums';
import { NotFoundError } from '../../src/errors/not-found-error';
import { ValidationError } from '../../src/errors/validation-error';
import { useTestDatabase } from '../support/test-database';

// Each Tux controller call whose parameters differ here, written as a port of Tux would write it: either it does
// what Tux does, or the type checker refuses it (`@ts-expect-error`, checked by `npm run typecheck`) and the call
// fails at run time with a ValidationError that says what to write, before any SQL.

const HOUR = 3_600_000;

describe('Tux call shapes', () => {
  const t = useTestDatabase();
  const { newGuild, countStatements } = t;

  /** Runs `fn`, expecting a ValidationError matching `message` and no statement sent. */
  async function refused(fn: () => Promise<unknown>, message: RegExp): Promise<void> {
    const { statements } = await countStatements(async () => {
      await expect(fn()).to.be.rejectedWith(ValidationError, message);
    });
    expect(statements).to.deep.equal([]);
  }

  describe('case.getCasesByGuild (Tux: get_cases_by_guild(guild_id, limit))', () => {
    it('refuses a limit (or the old page number) in the second position instead of returning page 50', async () => {
      const guildId = newGuild();
      await t.db.case.createCase({ caseType: CaseType.WARN, caseUserId: '1', caseModeratorId: '2', guildId });
      // @ts-expect-error a number is not the options object
      await refused(() => t.db.case.getCasesByGuild(guildId, 50), /getCasesByGuild\(guildId, \{ perPage: 50 \}\)/);
      // @ts-expect-error the old (guildId, page, perPage) shape
      await refused(() => t.db.case.getCasesByGuild(guildId, 1, 20), /options must be \{ page\?, perPage\? \}/);
      // @ts-expect-error an options key it does not take
      await refused(() => t.db.case.getCasesByGuild(guildId, { limit: 50 }), /limit/);
    });

    it('reads Tux\'s limit as { perPage }: the newest cases, page 1', async () => {
      const guildId = newGuild();
      for (let i = 0; i < 3; i++) await t.db.case.createCase({ caseType: CaseType.WARN, caseUserId: '1', caseModeratorId: '2', guildId });
      const page = await t.db.case.getCasesByGuild(guildId, { perPage: 2 });
      expect(page.items.map((c) => c.caseNumber)).to.deep.equal([3, 2]);
      expect([page.page, page.total, page.hasNext]).to.deep.equal([1, 3, true]);
      expect((await t.db.case.getCasesByGuild(guildId)).items).to.have.length(3);
    });
  });

  describe('case.getExpiredTempbans / getExpiredCases (Tux: (guild_id))', () => {
    it('takes Tux\'s (guildId) and reads that guild only, as Tux does', async () => {
      const [guildId, other] = [newGuild(), newGuild()];
      const past = new Date(Date.now() - HOUR);
      const tempban = await t.db.case.createCase({ caseType: CaseType.TEMPBAN, caseUserId: '1', caseModeratorId: '2', guildId, caseExpiresAt: past });
      const timeout = await t.db.case.createCase({ caseType: CaseType.TIMEOUT, caseUserId: '1', caseModeratorId: '2', guildId, caseExpiresAt: past });
      await t.db.case.createCase({ caseType: CaseType.TEMPBAN, caseUserId: '1', caseModeratorId: '2', guildId: other, caseExpiresAt: past });
      expect((await t.db.case.getExpiredTempbans(guildId)).map((c) => c.caseId)).to.deep.equal([tempban.caseId]);
      expect((await t.db.case.getExpiredCases(guildId)).map((c) => c.caseId).sort()).to.deep.equal([tempban.caseId, timeout.caseId].sort());
      // (guildId, now) and the (now, guildId) shape agree.
      expect((await t.db.case.getExpiredTempbans(guildId, new Date())).map((c) => c.caseId)).to.deep.equal([tempban.caseId]);
      expect((await t.db.case.getExpiredTempbans(new Date(), guildId)).map((c) => c.caseId)).to.deep.equal([tempban.caseId]);
      // Before the expiry nothing has expired.
      expect(await t.db.case.getExpiredTempbans(guildId, new Date(Date.now() - 2 * HOUR))).to.deep.equal([]);
    });

    it('keeps Tux\'s case_status = true filter: a closed tempban is not lifted again', async () => {
      const guildId = newGuild();
      const past = new Date(Date.now() - HOUR);
      const tempban = await t.db.case.createCase({ caseType: CaseType.TEMPBAN, caseUserId: '1', caseModeratorId: '2', guildId, caseExpiresAt: past });
      await t.db.case.closeCase(tempban.caseId);
      expect(await t.db.case.getExpiredTempbans(guildId)).to.deep.equal([]);
      expect(await t.db.case.getExpiredCases(guildId)).to.deep.equal([]);
    });

    it('refuses shapes that mix the two up', async () => {
      const guildId = newGuild();
      // @ts-expect-error a Date where the guild goes after a Date
      await refused(() => t.db.case.getExpiredTempbans(new Date(), new Date()), /getExpiredTempbans\(guildId, now\?\)/);
      // @ts-expect-error two guild ids
      await refused(() => t.db.case.getExpiredCases(guildId, guildId), /now must be a Date/);
      // @ts-expect-error null is neither shape
      await refused(() => t.db.case.getExpiredCases(null), /guildId/);
      await refused(() => t.db.case.getExpiredCases('not-a-guild'), /guildId/);
    });
  });

  describe('afk.getExpiredAfkMembers (Tux: (guild_id))', () => {
    it('takes Tux\'s (guildId) and reads that guild only', async () => {
      const [guildId, other] = [newGuild(), newGuild()];
      const since = new Date(Date.now() - 2 * HOUR);
      const until = new Date(Date.now() - HOUR);
      await t.db.afk.setMemberAfk({ userId: '5', guildId, afkMessage: 'brb', since, until });
      await t.db.afk.setMemberAfk({ userId: '5', guildId: other, afkMessage: 'brb', since, until });
      expect((await t.db.afk.getExpiredAfkMembers(guildId)).map((a) => a.guildId)).to.deep.equal([guildId]);
      expect((await t.db.afk.getExpiredAfkMembers(guildId, since)).map((a) => a.guildId)).to.deep.equal([]);
      expect((await t.db.afk.getExpiredAfkMembers(new Date(), other)).map((a) => a.guildId)).to.deep.equal([other]);
      // @ts-expect-error two Dates
      await refused(() => t.db.afk.getExpiredAfkMembers(new Date(), new Date()), /getExpiredAfkMembers\(guildId, now\?\)/);
    });
  });

  describe('case.isUserUnderRestriction (Tux: (user_id, guild_id))', () => {
    it('refuses Tux\'s two-argument form and says what to write for either meaning', async () => {
      const guildId = newGuild();
      // @ts-expect-error Tux's arity: no restriction pair
      await refused(() => t.db.case.isUserUnderRestriction('1', guildId), /CaseType\.JAIL, CaseType\.UNJAIL.*getActiveCasesByUser/);
      // @ts-expect-error half a pair
      await refused(() => t.db.case.isUserUnderRestriction('1', guildId, CaseType.JAIL), /removal is required/);
    });
  });

  describe('snippet aliases (Tux: create_snippet_alias(original_name, alias_name, guild_id))', () => {
    it('createSnippetAlias takes Tux\'s order and, as Tux, makes the original\'s author the alias\'s', async () => {
      const guildId = newGuild();
      await t.db.snippet.createSnippet({ snippetName: 'rules', snippetContent: 'Be nice', snippetUserId: '77', guildId });
      const alias = await t.db.snippet.createSnippetAlias('rules', 'r', guildId);
      expect([alias.snippetName, alias.alias, alias.snippetUserId]).to.deep.equal(['r', 'rules', '77']);
      expect((await t.db.snippet.getSnippetByName('r', guildId))?.snippetContent).to.equal('Be nice');
      const byMod = await t.db.snippet.createSnippetAlias('rules', 'rl', guildId, '88');
      expect(byMod.snippetUserId).to.equal('88');
      await expect(t.db.snippet.createSnippetAlias('missing', 'm', guildId)).to.be.rejectedWith(NotFoundError, /missing/);
    });

    it('createAlias takes one object, so a positional call in either order is refused', async () => {
      const guildId = newGuild();
      // @ts-expect-error positional, Tux's order
      await refused(() => t.db.snippet.createAlias('rules', 'r', guildId), /createSnippetAlias\(originalName, aliasName, guildId\)/);
      // @ts-expect-error positional, the old alias-first order
      await refused(() => t.db.snippet.createAlias('r', 'rules', guildId, '1'), /createAlias\(\{ aliasName, targetName, guildId, userId \}\)/);
      // @ts-expect-error a misspelt key
      await refused(() => t.db.snippet.createAlias({ alias: 'r', targetName: 'rules', guildId, userId: '1' }), /alias/);
    });
  });
});
