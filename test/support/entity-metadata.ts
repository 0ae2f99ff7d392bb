import { DataSource, type EntityMetadata, type EntityTarget, type ObjectLiteral } from 'typeorm';
import { resolveOptions } from '../../src/config';
import { buildDataSource } from '../../src/service/data-source';

// Nothing listens on port 1; the DataSource below never connects, the URL only satisfies the options.
const NOWHERE = 'postgres://tux@127.0.0.1:1/tux';

/** Builds the entity metadata the way DataSource.initialize does, minus the connection. */
class MetadataOnlyDataSource extends DataSource {
  async buildWithoutConnecting(): Promise<this> {
    await this.buildMetadatas();
    return this;
  }
}

let loaded: Promise<DataSource> | undefined;

/**
 * TypeORM's metadata of every entity, from the library's own DataSource options, without a server: for unit
 * specs of code that reads metadata (buildTableModel and what uses its models).
 */
export async function entityMetadata(entity: EntityTarget<ObjectLiteral>): Promise<EntityMetadata> {
  loaded ??= new MetadataOnlyDataSource(buildDataSource(NOWHERE, resolveOptions({ url: NOWHERE }, {})).options).buildWithoutConnecting();
  return (await loaded).getMetadata(entity);
}
