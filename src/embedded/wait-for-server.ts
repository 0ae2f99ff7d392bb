import { Client } from 'pg';
import { findProcess } from './process-inspection';

/** Resolves true once the server at `url` answers a query, false when process `pid` exits or `timeoutMs` passes first. */
export async function waitForServer(url: string, pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await findProcess(pid)) === null) return false;
    if (await answers(url)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/** Whether the server at `url` accepts a connection and answers `SELECT 1` right now (false on any failure). */
export async function answers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  // A server shutting down may drop the socket between queries; the awaited calls report it already.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
