import { Session } from 'node:inspector/promises';

/** Sampled CPU time of one run, in µs, by where it was spent. */
export interface CpuBreakdown {
  /** µs by category (see categoryOf). */
  readonly byCategory: Record<string, number>;
  /** The functions with the most self time, µs each, "function (file)". */
  readonly topFunctions: ReadonlyArray<{ readonly name: string; readonly micros: number }>;
  readonly totalMicros: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string };
}

interface Profile {
  readonly nodes: ReadonlyArray<ProfileNode>;
  readonly samples?: ReadonlyArray<number>;
  readonly timeDeltas?: ReadonlyArray<number>;
}

/**
 * Where a sampled function belongs: the driver's protocol code, its row and type parsing, Node's sockets and
 * streams, promise machinery, the bench itself, or V8's own (GC, idle).
 */
export function categoryOf(functionName: string, url: string): string {
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(idle)' || functionName === '(program)' || functionName === '(root)') return 'idle / program';
  if (/pg-types|postgres-date|postgres-array|postgres-interval|type-parsers|postgres-bytea/.test(url)) return 'type parsers';
  if (/node_modules\/pg\/lib\/result\.js/.test(url) || (/node_modules\/postgres\//.test(url) && /^(DataRow|RowDescription|handle|parse)/.test(functionName))) return 'rows';
  if (/pg-protocol/.test(url)) return 'protocol (pg-protocol)';
  if (/node_modules\/(pg|pg-pool)\//.test(url)) return 'pg client / pool';
  if (/node_modules\/postgres\//.test(url)) return 'postgres.js';
  if (/node_modules\/(typeorm|drizzle-orm|kysely)\//.test(url)) return 'ORM';
  if (/\/src\//.test(url)) return 'library';
  if (/\/bench\//.test(url)) return 'bench harness';
  if (url.startsWith('node:')) return 'Node (net, streams, timers)';
  if (url === '') return 'V8 / natives';
  return 'other';
}

/**
 * Runs `work` under V8's sampling profiler (100 µs interval) and sums each sample's time by category and by
 * function: the measured answer to "where does the client's CPU go?".
 */
export async function profileCpu(work: () => Promise<void>): Promise<CpuBreakdown> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
    await work();
    const { profile } = (await session.post('Profiler.stop')) as { profile: Profile };
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const byCategory: Record<string, number> = {};
    const byFunction = new Map<string, number>();
    let total = 0;
    (profile.samples ?? []).forEach((id, i) => {
      const node = byId.get(id);
      const micros = profile.timeDeltas?.[i] ?? 0;
      if (node === undefined) return;
      const { functionName, url } = node.callFrame;
      const category = categoryOf(functionName, url);
      byCategory[category] = (byCategory[category] ?? 0) + micros;
      if (category !== 'idle / program') {
        const name = `${functionName || '(anonymous)'} (${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(src|bench)\//, '$1/')})`;
        byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
        total += micros;
      }
    });
    const topFunctions = [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([name, micros]) => ({ name, micros }));
    return { byCategory, topFunctions, totalMicros: total };
  } finally {
    await session.post('Profiler.disable').catch(() => undefined);
    session.disconnect();
  }
}
