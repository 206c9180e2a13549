import type { WorkerRow, WorkerState } from './worker-table.js';

/**
 * What the primary and its workers say to each other over the cluster's IPC channel. Every message
 * carries `lms` so the cluster module's own traffic (and anything else on the channel) is ignored.
 */
export type ToWorker =
  /** The worker table and the embedded database's supervision, sent whenever either changes. */
  | { lms: 'cluster'; workers: WorkerRow[]; database: { restarting: boolean; restarts: number } }
  /** Stop accepting, finish the requests in flight, close the app, exit 0. */
  | { lms: 'drain' }
  /** Send this worker's metrics (prom-client's JSON form) for the primary to aggregate. */
  | { lms: 'metrics?'; ask: number }
  /** The cluster's metrics as Prometheus text (null: they could not be read), for this worker's /metrics. */
  | { lms: 'cluster-metrics'; ask: number; text: string | null };

export type ToPrimary =
  | { lms: 'state'; state: WorkerState }
  | { lms: 'metrics'; ask: number; metrics: object[] | null }
  /** GET /metrics on the app's port (METRICS_TOKEN): this worker asks for the whole cluster's. */
  | { lms: 'cluster-metrics?'; ask: number };

function tagged(message: unknown): message is { lms: string } {
  return (
    typeof message === 'object' && message !== null && typeof (message as { lms?: unknown }).lms === 'string'
  );
}

export function isToWorker(message: unknown): message is ToWorker {
  return tagged(message) && ['cluster', 'drain', 'metrics?', 'cluster-metrics'].includes(message.lms);
}

export function isToPrimary(message: unknown): message is ToPrimary {
  return tagged(message) && ['state', 'metrics', 'cluster-metrics?'].includes(message.lms);
}

/** The environment variable carrying the database address to workers (not MONGODB_URI: that means "external"). */
export const CLUSTER_DATABASE_URI = 'LMS_CLUSTER_DATABASE_URI';
