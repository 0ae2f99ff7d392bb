import type { DatabaseCoordinator } from '../src/coordinator';
import { slopeOf, type Interval } from './interval';

/** Heap use while walking a whole guild's cases page by page. */
export interface MemoryReport {
  readonly rows: number;
  readonly pages: number;
  readonly pageSize: number;
  readonly seconds: number;
  /**
   * heapUsed in MB after a forced GC, at the start and every `checkpointRows` rows (what the walk keeps), and the
   * highest heapUsed seen after a page since the checkpoint before (garbage included).
   */
  readonly checkpoints: ReadonlyArray<{ readonly rows: number; readonly heapMb: number; readonly peakMb: number }>;
  /** The highest heapUsed seen after any page (garbage included), in MB. */
  readonly heapPeakMb: number;
  /**
   * Growth of the retained heap per 1M rows, in MB: the least-squares slope of the checkpoints after the first
   * (the first `checkpointRows` rows compile code and fill the pools' statement caches, once).
   */
  readonly growthPerMillionMb: number;
  /** Its 95% interval (least-squares slope, t with n − 2 degrees of freedom). */
  readonly growthInterval?: Interval;
  /** Whether a GC could be forced (`node --expose-gc`); without it the checkpoints include uncollected garbage. */
  readonly gcExposed: boolean;
}

const gc = (globalThis as { gc?: () => void }).gc;
const PAGE = 1000;

function heapMb(): number {
  return process.memoryUsage().heapUsed / 2 ** 20;
}

/**
 * Iterates the first `rows` cases of `guildId` (by number) with keyset pagination (`caseNumber > last`, 1,000 rows a
 * statement) through the public findAll, holding only the current page. Every `checkpointRows` rows it forces a GC and records the
 * heap: if the walk kept anything per row, these would climb. Run after the workloads, so it warms nothing.
 * @throws Error when the walk does not see `rows` cases in increasing number order.
 */
export async function measureKeysetIteration(db: DatabaseCoordinator, guildId: string, expected: number, checkpointRows: number): Promise<MemoryReport> {
  gc?.();
  const start = heapMb();
  const checkpoints = [{ rows: 0, heapMb: start, peakMb: start }];
  let peak = start;
  let peakSince = start;
  let last = 0;
  let rows = 0;
  let pages = 0;
  const started = performance.now();
  while (rows < expected) {
    const page = await db.case.findAll({ filters: { guildId, caseNumber: { gt: last } }, orderBy: { caseNumber: 'ASC' }, limit: Math.min(PAGE, expected - rows) });
    if (page.length === 0) break;
    for (const c of page) {
      if (c.caseNumber !== last + 1) throw new Error(`keyset iteration skipped from case ${last} to ${c.caseNumber}`);
      last = c.caseNumber;
    }
    rows += page.length;
    pages++;
    peakSince = Math.max(peakSince, heapMb());
    peak = Math.max(peak, peakSince);
    if (rows % checkpointRows === 0) {
      gc?.();
      checkpoints.push({ rows, heapMb: heapMb(), peakMb: peakSince });
      peakSince = 0;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  if (rows !== expected) throw new Error(`keyset iteration saw ${rows} cases, expected ${expected}`);
  const steady = checkpoints.slice(1);
  const { slope, interval } = slopeOf(
    steady.map((c) => c.rows),
    steady.map((c) => c.heapMb),
  );
  const perMillion = (x: number): number => x * 1e6;
  return {
    rows,
    pages,
    pageSize: PAGE,
    seconds,
    checkpoints,
    heapPeakMb: peak,
    growthPerMillionMb: perMillion(slope),
    ...(interval ? { growthInterval: { low: perMillion(interval.low), high: perMillion(interval.high) } } : {}),
    gcExposed: gc !== undefined,
  };
}
