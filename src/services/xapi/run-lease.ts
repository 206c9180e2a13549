import { insertIfNew } from '../../db/insert-once.js';
import type { ServiceContext } from '../context.js';

/**
 * The xAPI sender's run lease (#27, review 27-6): two senders at once (two app instances, or the
 * scheduler and `jobs:run --job xapi`) would read the same due rows and post them twice. A run
 * inserts `xapi-run:<its minute>` first (insert-once: exactly one of two racing runs gets it) and
 * deletes it when it ends, so the next run, even in the same minute, goes ahead. A run still
 * going from the previous minute also holds the new one off. A run that died keeps its lease
 * until the minute after next at most: nothing is stuck for longer than that. Every command is by
 * `_id` alone (what FerretDB v1 reads without a scan).
 */
const leaseId = (minute: Date) => `xapi-run:${minute.toISOString().slice(0, 16)}`;

export interface RunLease {
  release(): Promise<void>;
}

/** The lease for a run starting at `now`, or null when another run holds it. */
export async function claimRunLease(ctx: ServiceContext, now: Date): Promise<RunLease | null> {
  const marks = ctx.models.XapiMark;
  const mine = leaseId(now);
  if (!(await insertIfNew(marks, { _id: mine, at: now }))) return null;
  const release = async () => {
    await marks.deleteOne({ _id: mine });
  };
  if (await marks.findById(leaseId(new Date(now.getTime() - 60_000)), { _id: 1 }).lean()) {
    await release();
    return null;
  }
  return { release };
}
