import { Client, type ClientConfig, type QueryConfig, type QueryResult } from 'pg';
import { TYPE_PARSERS } from '../../src/service/type-parsers';
import type { Implementation } from '../implementation';
import { pgPoolConfig, type PoolSettings } from '../pool-settings';
import { StatementImplementation } from './statement-implementation';

interface Lane {
  readonly client: Client;
  inFlight: number;
}

/**
 * The ceiling's statements on `settings.max` long-lived pg Clients in pipeline mode (pg 8.23's `pipeline: true`),
 * shared by every caller: each statement goes to the connection with the fewest in flight and is written at once,
 * without waiting for the ones before it, as postgres.js does when callers outnumber its connections. A prototype to
 * measure the proposal in bench/RESULTS.md (only for statements outside a unit of work, which need no connection of
 * their own); not a default implementation.
 */
export async function createPipelinedPg(name: string, url: string, settings: PoolSettings): Promise<Implementation> {
  const { max, idleTimeoutMillis: _idle, ...connection } = pgPoolConfig(url, settings);
  const config: ClientConfig & { pipeline: boolean } = { ...connection, types: TYPE_PARSERS, pipeline: true };
  const lanes: Lane[] = [];
  for (let i = 0; i < (max ?? 10); i++) {
    const client = new Client(config);
    client.on('error', () => undefined);
    await client.connect();
    lanes.push({ client, inFlight: 0 });
  }
  const laneFor = (): Lane => lanes.reduce((best, lane) => (lane.inFlight < best.inFlight ? lane : best));
  return new StatementImplementation(
    name,
    async (statement, text, values) => {
      const lane = laneFor();
      lane.inFlight++;
      try {
        const result: QueryResult = await lane.client.query({ name: statement, text, values } satisfies QueryConfig);
        return { rows: result.rows, rowCount: result.rowCount ?? 0 };
      } finally {
        lane.inFlight--;
      }
    },
    async () => {
      await Promise.all(lanes.map((l) => l.client.end()));
    },
  );
}
