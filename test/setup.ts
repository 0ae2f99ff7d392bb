import 'reflect-metadata';
import { use } from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { poolerSkips } from './support/behind-pooler';
import { releaseTestServer, testServerStarted } from './support/test-server';

// `expect(promise).to.be.rejectedWith(ErrorClass)` in every spec.
use(chaiAsPromised);

// The test server starts on first use, from the helpers in test/support (useTestDatabase, useTestServer,
// openTestDatabase, createScratchDatabase, asServerAdmin); a run of unit specs never starts one. The root
// hook only cleans up: it drops the suite's database and stops the embedded server if a spec started them.
export const mochaHooks = {
  async afterAll(this: Mocha.Context): Promise<void> {
    this.timeout(60_000);
    // Behind CI's PgBouncer the specs that need a session or the server itself skip; list them with their reasons.
    const skips = poolerSkips();
    if (skips.length > 0) console.log(`\n  Skipped behind the pooler (${skips.length}):\n${skips.map((s) => `    - ${s}`).join('\n')}`);
    if (!testServerStarted()) {
      console.log('\n  No spec used the database: no test server was started.');
      return;
    }
    await releaseTestServer();
  },
};
