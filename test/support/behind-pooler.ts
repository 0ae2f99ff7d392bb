import { resolveOptions } from '../../src/config';

// CI's third run goes through a PgBouncer in transaction mode (.ci/run): DATABASE_URL is the bouncer,
// TUX_DB_BEHIND_POOLER=1 puts the library in its pooler mode, and TUX_TEST_DIRECT_URL names the server behind it.

const skipped: string[] = [];

/**
 * Whether this run goes through a transaction-mode pooler: TUX_DB_BEHIND_POOLER, read the way the library reads
 * it, so a spec and the databases it opens agree.
 */
export function behindPooler(): boolean {
  const env = { TUX_DB_BEHIND_POOLER: process.env['TUX_DB_BEHIND_POOLER'] };
  return resolveOptions({ url: 'postgres://127.0.0.1/pooler-check' }, env).behindPooler;
}

/**
 * Skips the test (or, from a `before` hook, the whole describe) when the run goes through a pooler, and says why:
 * for a spec that needs what a transaction pooler does not keep (a session, one client's server backend) or the
 * server itself. The reason is printed at once and again in the run's closing summary.
 * @example
 * it('…', function () {
 *   skipBehindPooler(this, 'LISTEN needs a session of its own, which a transaction pooler does not keep');
 * });
 */
export function skipBehindPooler(context: Mocha.Context, reason: string): void {
  if (!behindPooler()) return;
  const title = context.currentTest?.fullTitle() ?? context.test?.fullTitle() ?? 'a spec';
  skipped.push(`${title}: ${reason}`);
  // Skip reason: the caller's `reason`, printed here and listed again at the end of the run.
  console.log(`      skipped behind the pooler: ${reason}`);
  context.skip();
}

/** What skipBehindPooler skipped in this run, one `title: reason` line each. */
export function poolerSkips(): ReadonlyArray<string> {
  return skipped;
}

/**
 * `url` with the host and port of the server itself when the run goes through a pooler (TUX_TEST_DIRECT_URL; user,
 * password and database stay `url`'s), else `url` unchanged: for admin steps and observers that must not share
 * the pooler's server connections, such as DROP DATABASE, pg_terminate_backend or a look at pg_stat_activity.
 */
export function directUrl(url: string): string {
  const direct = process.env['TUX_TEST_DIRECT_URL'];
  if (!direct) return url;
  const server = new URL(direct);
  const target = new URL(url);
  target.hostname = server.hostname;
  target.port = server.port;
  return target.toString();
}
