import type { WorkerRow, WorkerState } from './worker-table.js';

/** This process's place in the cluster, as /readyz shows it; null when the app runs as one process. */
export interface Membership {
  worker: { id: number; pid: number };
  /** What this worker last reported about itself (it knows before the primary's table says so). */
  state: WorkerState;
  /** The primary's latest table of every worker. */
  workers: WorkerRow[];
}

// One per process: a cluster worker is its own process, so a module-level value is exactly "this worker".
let current: Membership | null = null;

export function membership(): Membership | null {
  return current;
}

/** Set by cluster/worker.ts only; tests and single-process runs never call it. */
export function updateMembership(change: Partial<Membership> & Pick<Membership, 'worker'>): void {
  current = { state: 'starting', workers: [], ...current, ...change };
}
