import { createConnection } from 'node:net';

/**
 * The calls of each command the Redis at `url` has served since it started (INFO commandstats), as
 * `{ mget: 4908, set: 2644, … }`; the difference over a slice is what the cache sent then (and whatever else uses
 * that Redis meanwhile). @throws Error when Redis does not answer with the section.
 */
export function redisCommandCalls(url: string, timeoutMs = 2_000): Promise<Readonly<Record<string, number>>> {
  const parsed = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: parsed.hostname, port: Number(parsed.port || 6379) });
    let buffer = '';
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new Error(`INFO commandstats: no answer from ${parsed.host}`));
    });
    socket.once('error', reject);
    socket.once('connect', () => socket.write('INFO commandstats\r\n'));
    socket.on('data', (data) => {
      // latin1: one character per byte, so lengths compare with the bulk string's byte count.
      buffer += data.toString('latin1');
      if (buffer.startsWith('-')) {
        socket.destroy();
        reject(new Error(`INFO commandstats: ${buffer.trim()}`));
        return;
      }
      const header = /^\$(\d+)\r\n/.exec(buffer);
      if (header === null || buffer.length < header[0].length + Number(header[1])) return;
      socket.destroy();
      const calls: Record<string, number> = {};
      for (const m of buffer.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls[m[1] ?? ''] = Number(m[2]);
      resolve(calls);
    });
  });
}
