import 'reflect-metadata';
import { use } from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { prepareTestServer, releaseTestServer } from './support/test-server';

// `expect(promise).to.be.rejectedWith(ErrorClass)` in every spec.
use(chaiAsPromised);

// Root hooks: one migrated database for the whole run, dropped at the end.
export const mochaHooks = {
  async beforeAll(this: Mocha.Context): Promise<void> {
    this.timeout(180_000);
    await prepareTestServer();
  },
  async afterAll(this: Mocha.Context): Promise<void> {
    this.timeout(60_000);
    await releaseTestServer();
  },
};
