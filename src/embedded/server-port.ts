import { readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { findFreePort } from './free-port';

// The port the server last ran on, inside the data dir: a server started again after a crash comes back where
// every sharer's connections point, when that port is still free.
const PORT_FILE = 'tux-server.port';

/** A port to launch the server of `dataDir` on, and how to record it once the server runs there. */
export interface ChosenPort {
  readonly port: number;
  remember(): Promise<void>;
}

/** The port the server of `dataDir` last used when it is free now, else one the OS says is free. */
export async function preferredPort(dataDir: string): Promise<ChosenPort> {
  const file = path.join(dataDir, PORT_FILE);
  const last = Number((await readFile(file, 'utf8').catch(() => '')).trim());
  const port = Number.isInteger(last) && last > 0 && last < 65_536 && (await isFree(last)) ? last : await findFreePort();
  return { port, remember: () => writeFile(file, `${port}\n`) };
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}
