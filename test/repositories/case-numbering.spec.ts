import { expect } from 'chai';
import fc from 'fast-check';
import { inspect } from 'node:util';
import { CaseType } from '../../src/entities/enums';
import { UniqueViolationError } from '../../src/errors/constraint-errors';
import { SerializationFailureError } from '../../src/errors/transaction-errors';
import { ValidationError } from '../../src/errors/validation-error';
import { randomSnowflake } from '../support/fixtures';
import { useTestDatabase } from '../support/test-database';

/** Which of a run's two guilds an operation targets. */
type G = 0 | 1;
type CaseChange = { readonly caseNumber: number } | { readonly moveTo: G } | { readonly caseReason: string };

/** One generic operation on cases or on the guild row; the refused shapes are ValidationErrors by contract. */
type Op =
  | { readonly kind: 'createCase'; readonly g: G }
  | { readonly kind: 'createCases'; readonly g: G; readonly n: number }
  | { readonly kind: 'case.create'; readonly g: G; readonly caseNumber?: number }
  | { readonly kind: 'case.createMany'; readonly items: ReadonlyArray<{ readonly g: G; readonly caseNumber?: number }> }
  | { readonly kind: 'case.getOrCreate'; readonly g: G; readonly caseNumber: number }
  | { readonly kind: 'case.upsert'; readonly g: G; readonly caseNumber: number; readonly where: 'filters' | 'values' }
  | { readonly kind: 'case.updateById'; readonly pick: number; readonly change: CaseChange }
  | { readonly kind: 'case.updateWhere'; readonly g: G; readonly change: CaseChange }
  | { readonly kind: 'case.deleteById'; readonly pick: number }
  | { readonly kind: 'guild.create'; readonly g: G; readonly caseCount?: number; readonly many: boolean }
  | { readonly kind: 'guild.getOrCreate'; readonly g: G; readonly caseCount: number }
  | { readonly kind: 'guild.upsert'; readonly g: G; readonly caseCount: number; readonly where: 'defaults' | 'values' }
  | { readonly kind: 'guild.updateById'; readonly g: G; readonly caseCount: number }
  | { readonly kind: 'guild.updateWhere'; readonly g: G; readonly caseCount: number }
  | { readonly kind: 'guild.deleteById'; readonly g: G }
  | { readonly kind: 'unit'; readonly ops: ReadonlyArray<Op>; readonly commit: boolean };

const g = fc.constantFrom<G>(0, 1);
const small = fc.integer({ min: 0, max: 6 });
const caseNumber = fc.integer({ min: 1, max: 6 });
const change: fc.Arbitrary<CaseChange> = fc.oneof(
  caseNumber.map((n) => ({ caseNumber: n })),
  g.map((to) => ({ moveTo: to })),
  fc.constantFrom('reviewed', 'appealed').map((r) => ({ caseReason: r })),
);

/** Operations a unit of work runs: none of them can fail except by a ValidationError, which leaves the unit usable. */
const innerOp: fc.Arbitrary<Op> = fc.oneof(
  g.map((x) => ({ kind: 'createCase', g: x }) as const),
  fc.record({ g, n: fc.integer({ min: 1, max: 3 }) }).map((r) => ({ kind: 'createCases', ...r }) as const),
  fc.record({ g, caseNumber: fc.option(caseNumber, { nil: undefined }) }).map((r) => ({ kind: 'case.create', ...r }) as const),
  fc.record({ pick: fc.nat(), change }).map((r) => ({ kind: 'case.updateById', ...r }) as const),
  fc.nat().map((pick) => ({ kind: 'case.deleteById', pick }) as const),
  fc.record({ g, caseCount: small }).map((r) => ({ kind: 'guild.getOrCreate', ...r }) as const),
  fc.record({ g, caseCount: small }).map((r) => ({ kind: 'guild.updateById', ...r }) as const),
);

const op: fc.Arbitrary<Op> = fc.oneof(
  innerOp,
  fc.array(fc.record({ g, caseNumber: fc.option(caseNumber, { nil: undefined, freq: 3 }) }), { minLength: 1, maxLength: 4 }).map((items) => ({ kind: 'case.createMany', items }) as const),
  fc.record({ g, caseNumber }).map((r) => ({ kind: 'case.getOrCreate', ...r }) as const),
  fc.record({ g, caseNumber, where: fc.constantFrom('filters' as const, 'values' as const) }).map((r) => ({ kind: 'case.upsert', ...r }) as const),
  fc.record({ g, change }).map((r) => ({ kind: 'case.updateWhere', ...r }) as const),
  fc.record({ g, caseCount: fc.option(small, { nil: undefined }), many: fc.boolean() }).map((r) => ({ kind: 'guild.create', ...r }) as const),
  fc.record({ g, caseCount: small, where: fc.constantFrom('defaults' as const, 'values' as const) }).map((r) => ({ kind: 'guild.upsert', ...r }) as const),
  fc.record({ g, caseCount: small }).map((r) => ({ kind: 'guild.updateWhere', ...r }) as const),
  g.map((x) => ({ kind: 'guild.deleteById', g: x }) as const),
  fc.record({ ops: fc.array(innerOp, { minLength: 1, maxLength: 4 }), commit: fc.boolean() }).map((r) => ({ kind: 'unit', ...r }) as const),
);

/** Whether the operation writes a case number, moves a case to another guild, or updates a guild's caseCount. */
function refused(o: Op): boolean {
  switch (o.kind) {
    case 'case.create':
      return o.caseNumber !== undefined;
    case 'case.createMany':
      return o.items.some((i) => i.caseNumber !== undefined);
    case 'case.getOrCreate':
    case 'case.upsert':
    case 'guild.updateById':
    case 'guild.updateWhere':
      return true;
    case 'case.updateById':
    case 'case.updateWhere':
      return !('caseReason' in o.change);
    case 'guild.upsert':
      return o.where === 'values';
    default:
      return false;
  }
}

describe('Case numbering under random generic writes', () => {
  const t = useTestDatabase({ poolSize: 5 });
  const warn = (guildId: string) => ({ caseType: CaseType.WARN, caseUserId: '1', caseModeratorId: '2', guildId });

  /** The run's cases in both guilds, oldest first, so `pick` names one (or a missing id when there are none). */
  const pickCase = async (guilds: ReadonlyArray<string>, pick: number): Promise<string> => {
    const cases = await t.db.case.findAll({ filters: { guildId: { in: [...guilds] } }, orderBy: { caseId: 'ASC' } });
    return cases.length === 0 ? randomSnowflake() : (cases[pick % cases.length]?.caseId as string);
  };

  const caseValues = (guilds: ReadonlyArray<string>, c: CaseChange) =>
    'moveTo' in c ? { guildId: guilds[c.moveTo] as string } : 'caseNumber' in c ? { caseNumber: c.caseNumber } : { caseReason: c.caseReason };

  async function perform(o: Op, guilds: ReadonlyArray<string>): Promise<unknown> {
    const id = (x: G) => guilds[x] as string;
    switch (o.kind) {
      case 'createCase':
        return t.db.case.createCase(warn(id(o.g)));
      case 'createCases':
        return t.db.case.createCases(id(o.g), Array.from({ length: o.n }, () => ({ caseType: CaseType.BAN, caseUserId: '3', caseModeratorId: '2' })));
      case 'case.create':
        return t.db.case.create({ ...warn(id(o.g)), ...(o.caseNumber === undefined ? {} : { caseNumber: o.caseNumber }) });
      case 'case.createMany':
        return t.db.case.createMany(o.items.map((i) => ({ ...warn(id(i.g)), ...(i.caseNumber === undefined ? {} : { caseNumber: i.caseNumber }) })));
      case 'case.getOrCreate':
        return t.db.case.getOrCreate({ guildId: id(o.g), caseNumber: o.caseNumber }, { caseType: CaseType.KICK, caseUserId: '4', caseModeratorId: '2' });
      case 'case.upsert':
        return o.where === 'filters'
          ? t.db.case.upsert({ filters: { guildId: id(o.g), caseNumber: o.caseNumber }, defaults: { caseType: CaseType.KICK, caseUserId: '4', caseModeratorId: '2' } })
          : t.db.case.upsert({ filters: { guildId: id(o.g), caseNumber: 1 }, defaults: { caseType: CaseType.KICK, caseUserId: '4', caseModeratorId: '2' }, values: { caseNumber: o.caseNumber } });
      case 'case.updateById':
        return t.db.case.updateById(await pickCase(guilds, o.pick), caseValues(guilds, o.change));
      case 'case.updateWhere':
        return t.db.case.updateWhere({ filters: { guildId: id(o.g) }, values: caseValues(guilds, o.change) });
      case 'case.deleteById':
        return t.db.case.deleteById(await pickCase(guilds, o.pick));
      case 'guild.create': {
        const row = { guildId: id(o.g), ...(o.caseCount === undefined ? {} : { caseCount: o.caseCount }) };
        return o.many ? t.db.guild.createMany([row]) : t.db.guild.create(row);
      }
      case 'guild.getOrCreate':
        return t.db.guild.getOrCreate({ guildId: id(o.g) }, { caseCount: o.caseCount });
      case 'guild.upsert':
        return o.where === 'defaults'
          ? t.db.guild.upsert({ filters: { guildId: id(o.g) }, defaults: { caseCount: o.caseCount }, values: { guildName: 'upserted' } })
          : t.db.guild.upsert({ filters: { guildId: id(o.g) }, values: { caseCount: o.caseCount } });
      case 'guild.updateById':
        return t.db.guild.updateById(id(o.g), { caseCount: o.caseCount });
      case 'guild.updateWhere':
        return t.db.guild.updateWhere({ filters: { guildId: id(o.g) }, values: { caseCount: o.caseCount } });
      case 'guild.deleteById':
        return t.db.guild.deleteById(id(o.g));
      case 'unit':
        return t.db.transaction(async () => {
          for (const inner of o.ops) await step(inner, guilds, true);
          if (!o.commit) throw new Error('rollback');
        });
    }
  }

  /**
   * Runs one operation and checks how it ended: refused shapes are ValidationErrors, the rest succeed. Inside a unit,
   * a SerializationFailureError is the unit's to handle (it runs again), not an outcome to check: behind PgBouncer
   * without prepared-statement support, the first lost prepared statement ends the unit so, and it runs again unnamed.
   */
  async function step(o: Op, guilds: ReadonlyArray<string>, inUnit = false): Promise<void> {
    const before = o.kind === 'unit' && !o.commit ? await snapshot(guilds) : undefined;
    const outcome = await perform(o, guilds).then(
      () => 'done',
      (e: unknown) => e,
    );
    if (inUnit && outcome instanceof SerializationFailureError) throw outcome;
    const what = inspect(o, { depth: 4, breakLength: Infinity });
    if (refused(o)) {
      expect(outcome, `${what} must be refused`).to.be.instanceOf(ValidationError);
    } else if (o.kind === 'unit' && !o.commit) {
      expect(outcome, what).to.be.instanceOf(Error).with.property('message', 'rollback');
      expect(await snapshot(guilds), `${what} left rows or counts behind`).to.deep.equal(before);
    } else if (o.kind === 'guild.create') {
      // The guild row may exist already (a case created it, or an earlier create).
      if (outcome !== 'done') expect(outcome, what).to.be.instanceOf(UniqueViolationError);
    } else {
      expect(outcome, what).to.equal('done');
    }
  }

  /** Each guild's counter and case numbers. */
  async function snapshot(guilds: ReadonlyArray<string>) {
    return Promise.all(
      guilds.map(async (guildId) => ({
        caseCount: (await t.db.guild.getById(guildId))?.caseCount ?? null,
        numbers: (await t.db.case.findAll({ filters: { guildId }, orderBy: { caseNumber: 'ASC' } })).map((c) => c.caseNumber),
      })),
    );
  }

  /** No number is taken twice, none is above the counter, and the next createCase gets case_count + 1. */
  async function checkInvariant(guilds: ReadonlyArray<string>, after: string): Promise<void> {
    const duplicates = await t.db.service.query(
      'SELECT "guild_id", "case_number", count(*) FROM "cases" WHERE "guild_id" = ANY($1::bigint[]) GROUP BY "guild_id", "case_number" HAVING count(*) > 1',
      [guilds],
    );
    expect(duplicates.rows, `duplicate case numbers after ${after}`).to.deep.equal([]);
    const ahead = await t.db.service.query(
      'SELECT "c"."guild_id", "c"."case_number", "g"."case_count" FROM "cases" "c" JOIN "guild" "g" USING ("guild_id") WHERE "c"."guild_id" = ANY($1::bigint[]) AND "c"."case_number" > "g"."case_count"',
      [guilds],
    );
    expect(ahead.rows, `case numbers the counter has not issued yet, after ${after}`).to.deep.equal([]);
    for (const guildId of guilds) {
      const count = (await t.db.guild.getById(guildId))?.caseCount ?? 0;
      const next = await t.db.case.createCase(warn(guildId)).catch((e: unknown) => e);
      expect(next, `the next createCase after ${after}`).to.have.property('caseNumber', count + 1);
    }
  }

  it('keeps every guild’s next case number at case_count + 1, with no duplicate, whatever generic writes and units of work run', async function () {
    this.timeout(120_000);
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 15 }), async (ops) => {
        const guilds = [t.newGuild(), t.newGuild()];
        for (const [i, o] of ops.entries()) {
          await step(o, guilds);
          await checkInvariant(guilds, `step ${i} (${o.kind})`);
        }
      }),
      { numRuns: 25 },
    );
  });
});
