import type { Pool } from 'pg';
import { CaseType } from '../src/entities/enums';
import type { NewCaseInput } from './implementation';
import type { Progress } from './runner';

// Every guild the bench touches has an id in [BASE, BASE + 10^15): far above any real Discord id, so a run on
// a shared DATABASE_URL can find and delete its own rows. The two seeded guilds persist between runs.
const BASE = 9_100_000_000_000_000_000n;
const SPAN = 1_000_000_000_000_000n;
const READ_GUILD = String(BASE + 1n);
const MEMORY_GUILD = String(BASE + 3n);
// updateWhere's guild: the full size, or the smoke run's smaller one, each kept between runs of its kind.
const updateGuild = (rows: number): string => String(BASE + (rows === 10_000 ? 2n : 4n));
const FIRST_RUN_GUILD = BASE + 1_000n;
const USER_BASE = 8_100_000_000_000_000_000n;

/** Sizes of the seeded data. */
export interface SeedSize {
  /** Cases in the read guild (getById, findAll, count, paginate, iteration). */
  readonly cases: number;
  /** Distinct users those cases belong to (cases / users each). */
  readonly users: number;
  /** Cases in the updateWhere guild. */
  readonly updateRows: number;
  /** Cases in the guild the memory walk iterates (0: it walks the read guild). */
  readonly memoryRows: number;
}

/** The seeded data the read workloads use. */
export interface Seed {
  readonly size: SeedSize;
  readonly readGuild: string;
  readonly updateGuild: string;
  /** The guild the memory walk iterates, and its number of cases. */
  readonly memoryGuild: string;
  readonly memoryRows: number;
  /** Every case id of the read guild, by case number. */
  readonly caseIds: ReadonlyArray<string>;
  readonly users: ReadonlyArray<string>;
}

/** The n-th user id (users of seeded cases, members earning XP). */
export function userId(n: number): string {
  return String(USER_BASE + BigInt(n));
}

/** A new case as a moderator would file it. */
export function newCase(n: number): NewCaseInput {
  return { caseType: n % 3 === 0 ? CaseType.BAN : CaseType.WARN, caseUserId: userId(n), caseModeratorId: userId(1_000_000 + (n % 20)), caseReason: `reason ${n}` };
}

// Case n (from 0) of a seeded guild is newCase(n) but for its user, one of `users`: written in SQL, so seeding
// runs on the server and no implementation under test is warmed by it.
const SEED_CASES = `INSERT INTO cases (guild_id, case_number, case_type, case_user_id, case_moderator_id, case_reason)
  SELECT $1::bigint, n + 1, (CASE WHEN n % 3 = 0 THEN 'BAN' ELSE 'WARN' END)::case_type, $2::bigint + n % $3::int,
         $2::bigint + 1000000 + n % 20, 'reason ' || n
  FROM generate_series($4::int, $5::int - 1) AS n`;
const SEED_BATCH = 200_000;

async function seedGuild(admin: Pool, guildId: string, cases: number, users: number, progress: Progress): Promise<boolean> {
  const found = await admin.query<{ n: number; counter: number }>(
    'SELECT (SELECT count(*)::int FROM cases WHERE guild_id = $1) AS n, (SELECT case_count FROM guild WHERE guild_id = $1) AS counter',
    [guildId],
  );
  const row = found.rows[0];
  if (row?.n === cases && row.counter === cases) return false;
  await admin.query('DELETE FROM cases WHERE guild_id = $1', [guildId]);
  await admin.query('DELETE FROM guild WHERE guild_id = $1', [guildId]);
  await admin.query('INSERT INTO guild (guild_id, case_count) VALUES ($1, $2)', [guildId, cases]);
  for (let start = 0; start < cases; start += SEED_BATCH) {
    progress(`seeding guild ${guildId}: ${start}/${cases} cases`);
    await admin.query(SEED_CASES, [guildId, String(USER_BASE), users, start, Math.min(cases, start + SEED_BATCH)]);
  }
  return true;
}

/**
 * Seeds the read guild (`size.cases` cases spread evenly over `size.users` users), the updateWhere guild and the
 * memory guild with SQL run on the server, unless a previous run left exactly that; returns what the workloads
 * need. No implementation takes part, so none starts warmer than another.
 */
export async function seed(admin: Pool, size: SeedSize, progress: Progress): Promise<Seed> {
  const changed = [
    await seedGuild(admin, READ_GUILD, size.cases, size.users, progress),
    await seedGuild(admin, updateGuild(size.updateRows), size.updateRows, size.users, progress),
    size.memoryRows > 0 && (await seedGuild(admin, MEMORY_GUILD, size.memoryRows, size.users, progress)),
  ];
  if (changed.some(Boolean)) {
    progress('seeding: VACUUM ANALYZE cases');
    await admin.query('VACUUM ANALYZE cases');
  }
  const ids = await admin.query<{ id: string }>('SELECT case_id AS id FROM cases WHERE guild_id = $1 ORDER BY case_number', [READ_GUILD]);
  return {
    size,
    readGuild: READ_GUILD,
    updateGuild: updateGuild(size.updateRows),
    memoryGuild: size.memoryRows > 0 ? MEMORY_GUILD : READ_GUILD,
    memoryRows: size.memoryRows > 0 ? size.memoryRows : size.cases,
    caseIds: ids.rows.map((r) => r.id),
    users: Array.from({ length: size.users }, (_, i) => userId(i)),
  };
}

/** Hands out guild ids for one run and creates their rows; `clear` deletes every run guild (cascading). */
export class RunGuilds {
  private next = FIRST_RUN_GUILD;

  constructor(private readonly admin: Pool) {}

  /** `n` new guilds, with their rows created (counter 0). */
  async create(n: number): Promise<string[]> {
    const ids = Array.from({ length: n }, () => String(this.next++));
    await this.admin.query('INSERT INTO guild (guild_id) SELECT unnest($1::bigint[])', [ids]);
    return ids;
  }

  /** Deletes the guilds of this run and of any earlier run that did not finish. */
  async clear(): Promise<void> {
    const range = [String(FIRST_RUN_GUILD), String(BASE + SPAN)];
    // Children first, one range delete each: ON DELETE CASCADE alone runs one delete per guild and child
    // table, and reminder, levels and afk have no index leading with guild_id, so each of those deletes is a
    // table scan, over every dead row the run left. VACUUM shrinks those tables back before the guilds go.
    for (const table of ['reminder', 'levels', 'cases']) {
      await this.admin.query(`DELETE FROM ${table} WHERE guild_id >= $1 AND guild_id < $2`, range);
    }
    await this.admin.query('VACUUM reminder, levels');
    await this.admin.query('DELETE FROM guild WHERE guild_id >= $1 AND guild_id < $2', range);
  }
}
