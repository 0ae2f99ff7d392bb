import { chmod, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { checkPostgresUserAccess } from '../../src/embedded/check-postgres-user-access';
import { startEmbeddedServer } from '../../src/embedded/embedded-server';
import { EmbeddedServerError } from '../../src/embedded/embedded-server-error';

// The README promises: run as root, the error for a directory the OS user postgres cannot enter names that
// directory and the `chmod o+x` that fixes it. These tests need root (they skip otherwise).
describe('checkPostgresUserAccess', () => {
  let root: string;
  let locked: string;

  before(async function () {
    // Only root can make a directory another user (postgres) cannot enter while the test itself still can; the
    // check only runs as root anyway (the embedded server then runs as postgres). CI runs as root.
    if (process.getuid?.() !== 0) this.skip();
    root = await mkdtemp(path.join(os.tmpdir(), 'tux-access-spec-'));
    await chmod(root, 0o755);
    locked = path.join(root, 'locked');
    await mkdir(locked, { mode: 0o700 });
    await chmod(locked, 0o700);
  });

  after(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('refuses a data directory under a 0700 directory, naming the blocked directory and the chmod o+x fix', async () => {
    const dataDir = path.join(locked, 'data');
    const error: unknown = await startEmbeddedServer({ dataDir }).then(
      async (server) => {
        await server.stop();
        return null;
      },
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(EmbeddedServerError);
    const message = (error as EmbeddedServerError).message;
    expect(message).to.include(`cannot enter ${locked} (above the data directory ${dataDir})`);
    expect(message).to.include(`chmod o+x ${JSON.stringify(locked)}`);
    expect((error as EmbeddedServerError).dataDir).to.equal(dataDir);
    // Refused before initdb ran: nothing was written into the directory.
    expect(await readdir(locked)).to.deep.equal([]);
  });

  it('accepts the same data directory once the fix is applied, and one whose parents are all searchable', async () => {
    await checkPostgresUserAccess(path.join(root, 'open', 'data'));
    await chmod(locked, 0o711);
    try {
      await checkPostgresUserAccess(path.join(locked, 'data'));
    } finally {
      await chmod(locked, 0o700);
    }
  });
});
