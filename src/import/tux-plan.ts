import type { Client } from 'pg';

/** Decisions that need a whole guild in view, made before any row is copied. */
export interface TuxImportPlan {
  /** snippet id → new name, for names that clash ignoring letter case with an older snippet of the guild. */
  readonly snippetRenames: Map<string, string>;
  /** `${guildId} ${oldName}` → new name, for aliases naming a renamed snippet. */
  readonly aliasRewrites: Map<string, string>;
  /** case id → number, for cases whose case_number is NULL. */
  readonly caseNumbers: Map<string, string>;
  /** guild id → the case_count numbering continues from (≥ every imported case number). */
  readonly caseCounts: Map<string, string>;
  /** Guilds whose case_count in Tux is below their highest case number (raised, and reported). */
  readonly caseCountBelowMax: ReadonlyArray<{ guildId: string; caseCount: string; maxNumber: string }>;
}

const NAME_LIMIT = 100;

/** A name for the snippet with id `id` that no other snippet of the guild has, ignoring letter case. */
function freeName(name: string, id: string, taken: Set<string>): string {
  for (let n = 0; ; n++) {
    const suffix = n === 0 ? `-${id}` : `-${id}-${n}`;
    const chars = [...name];
    const candidate = chars.slice(0, NAME_LIMIT - suffix.length).join('') + suffix;
    if (!taken.has(candidate.toLowerCase())) {
      taken.add(candidate.toLowerCase());
      return candidate;
    }
  }
}

/**
 * Reads what the plan needs from Tux (inside the caller's snapshot): snippet names that clash ignoring case,
 * cases without a number, and each guild's case_count beside its highest case number.
 */
export async function planTuxImport(source: Client): Promise<TuxImportPlan> {
  const snippetRenames = new Map<string, string>();
  const aliasRewrites = new Map<string, string>();
  const clashes = await source.query<{ id: string; guild_id: string; snippet_name: string; taken: string[] }>(
    `SELECT s.id::text, s.guild_id::text, s.snippet_name,
            ARRAY(SELECT lower(o.snippet_name) FROM snippet o WHERE o.guild_id = s.guild_id) AS taken
       FROM snippet s
      WHERE EXISTS (SELECT 1 FROM snippet o WHERE o.guild_id = s.guild_id AND lower(o.snippet_name) = lower(s.snippet_name) AND o.id < s.id)
      ORDER BY s.guild_id, s.id`,
  );
  const takenByGuild = new Map<string, Set<string>>();
  for (const row of clashes.rows) {
    let taken = takenByGuild.get(row.guild_id);
    if (!taken) takenByGuild.set(row.guild_id, (taken = new Set(row.taken)));
    const renamed = freeName(row.snippet_name, row.id, taken);
    snippetRenames.set(row.id, renamed);
    aliasRewrites.set(`${row.guild_id} ${row.snippet_name}`, renamed);
  }

  const counts = await source.query<{ guild_id: string; case_count: string; max_number: string | null; unnumbered: string[] }>(
    `SELECT g.id::text AS guild_id, g.case_count::text,
            (SELECT max(c.case_number) FROM cases c WHERE c.guild_id = g.id)::text AS max_number,
            ARRAY(SELECT c.id::text FROM cases c WHERE c.guild_id = g.id AND c.case_number IS NULL ORDER BY c.id) AS unnumbered
       FROM guild g ORDER BY g.id`,
  );
  const caseNumbers = new Map<string, string>();
  const caseCounts = new Map<string, string>();
  const caseCountBelowMax: { guildId: string; caseCount: string; maxNumber: string }[] = [];
  for (const row of counts.rows) {
    const count = Number(row.case_count);
    const max = row.max_number === null ? 0 : Number(row.max_number);
    if (max > count) caseCountBelowMax.push({ guildId: row.guild_id, caseCount: row.case_count, maxNumber: String(max) });
    let next = Math.max(count, max);
    for (const id of row.unnumbered) caseNumbers.set(id, String(++next));
    caseCounts.set(row.guild_id, String(next));
  }
  return { snippetRenames, aliasRewrites, caseNumbers, caseCounts, caseCountBelowMax };
}
