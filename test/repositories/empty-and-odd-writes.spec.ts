import { expect } from 'chai';
import { CaseType } from '../../src/entities/enums';
import { ValidationError } from '../../src/errors/validation-error';
import { randomSnowflake } from '../support/fixtures';
import { useTestDatabase } from '../support/test-database';

// Writes a hostile audit found accepted: an update of no field sent `SET updated_at = now()` (updateWhere on every
// row), updateConfig(guildId, {}) created rows, setPermissionLevel without a level reached the NOT NULL constraint,
// and createCases compared an item's guildId as text, so `[guildId]` passed. Each is now refused before any SQL.
describe('writes that set nothing, or a value of the wrong kind', () => {
  const t = useTestDatabase({ deleteGuilds: 'afterEach' });

  /** `call` must fail with a ValidationError naming `field`, having sent no SQL. */
  const refuses = async (call: () => Promise<unknown>, field: string, message: RegExp): Promise<void> => {
    const { result, statements } = await t.countStatements(() => call().then(() => 'resolved', (e: unknown) => e));
    expect(result, field).to.be.instanceOf(ValidationError);
    const error = result as ValidationError;
    expect(error.errors.map((f) => f.field), error.message).to.include(field);
    expect(error.message).to.match(message);
    expect(statements, field).to.deep.equal([]);
  };
  const NO_FIELD = /must set at least one field/;

  it('refuses an update that sets no field (nothing given, or only undefined), on tables with and without updated_at', async () => {
    const guildId = t.newGuild();
    const created = await t.db.case.createCase({ caseType: CaseType.WARN, caseUserId: '1', caseModeratorId: '2', guildId, caseReason: 'kept' });
    const before = await t.db.case.getById(created.caseId);
    await refuses(() => t.db.case.updateById(created.caseId, {}), 'values', NO_FIELD);
    await refuses(() => t.db.case.updateById(created.caseId, { caseReason: undefined } as never), 'values', NO_FIELD);
    await refuses(() => t.db.case.updateWhere({ filters: {}, values: {} }), 'values', NO_FIELD);
    await refuses(() => t.db.case.updateCaseByNumber(guildId, created.caseNumber, {}), 'values', NO_FIELD);
    await refuses(() => t.db.case.updateModLogMessageId(created.caseId, undefined as never), 'values', NO_FIELD);
    await refuses(() => t.db.guild.updateGuildName(guildId, undefined as never), 'values', NO_FIELD);
    await refuses(() => t.db.afk.updateById({ userId: '1', guildId }, {}), 'values', NO_FIELD);
    expect(await t.db.case.getById(created.caseId)).to.deep.equal(before);
  });

  it('refuses updateConfig and the one-field setters with nothing to set, creating no row', async () => {
    const guildId = t.newGuild();
    await refuses(() => t.db.guildConfig.updateConfig(guildId, {}), 'values', NO_FIELD);
    await refuses(() => t.db.guildConfig.setPrefix(guildId, undefined as never), 'values', NO_FIELD);
    await refuses(() => t.db.guildConfig.setJailRoleId(guildId, undefined as never), 'values', NO_FIELD);
    await refuses(() => t.db.guildConfig.setOnboardingStage(guildId, undefined as never), 'values', NO_FIELD);
    expect(await t.db.guildConfig.getConfigByGuildId(guildId)).to.equal(null);
    expect(await t.db.guild.getGuildById(guildId)).to.equal(null);
    // getOrCreateConfig is the call that only makes sure the row exists.
    expect((await t.db.guildConfig.getOrCreateConfig(guildId)).guildId).to.equal(guildId);
  });

  it('refuses setPermissionLevel without a level, before the NOT NULL constraint sees it', async () => {
    const guildId = t.newGuild();
    await refuses(() => t.db.guildPermissions.setPermissionLevel(guildId, randomSnowflake(), undefined as never), 'level', /is undefined/);
  });

  it('refuses getOrCreate / upsert defaults and values that are not objects of fields, which a spread ignored', async () => {
    const guildId = t.newGuild();
    for (const defaults of [42, [], new Date(), 'x']) {
      await refuses(() => t.db.guild.getOrCreate({ guildId }, defaults as never), 'defaults', /must be an object of fields/);
      await refuses(() => t.db.guild.upsert({ filters: { guildId }, defaults } as never), 'options.defaults', /must be an object of fields/);
      await refuses(() => t.db.guild.upsert({ filters: { guildId }, values: defaults } as never), 'options.values', /must be an object of fields/);
    }
    expect(await t.db.guild.getGuildById(guildId)).to.equal(null);
  });

  it('refuses a null page or perPage instead of reading it as the default', async () => {
    const guildId = t.newGuild();
    await refuses(() => t.db.case.paginate({ filters: { guildId }, page: null } as never), 'page', /integer ≥ 1/);
    await refuses(() => t.db.case.paginate({ filters: { guildId }, perPage: null } as never), 'perPage', /integer from 1/);
    await refuses(() => t.db.case.getCasesByGuild(guildId, { page: null } as never), 'page', /integer ≥ 1/);
    await refuses(() => t.db.levels.leaderboard(guildId, null as never), 'page', /integer ≥ 1/);
  });

  it("refuses a createCases item whose guildId is not a Discord id, even when its text is the guild's", async () => {
    const guildId = t.newGuild();
    const item = (extra: object) => ({ caseType: CaseType.BAN, caseUserId: '1', caseModeratorId: '2', ...extra });
    await refuses(() => t.db.case.createCases(guildId, [item({ guildId: [guildId] })] as never), '[0].guildId', /Discord id/);
    await refuses(() => t.db.case.createCases(guildId, [item({}), item({ guildId: { toString: () => guildId } })] as never), '[1].guildId', /Discord id/);
    await refuses(() => t.db.case.createCases(guildId, [item({ guildId: Object.create(null) })] as never), '[0].guildId', /Discord id/);
    // The same guild as a bigint is the same id.
    const [created] = await t.db.case.createCases(guildId, [item({ guildId: BigInt(guildId) })] as never);
    expect(created?.caseNumber).to.equal(1);
  });
});
