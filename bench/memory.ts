import type { DatabaseCoordinator } from '../src/coordinator';

/** Heap use while walking a whole guild's cases page by page. */
export interface MemoryReport {
  readonly rows: number;
  readonly pages: number;
  readonly seconds: number;
  /** heapUsed in MB: before (after a GC), highest seen after any page, after (after a GC). */
  readonly heapBeforeMb: number;
  readonly heapPeakMb: number;
  readonly heapAfterMb: number;
  /** Whether a GC could be forced (`node --expose-gc`); without it the figures include uncollected garbage. */
  readonly gcExposed: boolean;
}

const gc = (globalThis as { gc?: () => void }).gc;
const PAGE = 1000;

function heapMb(): number {
  return process.memoryUsage().heapUsed / 2 ** 20;
}

/**
 * Iterates every case of `guildId` with keyset pagination (`caseNumber > last`, 1,000 rows a statement)
 * through the public findAll, holding only the current page, and samples the heap after each page.
 * @throws Error when the walk does not see `expected` cases in increasing number order.
 */
export async function measureKeysetIteration(db: DatabaseCoordinator, guildId: string, expected: number): Promise<MemoryReport> {
  gc?.();
  const before = heapMb();
  let peak = before;
  let last = 0;
  let rows = 0;
  let pages = 0;
  const started = performance.now();
  for (;;) {
    const page = await db.case.findAll({ filters: { guildId, caseNumber: { gt: last } }, orderBy: { caseNumber: 'ASC' }, limit: PAGE });
    if (page.length === 0) break;
    for (const c of page) {
      if (c.caseNumber !== last + 1) throw new Error(`keyset iteration skipped from case ${last} to ${c.caseNumber}`);
      last = c.caseNumber;
    }
    rows += page.length;
    pages++;
    peak = Math.max(peak, heapMb());
  }
  const seconds = (performance.now() - started) / 1000;
  if (rows !== expected) throw new Error(`keyset iteration saw ${rows} cases, expected ${expected}`);
  gc?.();
  return { rows, pages, seconds, heapBeforeMb: before, heapPeakMb: peak, heapAfterMb: heapMb(), gcExposed: gc !== undefined };
}
