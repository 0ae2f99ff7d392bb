import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { startEmbeddedServer } from '../../src/embedded/embedded-server';
import { EmbeddedServerError } from '../../src/embedded/embedded-server-error';

/**
 * What startEmbeddedServer rejected with for `dataDir` (null if it started). A check that hung, as the recursive
 * mkdir under /proc did, fails the test by its mocha timeout; no wall-clock bound is asserted.
 */
async function refusal(dataDir: string): Promise<{ error: unknown }> {
  const error: unknown = await startEmbeddedServer({ dataDir }).then(
    async (server) => {
      await server.stop();
      return null;
    },
    (e: unknown) => e,
  );
  return { error };
}

/** Asserts an EmbeddedServerError for `dataDir` whose message says `problem` and what to do instead. */
function expectRefused({ error }: { error: unknown }, dataDir: string, problem: RegExp): void {
  expect(error).to.be.instanceOf(EmbeddedServerError);
  const e = error as EmbeddedServerError;
  expect(e.dataDir).to.equal(dataDir);
  expect(e.message).to.include(`data directory ${dataDir} `).and.match(problem);
  expect(e.message).to.include('TUX_DB_DATA_DIR').and.include('DATABASE_URL');
}

// The README promises: a data directory the server could never use fails at once with the path and the fix,
// before anything is created (under /proc, Node's recursive mkdir used to spin forever at 100% CPU).
describe('checkDataDir (through startEmbeddedServer)', function () {
  this.timeout(5_000);
  let root: string;

  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'tux-data-dir-spec-'));
  });
  after(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('refuses a data directory under /proc', async () => {
    expectRefused(await refusal('/proc/x'), '/proc/x', /virtual proc file system/);
  });

  it('refuses a data directory under /sys', async () => {
    expectRefused(await refusal('/sys/x'), '/sys/x', /virtual sysfs file system/);
  });

  it('refuses a regular file used as the data directory, and leaves it alone', async () => {
    const file = path.join(root, 'a-file');
    await writeFile(file, 'not a cluster');
    expectRefused(await refusal(file), file, /is a file, not a directory/);
    expect(await readdir(root)).to.deep.equal(['a-file']);
  });

  it('refuses a data directory below a regular file, naming the file', async () => {
    const file = path.join(root, 'parent-file');
    await writeFile(file, '');
    const dataDir = path.join(file, 'sub', 'data');
    expectRefused(await refusal(dataDir), dataDir, new RegExp(`cannot be created: ${file} is a file, not a directory`));
  });

  it('refuses a data directory on a read-only mount, creating nothing there', async function () {
    const mountPoint = path.join(root, 'ro');
    await mkdir(mountPoint);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro', 'tmpfs', mountPoint], { stdio: 'ignore' });
    } catch {
      // Mounting needs root (CAP_SYS_ADMIN); without it there is no read-only mount to try this on.
      this.skip();
    }
    try {
      const dataDir = path.join(mountPoint, 'data');
      expectRefused(await refusal(dataDir), dataDir, new RegExp(`is on a read-only mount \\(its nearest existing parent ${mountPoint}\\)`));
      expect(await readdir(mountPoint)).to.deep.equal([]);
    } finally {
      execFileSync('umount', [mountPoint]);
    }
  });

  it('refuses a data directory whose nearest existing parent this process cannot write to', async function () {
    // Root may write to any directory on a writable mount; only another user can be refused by permissions.
    if (process.getuid?.() === 0) this.skip();
    const parent = path.join(root, 'closed');
    await mkdir(parent, { mode: 0o555 });
    await chmod(parent, 0o555);
    const dataDir = path.join(parent, 'data');
    try {
      expectRefused(await refusal(dataDir), dataDir, /is not writable by this process \(its nearest existing parent/);
    } finally {
      await chmod(parent, 0o755);
    }
  });
});
