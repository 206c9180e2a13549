import { insertIfNew } from '../../db/insert-once.js';
import type { XapiOutboxDoc } from '../../db/models/xapi.js';
import type { ServiceContext } from '../context.js';

/**
 * The outbox's summary document (#27, review 27-5): how many statements wait and how many the LRS
 * refused, and since when the oldest waits, kept in `xapi_marks` under one `_id` so the admin page,
 * every /metrics scrape and the sender read it without touching the outbox (FerretDB v1 scans for
 * anything but an exact `_id`, and the outbox grows with every learner event while the LRS is
 * down). Moved with `$inc` by whoever changes a row's status. It drifts: a crash between the row's
 * write and the `$inc`, and racing learners (FerretDB v1's `$inc` is not atomic: measured, 50
 * statements queued at once left 42 to 44 counted). So a sender run that read the waiting rows
 * stores their exact count (storeNextDue), and the nightly job recounts everything (recountXapiBacklog).
 */
export const BACKLOG_ID = 'xapi_backlog';

export interface BacklogSummaryDoc {
  _id: string;
  at: Date;
  pending?: number;
  rejected?: number;
  /**
   * The oldest waiting row's createdAt, exact after a sender run that read the outbox; between
   * runs a lower bound (a requeued row's $min). Absent when none waits.
   */
  oldestPendingAt?: Date;
  /**
   * No waiting row is due before this, but for rows that left the QUEUED_ID mark: the sender reads
   * nothing before it unless the mark is there. Set by the sender; lowered (`$min`) by every
   * queueing or requeueing, which also moves `dueVersion`, so a sender that read the outbox before
   * them usually leaves it (FerretDB v1's filtered update can still overwrite it: the mark covers that).
   */
  nextDueAt?: Date;
  dueVersion?: number;
}

/**
 * The "queued since the last run" mark (review 31-1): inserted under this `_id` by every queueing
 * or requeueing after its row is written (a duplicate when it is there already), deleted by a
 * sender run before it reads the outbox, and read by `_id` by a run the summary would skip. The
 * summary's nextDueAt is a filtered update's result, and FerretDB v1 reads then writes those, so a
 * run's "never" can overwrite a learner's `$min` that landed in between; a unique insert and a
 * delete by `_id` cannot be lost that way. A row written before a run's delete is in that run's
 * read of the outbox; a row written after it leaves a mark the next run sees. So a queued
 * statement waits at most one run, whatever the summary says.
 */
export const QUEUED_ID = 'xapi_queued';

/** "Nothing waits": no row is due before the end of time, until one is queued. */
export const NEVER = new Date('9999-12-31T00:00:00Z');

/**
 * The summary as stored; never written yet (an outbox from before the summary, or a restored
 * one): counted once now.
 */
export async function readBacklogSummary(ctx: ServiceContext, now: Date): Promise<BacklogSummaryDoc> {
  const doc = await ctx.models.XapiMark.findById(BACKLOG_ID).lean<BacklogSummaryDoc>();
  if (doc) return doc;
  const counted = await recountXapiBacklog(ctx, { now });
  return { _id: BACKLOG_ID, at: now, ...counted };
}

/**
 * Leaves the "queued since the last run" mark (a unique insert: a mark already there is fine). Also
 * how a sender run that failed after taking the mark gives it back (review 31b-2).
 */
export async function markQueued(ctx: ServiceContext, at: Date): Promise<void> {
  await insertIfNew(ctx.models.XapiMark, { _id: QUEUED_ID, at });
}

/** Whether a row was queued or requeued since the last sender run took the mark (one read by `_id`). */
export async function queuedSinceLastRun(ctx: ServiceContext): Promise<boolean> {
  return (await ctx.models.XapiMark.findById(QUEUED_ID, { _id: 1 }).lean()) !== null;
}

/** A sender run takes the mark before it reads the outbox: rows queued from now on leave a new one. */
export async function takeQueuedMark(ctx: ServiceContext): Promise<void> {
  await ctx.models.XapiMark.deleteOne({ _id: QUEUED_ID });
}

/** Statements newly queued (only those an insert really inserted), waiting since `queuedAt`. */
export async function countQueued(ctx: ServiceContext, count: number, queuedAt: Date): Promise<void> {
  if (count <= 0) return;
  await markQueued(ctx, queuedAt);
  await ctx.models.XapiMark.updateOne(
    { _id: BACKLOG_ID },
    {
      $inc: { pending: count, dueVersion: 1 },
      $min: { oldestPendingAt: queuedAt, nextDueAt: queuedAt },
      $set: { at: queuedAt },
    },
    { upsert: true },
  );
}

/**
 * Rows that left a status: `pending` and `rejected` are the changes (negative: fewer). When
 * nothing waits any more the oldest time goes (only if still nothing waits: a row queued meanwhile
 * keeps it).
 */
export async function countMoved(
  ctx: ServiceContext,
  change: { pending?: number; rejected?: number; oldestPendingAt?: Date },
  now: Date,
): Promise<void> {
  const inc = { pending: change.pending ?? 0, rejected: change.rejected ?? 0 };
  if (inc.pending === 0 && inc.rejected === 0) return;
  const marks = ctx.models.XapiMark;
  const update: Record<string, unknown> = { $inc: inc, $set: { at: now } };
  // A requeued row is due now: the sender must read again.
  if (change.oldestPendingAt) {
    await markQueued(ctx, now);
    update.$min = { oldestPendingAt: change.oldestPendingAt, nextDueAt: now };
    update.$inc = { ...inc, dueVersion: 1 };
  }
  const after = await marks
    .findOneAndUpdate({ _id: BACKLOG_ID }, update, { upsert: true, returnDocument: 'after' })
    .lean<BacklogSummaryDoc>();
  if (inc.pending < 0 && (after?.pending ?? 0) <= 0)
    await marks.updateOne({ _id: BACKLOG_ID, pending: { $lte: 0 } }, { $unset: { oldestPendingAt: 1 } });
}

/**
 * Counts the outbox again and stores the exact summary: one scan, once a day by the nightly job
 * (and after an erasure deleted rows by person). Heals any drift the `$inc`s left.
 */
export async function recountXapiBacklog(
  ctx: ServiceContext,
  input: { now: Date },
): Promise<{ pending: number; rejected: number; oldestPendingAt?: Date }> {
  const rows = await ctx.models.XapiOutbox.find({}, { status: 1, createdAt: 1 }).lean<
    Array<Pick<XapiOutboxDoc, 'status' | 'createdAt'>>
  >();
  let pending = 0;
  let rejected = 0;
  let oldest: Date | null = null;
  for (const row of rows) {
    if (row.status === 'rejected') rejected += 1;
    if (row.status !== 'pending') continue;
    pending += 1;
    if (!oldest || row.createdAt < oldest) oldest = row.createdAt;
  }
  // The next due time is left to the sender's next run (it reads the outbox once, then knows).
  const unset: Record<string, 1> = { nextDueAt: 1 };
  if (!oldest) unset.oldestPendingAt = 1;
  await ctx.models.XapiMark.updateOne(
    { _id: BACKLOG_ID },
    {
      $set: { at: input.now, pending, rejected, ...(oldest ? { oldestPendingAt: oldest } : {}) },
      $unset: unset,
    },
    { upsert: true },
  );
  return { pending, rejected, ...(oldest ? { oldestPendingAt: oldest } : {}) };
}

/**
 * Stores when the next waiting row is due, since when the oldest waits and how many wait, as a run
 * that read the outbox found them (heals the `$inc`s' drift within a run), unless a row was queued
 * or requeued since that run read the summary (its dueVersion moved: their counts and lower bounds
 * stay, and the next run stores the count). That guard is a filtered update, not atomic on
 * FerretDB v1: a queueing in between can be overwritten (the summary then says none waits until
 * the next run). Only the counts rely on it; the queued row's own mark (QUEUED_ID) makes the next
 * run read the outbox.
 */
export async function storeNextDue(
  ctx: ServiceContext,
  read: BacklogSummaryDoc,
  nextDueAt: Date,
  waiting: { oldestPendingAt: Date | null; pending: number },
): Promise<void> {
  const { oldestPendingAt, pending } = waiting;
  const version = read.dueVersion === undefined ? { $exists: false } : read.dueVersion;
  const update = oldestPendingAt
    ? { $set: { nextDueAt, oldestPendingAt, pending } }
    : { $set: { nextDueAt, pending }, $unset: { oldestPendingAt: 1 } };
  await ctx.models.XapiMark.updateOne({ _id: BACKLOG_ID, dueVersion: version }, update);
}
