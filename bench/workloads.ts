import type { Pool } from 'pg';
import { DEFAULT_LEVEL_FORMULA } from '../src/entities/level-formula';
import type { CaseRow, NewReminderInput, ReminderRow } from './implementation';
import type { Workload } from './runner';
import { newCase, userId, type RunGuilds, type Seed } from './seed';

/** What every workload may use besides the implementation under test. */
export interface BenchEnv {
  /** A pool of its own for checks (never measured). */
  readonly admin: Pool;
  readonly seed: Seed;
  readonly guilds: RunGuilds;
}

const PER_PAGE = 100;
const PAGE = 200;
const XP = 15;
const BATCH = 500;
const REMINDERS_PER_BATCH = 100;

/** A wrong answer: the implementation's results are not counted. */
class WrongAnswer extends Error {
  override readonly name = 'WrongAnswer';
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new WrongAnswer(what);
}

function isDate(value: unknown): boolean {
  return value instanceof Date && !Number.isNaN(value.getTime());
}

// The parts of a row every implementation must deliver alike: ids as strings, numbers as numbers, timestamps as
// Dates (parsing them is part of the work; a peer that handed back text would be doing less).
function wellTyped(row: CaseRow | null | undefined): boolean {
  return row != null && typeof row.caseId === 'string' && typeof row.caseNumber === 'number' && isDate(row.caseCreatedAt) && isDate(row.caseUpdatedAt);
}

function wellTypedReminder(row: ReminderRow | undefined): boolean {
  return row !== undefined && typeof row.reminderId === 'string' && isDate(row.reminderExpiresAt) && row.reminderSent === false;
}

// A cheap, well-spread index into n items for op `seq` (a multiplicative hash; no RNG on the hot path).
function pick<T>(items: ReadonlyArray<T>, seq: number): T {
  return items[(seq * 2_654_435_761) % items.length] as T;
}

function reminder(guildId: string, seq: number): NewReminderInput {
  return { reminderContent: `remind me ${seq}`, reminderExpiresAt: new Date(1_900_000_000_000 + seq), reminderChannelId: userId(2_000_000), reminderUserId: userId(seq % 1000), guildId };
}

// Rows must come back in input order with contiguous numbers: the contract of createCases.
function checkBatch(rows: ReadonlyArray<CaseRow>, guildId: string, first: number): void {
  check(rows.length === BATCH, `expected ${BATCH} cases, got ${rows.length}`);
  const start = rows[0]?.caseNumber ?? 0;
  rows.forEach((r, i) => check(r.guildId === guildId && r.caseNumber === start + i && r.caseUserId === newCase(first + i).caseUserId, `case ${i} out of order or in the wrong guild`));
}

/**
 * Case numbers in `guildIds` are 1…n with no gap or duplicate, match the guild counters, and add up to
 * `expected` cases: the gapless numbering the library promises, checked after every case-creating workload.
 */
async function verifyCaseNumbers(admin: Pool, guildIds: ReadonlyArray<string>, expected: number): Promise<void> {
  const result = await admin.query<{ guild_id: string; counter: number; n: number; distinct_n: number; lo: number | null; hi: number | null }>(
    `SELECT g.guild_id, g.case_count AS counter, count(c.case_id)::int AS n, count(DISTINCT c.case_number)::int AS distinct_n,
            min(c.case_number) AS lo, max(c.case_number) AS hi
     FROM guild g LEFT JOIN cases c ON c.guild_id = g.guild_id WHERE g.guild_id = ANY($1::bigint[]) GROUP BY g.guild_id, g.case_count`,
    [guildIds],
  );
  let total = 0;
  for (const g of result.rows) {
    total += g.n;
    const gapless = g.n === 0 ? g.counter === 0 : g.lo === 1 && g.hi === g.n && g.distinct_n === g.n && g.counter === g.n;
    check(gapless, `guild ${g.guild_id}: ${g.n} cases numbered ${g.lo}…${g.hi} (${g.distinct_n} distinct), counter ${g.counter}`);
  }
  check(total === expected, `expected ${expected} cases in total, found ${total}`);
}

async function countRows(admin: Pool, table: 'reminder' | 'cases', guildId: string): Promise<number> {
  return (await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE guild_id = $1`, [guildId])).rows[0]?.n ?? -1;
}

function workload(w: Workload<BenchEnv>): Workload<BenchEnv> {
  return w;
}

/** createCase on `guildCount` guilds (round-robin) by `clients` callers. */
function createCaseWorkload(id: string, title: string, clients: number, guildCount: number): Workload<BenchEnv> {
  return workload({
    id,
    title,
    clients,
    async start(impl, env) {
      const guilds = await env.guilds.create(guildCount);
      return {
        async op(seq) {
          const g = guilds[seq % guilds.length] as string;
          const row = await impl.createCase(g, newCase(seq));
          check(wellTyped(row) && row.guildId === g && row.caseNumber >= 1 && row.caseUserId === newCase(seq).caseUserId, 'createCase returned a wrong case');
        },
        verify: (ops) => verifyCaseNumbers(env.admin, guilds, ops),
      };
    },
  });
}

/** getById on the read guild's cases by `clients` callers. */
function getByIdWorkload(id: string, title: string, clients: number): Workload<BenchEnv> {
  return workload({
    id,
    title,
    clients,
    async start(impl, { seed }) {
      return {
        async op(seq) {
          const caseId = pick(seed.caseIds, seq);
          const row = await impl.getCase(caseId);
          check(wellTyped(row) && row?.caseId === caseId, `getById(${caseId}) returned another row`);
        },
      };
    },
  });
}

/** Callers of the concurrency curves (8, the main workloads' count, is drawn from those). */
export const CURVE_CLIENTS = [1, 4, 16, 64] as const;

/** The workloads that draw the concurrency curves: getById and createCase (spread) at each of `clients`. */
export function curveWorkloads(clients: ReadonlyArray<number>): Workload<BenchEnv>[] {
  const callers = (n: number): string => `${n} concurrent caller${n === 1 ? '' : 's'}`;
  return clients.flatMap((n) => [
    { ...getByIdWorkload(`getById ×${n}`, `getById at ${callers(n)}`, n), curve: { family: 'getById', clients: n }, curveOnly: true },
    { ...createCaseWorkload(`createCase ×${n}`, `createCase spread over 1,000 guilds at ${callers(n)}`, n, 1000), curve: { family: 'createCase', clients: n }, curveOnly: true },
  ]);
}

/**
 * `n` single createCase calls, 32 in flight, on one hot guild: what createCases(500) is measured against, in
 * cases/s (the quick run uses fewer calls; the comparison is per case).
 */
function singlesWorkload(n: number): Workload<BenchEnv> {
  return workload({
    id: `${n} × createCase`,
    title: `${n} single createCase calls (32 in flight), one guild`,
    clients: 1,
    rowsPerOp: n,
    batching: 'singles',
    // About 0.25 s an op of 500 for the library, 1 s for the peers that hold the guild's lock across 4 statements.
    sliceScale: 2,
    async start(impl, env) {
      const guilds = await env.guilds.create(1);
      const guild = guilds[0] as string;
      return {
        async op(seq) {
          let next = 0;
          const caller = async (): Promise<void> => {
            for (let i = next++; i < n; i = next++) {
              const row = await impl.createCase(guild, newCase(seq * n + i));
              check(row.guildId === guild, 'createCase returned a case of another guild');
            }
          };
          await Promise.all(Array.from({ length: 32 }, caller));
        },
        verify: (ops) => verifyCaseNumbers(env.admin, guilds, ops * n),
      };
    },
  });
}

/** Every main workload the bench runs, in report order, with `singles` single createCase calls in the batching pair. */
export function mainWorkloads(singles = BATCH): Workload<BenchEnv>[] {
  return [
    { ...getByIdWorkload('getById', 'getById: one case by primary key', 8), curve: { family: 'getById', clients: 8 } },
    workload({
      id: 'findAll',
      title: 'findAll: guildId + caseUserId, ORDER BY caseNumber DESC, LIMIT 50',
      clients: 8,
      async start(impl, { seed }) {
        const perUser = seed.size.cases / seed.size.users;
        return {
          async op(seq) {
            const user = pick(seed.users, seq);
            const rows = await impl.findUserCases(seed.readGuild, user, 50);
            const ok =
              rows.length === Math.min(50, perUser) && wellTyped(rows[0]) && rows.every((r, i) => r.caseUserId === user && (i === 0 || r.caseNumber < (rows[i - 1]?.caseNumber ?? 0)));
            check(ok, `findAll for user ${user}: wrong rows or order`);
          },
        };
      },
    }),
    workload({
      id: 'count',
      title: 'count: guildId + caseUserId',
      clients: 8,
      async start(impl, { seed }) {
        const perUser = seed.size.cases / seed.size.users;
        return {
          async op(seq) {
            const n = await impl.countUserCases(seed.readGuild, pick(seed.users, seq));
            check(n === perUser, `count returned ${n}, expected ${perUser}`);
          },
        };
      },
    }),
    workload({
      id: 'create',
      title: 'create: one reminder row',
      clients: 8,
      async start(impl, env) {
        const [guild = ''] = await env.guilds.create(1);
        return {
          async op(seq) {
            const row = await impl.createReminder(reminder(guild, seq));
            check(wellTypedReminder(row) && row.guildId === guild && /^[1-9][0-9]*$/.test(row.reminderId), 'create returned a wrong row');
          },
          verify: async (ops) => check((await countRows(env.admin, 'reminder', guild)) === ops, `expected ${ops} reminders`),
        };
      },
    }),
    workload({
      id: 'createMany',
      title: `createMany: ${REMINDERS_PER_BATCH} reminder rows`,
      clients: 8,
      rowsPerOp: REMINDERS_PER_BATCH,
      async start(impl, env) {
        const [guild = ''] = await env.guilds.create(1);
        return {
          async op(seq) {
            const rows = await impl.createReminders(Array.from({ length: REMINDERS_PER_BATCH }, (_, i) => reminder(guild, seq * REMINDERS_PER_BATCH + i)));
            check(rows.length === REMINDERS_PER_BATCH && wellTypedReminder(rows[0]) && rows.every((r) => r.guildId === guild), 'createMany returned wrong rows');
          },
          verify: async (ops) => check((await countRows(env.admin, 'reminder', guild)) === ops * REMINDERS_PER_BATCH, `expected ${ops * REMINDERS_PER_BATCH} reminders`),
        };
      },
    }),
    workload({
      id: 'updateById',
      title: 'updateById: set one case reason, return the row',
      clients: 8,
      async start(impl, { seed }) {
        return {
          async op(seq) {
            const id = pick(seed.caseIds, seq);
            const reason = `${impl.name} ${seq}`;
            const row = await impl.updateCaseReason(id, reason);
            check(wellTyped(row) && row?.caseId === id && row.caseReason === reason, `updateById(${id}) returned a wrong row`);
          },
        };
      },
    }),
    { ...createCaseWorkload('createCase spread', 'createCase spread over 1,000 guilds', 8, 1000), curve: { family: 'createCase', clients: 8 } },
    createCaseWorkload('createCase hot', 'createCase on one hot guild', 32, 1),
    workload({
      id: 'createCases(500)',
      title: `createCases: ${BATCH} cases in one call, one guild`,
      clients: 1,
      rowsPerOp: BATCH,
      batching: 'batch',
      async start(impl, env) {
        const guilds = await env.guilds.create(1);
        const guild = guilds[0] as string;
        return {
          async op(seq) {
            const inputs = Array.from({ length: BATCH }, (_, i) => newCase(seq * BATCH + i));
            checkBatch(await impl.createCases(guild, inputs), guild, seq * BATCH);
          },
          verify: (ops) => verifyCaseNumbers(env.admin, guilds, ops * BATCH),
        };
      },
    }),
    singlesWorkload(singles),
    workload({
      id: 'updateWhere',
      title: 'updateWhere: caseProcessed on every case of a 10,000-case guild (2,000 in the smoke run)',
      clients: 1,
      // About 0.17 s an op: a 1.4 s slice holds eight, where a 0.525 s one held three and one op more or less in a
      // slice moved its rate by a third (the 23:29 run's miss against TypeORM as taught, 0.92, at p50 171 against 163 ms).
      sliceScale: 4,
      async start(impl, { seed, admin }) {
        return {
          async op(seq) {
            const n = await impl.setGuildCasesProcessed(seed.updateGuild, seq % 2 === 0);
            check(n === seed.size.updateRows, `updateWhere reported ${n} rows, expected ${seed.size.updateRows}`);
          },
          // Each op leaves 10,000 dead row versions (and index entries: the partial index on case_processed rules
          // out HOT updates); without a VACUUM every slice would pay for the slices run before it.
          async beforeSlice() {
            await admin.query('VACUUM "cases"');
          },
          // Every implementation updates the same guild, so only "all rows alike" is left to check afterwards.
          async verify() {
            const r = await admin.query<{ n: number; values: number }>('SELECT count(*)::int AS n, count(DISTINCT case_processed)::int AS values FROM cases WHERE guild_id = $1', [seed.updateGuild]);
            check(r.rows[0]?.n === seed.size.updateRows && r.rows[0]?.values === 1, 'updateWhere left some rows unchanged');
          },
        };
      },
    }),
    workload({
      id: 'paginate',
      title: `paginate: page ${PAGE} of ${PER_PAGE} (OFFSET ${(PAGE - 1) * PER_PAGE}) with the total`,
      clients: 8,
      async start(impl, { seed }) {
        return {
          async op() {
            const page = await impl.casePage(seed.readGuild, PAGE, PER_PAGE);
            const top = seed.size.cases - (PAGE - 1) * PER_PAGE;
            const ok = page.total === seed.size.cases && page.items.length === PER_PAGE && page.items[0]?.caseNumber === top && wellTyped(page.items[0]);
            check(ok, `paginate returned a wrong page or total ${page.total}`);
          },
        };
      },
    }),
    workload({
      id: 'addXp',
      title: `addXp: ${XP} XP to one hot member`,
      clients: 8,
      async start(impl, env) {
        const [guild = ''] = await env.guilds.create(1);
        const member = userId(3_000_000);
        return {
          async op() {
            const r = await impl.addXp(member, guild, XP);
            check(r.xp >= XP && r.xp % XP === 0 && r.level === DEFAULT_LEVEL_FORMULA.levelFor(r.xp), `addXp returned xp ${r.xp}, level ${r.level}`);
          },
          async verify(ops) {
            const r = await env.admin.query<{ xp: number }>('SELECT xp FROM levels WHERE user_id = $1 AND guild_id = $2', [member, guild]);
            check(r.rows[0]?.xp === ops * XP, `expected ${ops * XP} XP, found ${r.rows[0]?.xp}`);
          },
        };
      },
    }),
  ];
}
