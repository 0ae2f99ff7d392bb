// The DataSource for the typeorm CLI. A bot (any TypeScript version, ts-node not needed) uses the compiled one:
//   npx typeorm migration:run -d node_modules/tux-database/dist/ormconfig.js
// contributors to tux-database the sources:
//   npx typeorm-ts-node-commonjs migration:run -d ormconfig.ts
// DATABASE_URL when set, else the embedded server (started here, stopped when the CLI destroys the DataSource).
// The migrations: the library's, then the bot's compiled ones at TUX_DB_MIGRATIONS (see DatabaseOptions.migrations).
import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { resolveOptions } from './src/config';
import { buildDataSource } from './src/service/data-source';
import { startEmbeddedDatabase } from './src/service/open-data-source';

async function cliDataSource(): Promise<DataSource> {
  const options = resolveOptions();
  if (options.url !== undefined) return buildDataSource(options.url, options);
  const { url, server } = await startEmbeddedDatabase(options.dataDir);
  const dataSource = buildDataSource(url, options);
  // The CLI ends by destroying the DataSource; the server must stop then too, or the process never exits.
  const destroy = dataSource.destroy.bind(dataSource);
  dataSource.destroy = async () => {
    try {
      await destroy();
    } finally {
      await server.stop();
    }
  };
  return dataSource;
}

/** The one DataSource export the typeorm CLI looks for (it awaits exported promises). */
export const dataSource: Promise<DataSource> = cliDataSource();
