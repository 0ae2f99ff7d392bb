// The messages between the gateway bench (the reading process) and its writer process, over Node's IPC channel.
//
// For each write: the writer announces it (`intent`, with the value the reader should then see), the reader starts
// polling with the implementation being measured and answers `probing` (or `skip` between measurements, and the
// writer does not write), the writer writes through the library and reports `committed` with the moments on the shared
// clock, and the reader answers `done` once its poll saw the new value, so one write is in flight at a time.

/** What the writer changes: a prefix, a command's required rank, a role's assigned rank, or a rank's name. */
export const WRITE_KINDS = ['prefix', 'command', 'assignment', 'rank'] as const;

/** One of WRITE_KINDS. */
export type WriteKind = (typeof WRITE_KINDS)[number];

/** What the probe read returns once the write is visible: the prefix, canRunCommand's answer, or the rank's name. */
export type ProbeValue = string | boolean | null;

/** From the writer. */
export type WriterMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'intent'; readonly id: number; readonly kind: WriteKind; readonly guild: number; readonly version: number; readonly expected: ProbeValue }
  /** `startedAt` before the write call, `committedAt` when it returned (the server committed before answering). */
  | { readonly type: 'committed'; readonly id: number; readonly startedAt: number; readonly committedAt: number }
  | { readonly type: 'failed'; readonly id: number; readonly error: string };

/** From the reader. */
export type ReaderMessage =
  | { readonly type: 'start'; readonly url: string; readonly guilds: number; readonly intervalMs: number; readonly seed: number }
  | { readonly type: 'probing'; readonly id: number }
  | { readonly type: 'skip'; readonly id: number }
  | { readonly type: 'done'; readonly id: number }
  | { readonly type: 'stop' };

/** Milliseconds since the epoch with sub-millisecond resolution, comparable between processes of one host. */
export const sharedNow = (): number => performance.timeOrigin + performance.now();
