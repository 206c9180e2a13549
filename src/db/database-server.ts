import path from 'node:path';
import type { Config } from '../config.js';
import { startEmbeddedFerretdb } from './ferretdb/launcher.js';

export interface DatabaseServer {
  uri: string;
  embedded: boolean;
  stop(): Promise<void>;
}

/**
 * Uses MONGODB_URI when set; otherwise starts the embedded FerretDB under DATA_DIR, on a leash
 * that ends it with this process, and restarted whenever it dies (see ./ferretdb/).
 */
export async function openDatabaseServer(
  config: Config,
  log: (line: string) => void,
): Promise<DatabaseServer> {
  if (config.MONGODB_URI) return { uri: config.MONGODB_URI, embedded: false, stop: async () => {} };
  const ferret = await startEmbeddedFerretdb({
    dataDir: path.join(config.DATA_DIR, 'ferretdb'),
    sync: config.FERRETDB_SYNC,
    restart: true,
    log,
  });
  log(`[ferretdb] embedded FerretDB listening on 127.0.0.1:${ferret.port} (data in ${config.DATA_DIR})`);
  return { uri: ferret.uri, embedded: true, stop: ferret.stop };
}
