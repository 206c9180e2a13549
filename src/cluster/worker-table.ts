/** A worker's state as it reports it: forked and building the app, listening, or closing. */
export type WorkerState = 'starting' | 'ready' | 'draining';

/** One row of the table the primary keeps and sends to every worker (their /readyz shows it). */
export interface WorkerRow {
  /** cluster's worker id: 1, 2, … (a replacement gets a new id). */
  id: number;
  pid: number;
  state: WorkerState;
}

export type WorkerEvent =
  | { kind: 'forked'; id: number; pid: number }
  | { kind: 'reported'; id: number; state: WorkerState }
  | { kind: 'exited'; id: number };

/** The table after one event, in worker id order; the given table is left as it was. */
export function workersAfter(table: readonly WorkerRow[], event: WorkerEvent): WorkerRow[] {
  switch (event.kind) {
    case 'forked':
      return [
        ...table.filter((w) => w.id !== event.id),
        { id: event.id, pid: event.pid, state: 'starting' as const },
      ].sort((a, b) => a.id - b.id);
    case 'reported':
      return table.map((w) => (w.id === event.id ? { ...w, state: event.state } : w));
    case 'exited':
      return table.filter((w) => w.id !== event.id);
  }
}
