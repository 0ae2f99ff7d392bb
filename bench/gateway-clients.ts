import { Pool } from 'pg';
import type { CacheOption } from '../src/config';
import { createDatabase } from '../src/container';
import type { DatabaseCoordinator } from '../src/coordinator';
import { commandNameChain } from '../src/query/permission-command-statements';
import { libraryPoolSettings, pgPoolConfig } from './pool-settings';

/** The XP cooldown of every message (60 s, a common choice). */
export const COOLDOWN_SECONDS = 60;

/** Cache hits and misses as health() counts them. */
export interface CacheCounts {
  readonly hits: number;
  readonly misses: number;
}

/** What the gateway bench asks of an implementation: the per-message calls, and the reads the staleness probe makes. */
export interface GatewayClient {
  readonly name: string;
  prefix(guildId: string): Promise<string>;
  isAfk(userId: string, guildId: string): Promise<boolean>;
  /** addXp with a COOLDOWN_SECONDS cooldown, for a message sent at `now`. */
  addXp(userId: string, guildId: string, xp: number, now: Date): Promise<void>;
  canRun(guildId: string, command: string, roleIds: ReadonlyArray<string>): Promise<boolean>;
  rankName(guildId: string, rank: number): Promise<string | null>;
  /** The cache's counters, or undefined without a cache. */
  cacheCounts(): Promise<CacheCounts | undefined>;
  close(): Promise<void>;
}

/** The library's public API, as a bot calls it on every message. */
export class LibraryClient implements GatewayClient {
  constructor(
    readonly name: string,
    readonly db: DatabaseCoordinator,
  ) {}

  prefix(guildId: string): Promise<string> {
    return this.db.guildConfig.getPrefix(guildId);
  }

  isAfk(userId: string, guildId: string): Promise<boolean> {
    return this.db.afk.isMemberAfk(userId, guildId);
  }

  async addXp(userId: string, guildId: string, xp: number, now: Date): Promise<void> {
    await this.db.levels.addXp(userId, guildId, xp, { cooldownSeconds: COOLDOWN_SECONDS, now });
  }

  canRun(guildId: string, command: string, roleIds: ReadonlyArray<string>): Promise<boolean> {
    return this.db.permissionCommands.canRunCommand(guildId, command, roleIds);
  }

  async rankName(guildId: string, rank: number): Promise<string | null> {
    return (await this.db.permissionRanks.getRank(guildId, rank))?.name ?? null;
  }

  async cacheCounts(): Promise<CacheCounts | undefined> {
    const cache = (await this.db.health()).cache;
    return cache ? { hits: cache.hits, misses: cache.misses } : undefined;
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

/**
 * The library on `url` with `cache`, applying the pending migrations when `migrate` (the first client opened does,
 * so a fresh server works; the others find them applied). @throws DatabaseConnectionError when Redis or PostgreSQL cannot be reached.
 */
export async function openLibraryClient(name: string, url: string, poolSize: number, cache: CacheOption, migrate = false): Promise<LibraryClient> {
  return new LibraryClient(name, await createDatabase({ url, poolSize, cache, migrate }));
}

const OPERATIONS = ['prefix', 'isAfk', 'addXp', 'canRun', 'rankName'] as const;
type Operation = (typeof OPERATIONS)[number];
// The values raw pg binds, in the library's parameter order (checked against the captured text's highest $n).
const PARAMETERS: Readonly<Record<Operation, number>> = { prefix: 1, isAfk: 2, addXp: 5, canRun: 3, rankName: 3 };

/** A statement as the library sent it: its text and its prepared statement's name. */
interface Captured {
  readonly text: string;
  readonly name: string | undefined;
}

/**
 * The statements the library sends for each call, read from its query events (db.service.onQuery) while `library`
 * (uncached, so every call reaches the server) makes each call once in `guildId`.
 * @throws Error when a statement's parameters are not the ones raw pg binds: the library's SQL changed.
 */
export async function captureStatements(library: LibraryClient, guildId: string, userId: string, roleIds: ReadonlyArray<string>): Promise<Readonly<Record<Operation, Captured>>> {
  let last: Captured | undefined;
  const stop = library.db.service.onQuery((e) => (last = { text: e.sql, name: e.name }));
  const captured: Partial<Record<Operation, Captured>> = {};
  const calls: Record<Operation, () => Promise<unknown>> = {
    prefix: () => library.prefix(guildId),
    isAfk: () => library.isAfk(userId, guildId),
    addXp: () => library.addXp(userId, guildId, 15, new Date()),
    canRun: () => library.canRun(guildId, 'ban', roleIds),
    rankName: () => library.rankName(guildId, 1),
  };
  try {
    for (const op of OPERATIONS) {
      last = undefined;
      await calls[op]();
      const statement = last as Captured | undefined;
      if (statement === undefined) throw new Error(`the uncached library sent no statement for ${op}`);
      const highest = Math.max(0, ...[...statement.text.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
      if (highest !== PARAMETERS[op]) throw new Error(`the library's ${op} statement now takes ${highest} parameters, raw pg binds ${PARAMETERS[op]}: update bench/gateway-clients.ts`);
      captured[op] = statement;
    }
  } finally {
    stop();
  }
  return captured as Record<Operation, Captured>;
}

/** The library's statements on a plain pg Pool with the library's pool settings: what the calls cost without the library. */
export class RawPgClient implements GatewayClient {
  private readonly pool: Pool;

  constructor(
    readonly name: string,
    url: string,
    poolSize: number,
    private readonly statements: Readonly<Record<Operation, Captured>>,
  ) {
    this.pool = new Pool(pgPoolConfig(url, libraryPoolSettings(url, poolSize)));
    // An idle client whose server goes away emits 'error' on the pool; without a listener the process dies.
    this.pool.on('error', () => undefined);
  }

  async prefix(guildId: string): Promise<string> {
    return (await this.first<{ value: string | null }>('prefix', [guildId]))?.value ?? '!';
  }

  async isAfk(userId: string, guildId: string): Promise<boolean> {
    return (await this.first<{ afk: boolean }>('isAfk', [userId, guildId]))?.afk ?? false;
  }

  async addXp(userId: string, guildId: string, xp: number, now: Date): Promise<void> {
    await this.first('addXp', [userId, guildId, xp, now, COOLDOWN_SECONDS]);
  }

  async canRun(guildId: string, command: string, roleIds: ReadonlyArray<string>): Promise<boolean> {
    return (await this.first<{ allowed: boolean }>('canRun', [guildId, commandNameChain(command), roleIds]))?.allowed ?? true;
  }

  async rankName(guildId: string, rank: number): Promise<string | null> {
    return (await this.first<{ name: string }>('rankName', [guildId, rank, 1]))?.name ?? null;
  }

  cacheCounts(): Promise<undefined> {
    return Promise.resolve(undefined);
  }

  close(): Promise<void> {
    return this.pool.end();
  }

  private async first<R extends object>(op: Operation, values: ReadonlyArray<unknown>): Promise<R | undefined> {
    const { text, name } = this.statements[op];
    const result = await this.pool.query<R>({ text, values: [...values], ...(name === undefined ? {} : { name }) });
    return result.rows[0];
  }
}

/**
 * Checks that two implementations answer the probe reads alike in `guildIds`, so raw pg is known to do the library's
 * work. @throws Error naming the first difference.
 */
export async function checkSameAnswers(a: GatewayClient, b: GatewayClient, guildIds: ReadonlyArray<string>, userId: (guildId: string) => string, roleIds: (guildId: string) => ReadonlyArray<string>): Promise<void> {
  for (const guildId of guildIds) {
    const answers = async (c: GatewayClient): Promise<string> =>
      JSON.stringify([await c.prefix(guildId), await c.isAfk(userId(guildId), guildId), await c.canRun(guildId, 'ban', roleIds(guildId)), await c.canRun(guildId, 'config ranks init', roleIds(guildId)), await c.rankName(guildId, 7)]);
    const [x, y] = [await answers(a), await answers(b)];
    if (x !== y) throw new Error(`${a.name} and ${b.name} answer differently in guild ${guildId}: ${x} against ${y}`);
  }
}
