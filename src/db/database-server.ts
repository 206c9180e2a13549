import path from 'node:path';
import type { Config } from '../config.js';
import { startEmbeddedFerretdb } from './ferretdb/launcher.js';
import type { SupervisionStatus } from './ferretdb/supervisor.js';

/** The embedded database's supervision as the app sees it (/readyz, /metrics). */
export type DatabaseStatus = SupervisionStatus;

/** A database the app does not run itself is never "restarting" from the app's point of view. */
const EXTERNAL: DatabaseStatus = { restarting: () => false, restarts: () => 0 };

export interface DatabaseServer {
  uri: string;
  embedded: boolean;
  status: DatabaseStatus;
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
  if (config.MONGODB_URI)
    return { uri: config.MONGODB_URI, embedded: false, status: EXTERNAL, stop: async () => {} };
  const ferret = await startEmbeddedFerretdb({
    dataDir: path.join(config.DATA_DIR, 'ferretdb'),
    sync: config.FERRETDB_SYNC,
    restart: true,
    log,
  });
  log(`[ferretdb] embedded FerretDB listening on 127.0.0.1:${ferret.port} (data in ${config.DATA_DIR})`);
  return { uri: ferret.uri, embedded: true, status: ferret.status ?? EXTERNAL, stop: ferret.stop };
}
