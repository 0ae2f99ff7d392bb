// The gateway bench's other process (bench/gateway.ts forks it): through its own library, without a cache, it changes a
// probe of a random guild every `intervalMs` on average (a prefix, a command's requirement, a role's rank, a rank's
// name, in turn), and tells the reading process when each write committed (see bench/gateway-protocol.ts).
import 'reflect-metadata';
import { createDatabase } from '../src/container';
import type { DatabaseCoordinator } from '../src/coordinator';
import { seededRandom } from './order';
import { WRITE_KINDS, sharedNow, type ReaderMessage, type WriterMessage } from './gateway-protocol';
import { expectedProbe, writeProbe } from './gateway-probes';

function isReaderMessage(m: unknown): m is ReaderMessage {
  return typeof m === 'object' && m !== null && typeof (m as { type?: unknown }).type === 'string';
}

const send = (m: WriterMessage): void => void process.send?.(m);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let stopped = false;
let started: ((m: Extract<ReaderMessage, { type: 'start' }>) => void) | undefined;
const replies = new Map<number, (m: ReaderMessage) => void>();

process.on('message', (m: unknown) => {
  if (!isReaderMessage(m)) return;
  if (m.type === 'start') started?.(m);
  else if (m.type === 'stop') {
    stopped = true;
    // Whoever waits for an answer gets the stop instead.
    for (const reply of replies.values()) reply(m);
    replies.clear();
  } else replies.get(m.id)?.(m);
});

// The reader's answer about write `id` (or the stop).
function answer(id: number): Promise<ReaderMessage> {
  if (stopped) return Promise.resolve({ type: 'stop' });
  return new Promise((resolve) => replies.set(id, (m) => (replies.delete(id), resolve(m))));
}

async function writeLoop(db: DatabaseCoordinator, start: Extract<ReaderMessage, { type: 'start' }>): Promise<void> {
  const random = seededRandom(start.seed);
  const versions = new Map<string, number>();
  let id = 0;
  let turn = 0;
  while (!stopped) {
    await sleep(start.intervalMs * (0.5 + random()));
    if (stopped) break;
    const kind = WRITE_KINDS[turn % WRITE_KINDS.length] ?? 'prefix';
    const guild = Math.floor(random() * start.guilds);
    const version = (versions.get(`${kind}:${guild}`) ?? 0) + 1;
    id++;
    send({ type: 'intent', id, kind, guild, version, expected: expectedProbe(kind, version) });
    // Written only while the reader measures an implementation (it polls from before the write).
    if ((await answer(id)).type !== 'probing') continue;
    turn++;
    const startedAt = sharedNow();
    try {
      await writeProbe(db, kind, guild, version);
    } catch (e) {
      send({ type: 'failed', id, error: e instanceof Error ? e.message : String(e) });
      await answer(id);
      continue;
    }
    const committedAt = sharedNow();
    versions.set(`${kind}:${guild}`, version);
    send({ type: 'committed', id, startedAt, committedAt });
    await answer(id);
  }
}

async function main(): Promise<void> {
  const start = await new Promise<Extract<ReaderMessage, { type: 'start' }>>((resolve) => (started = resolve));
  const db = await createDatabase({ url: start.url, cache: false, migrate: false, poolSize: 2 });
  try {
    send({ type: 'ready' });
    await writeLoop(db, start);
  } finally {
    await db.close();
    process.disconnect?.();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
  process.disconnect?.();
});
