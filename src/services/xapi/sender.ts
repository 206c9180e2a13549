import { randomUUID } from 'node:crypto';
import type { XapiOutboxDoc } from '../../db/models/xapi.js';
import { type DeliveryOutcome, deliveryOutcome, nextAttemptAt } from '../../domain/xapi/delivery.js';
import type { ServiceContext } from '../context.js';
import {
  type BacklogSummaryDoc,
  countMoved,
  markQueued,
  NEVER,
  queuedSinceLastRun,
  readBacklogSummary,
  storeNextDue,
  takeQueuedMark,
} from './backlog-summary.js';
import { type LrsConnection, lrsConnection } from './settings.js';

/** Statements per POST: small enough for any LRS's body limit, large enough for a busy hour. */
export const BATCH_SIZE = 50;
/** Batches per run: a long backlog drains over several runs, in turn with the other jobs. */
export const MAX_BATCHES_PER_RUN = 20;
const TIMEOUT_MS = 15_000;
/**
 * No new POST after this long: with the POST timeout a run ends within a minute, so it keeps the
 * other jobs' turn short (the job lease, renewed while it runs, covers any length).
 */
const RUN_BUDGET_MS = 40_000;
/** How much of the LRS's answer is kept on a row for the admin. */
const ANSWER_KEPT = 2000;

export interface XapiSendReport {
  /** False when sending is off or not set up: nothing was read. */
  ran: boolean;
  batches: number;
  attempted: number;
  sent: number;
  rejected: number;
  /** Left pending for a later try (LRS unreachable, 5xx, throttled, credentials refused). */
  retrying: number;
}

interface Answer {
  status: number | null;
  body: string;
}

async function post(conn: LrsConnection, body: unknown): Promise<Answer> {
  try {
    const res = await fetch(`${conn.endpoint}statements`, {
      method: 'POST',
      headers: {
        authorization: conn.authorization,
        'content-type': 'application/json',
        'x-experience-api-version': '1.0.3',
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
      // Never to another address than the checked one (a redirect would carry the secret), and only
      // over connections the address rule allows, checked after DNS (services/xapi/lrs-guard.ts).
      redirect: 'error',
      dispatcher: conn.dispatcher,
    } as RequestInit); // Node's fetch takes an undici dispatcher; the DOM RequestInit type has no such field.
    return { status: res.status, body: (await res.text()).slice(0, ANSWER_KEPT) };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    return { status: null, body: e.cause?.code ?? e.cause?.message ?? e.message };
  }
}

type Row = XapiOutboxDoc;

/**
 * Writes one delivery's outcome onto the rows it covered, one command per row by `_id` (FerretDB
 * narrows nothing else, not even `_id: {$in}`: a scan of the outbox per batch).
 */
async function settle(ctx: ServiceContext, rows: Row[], outcome: DeliveryOutcome, answer: Answer, now: Date) {
  const outbox = ctx.models.XapiOutbox;
  if (outcome === 'sent') {
    // The LRS holds the statement now: the row goes, and the day's mark counts it. A crash before
    // the delete leaves the row pending: resent, answered 409 (sent), deleted then.
    let deleted = 0;
    for (const row of rows) deleted += (await outbox.deleteOne({ _id: row._id })).deletedCount;
    const day = now.toISOString().slice(0, 10);
    if (deleted > 0)
      await ctx.models.XapiMark.updateOne(
        { _id: `xapi_sent:${day}` },
        { $inc: { sent: deleted }, $set: { at: now } },
        { upsert: true },
      );
    await countMoved(ctx, { pending: -deleted }, now);
    return;
  }
  if (outcome === 'rejected') {
    const rejection = { status: answer.status ?? 0, body: answer.body };
    let moved = 0;
    for (const row of rows)
      moved += (
        await outbox.updateOne(
          { _id: row._id, status: 'pending' },
          { $set: { status: 'rejected', rejection } },
        )
      ).modifiedCount;
    await countMoved(ctx, { pending: -moved, rejected: moved }, now);
    return;
  }
  const lastError =
    answer.status === null ? answer.body : `${answer.status} ${answer.body}`.slice(0, ANSWER_KEPT);
  for (const row of rows) {
    const attempts = row.attempts + 1;
    await outbox.updateOne(
      { _id: row._id },
      { $set: { attempts, nextAttemptAt: nextAttemptAt(attempts, now), lastError } },
    );
  }
}

/**
 * The due rows in POSTs: fresh ones up to BATCH_SIZE together; a row that has failed twice goes
 * alone, so a statement the LRS keeps refusing (a 403 for it, a 5xx on its content) never holds
 * back the statements queued with it.
 */
export function batchesOf(rows: Row[]): Row[][] {
  const batches: Row[][] = [];
  let fresh: Row[] = [];
  for (const row of rows) {
    if (row.attempts >= 2) {
      batches.push([row]);
      continue;
    }
    fresh.push(row);
    if (fresh.length === BATCH_SIZE) {
      batches.push(fresh);
      fresh = [];
    }
  }
  if (fresh.length) batches.push(fresh);
  return batches;
}

/** Sends one batch and settles it; false when the LRS should not be asked again this run. */
async function sendBatch(
  ctx: ServiceContext,
  conn: LrsConnection,
  rows: Row[],
  now: Date,
  report: XapiSendReport,
  deadline: number,
  checkLease: () => void,
  gone: Set<string>,
): Promise<boolean> {
  if (performance.now() > deadline) return false;
  // A run that lost its job lease (another instance took over) posts nothing more.
  checkLease();
  report.batches += 1;
  report.attempted += rows.length;
  const answer = await post(
    conn,
    rows.map((r) => r.statement),
  );
  const outcome = deliveryOutcome(answer.status);
  // Refused as a whole (one statement it already has: 409; one it will not take: 4xx): again one
  // statement at a time, so each gets its own outcome.
  if (rows.length > 1 && (answer.status === 409 || outcome === 'rejected')) {
    report.batches -= 1;
    report.attempted -= rows.length;
    for (const row of rows)
      if (!(await sendBatch(ctx, conn, [row], now, report, deadline, checkLease, gone))) return false;
    return true;
  }
  await settle(ctx, rows, outcome, answer, now);
  // Sent or refused: no longer waiting (the run's summary of what waits leaves them out).
  if (outcome !== 'retry') for (const row of rows) gone.add(row._id);
  report[outcome === 'sent' ? 'sent' : outcome === 'rejected' ? 'rejected' : 'retrying'] += rows.length;
  return outcome !== 'retry';
}

type Waiting = Pick<Row, '_id' | 'nextAttemptAt' | 'attempts' | 'createdAt'>;
const byDue = (a: Waiting, b: Waiting) =>
  a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime() || a._id.localeCompare(b._id);

/**
 * Sends the outbox's due statements to the LRS (#27), in POSTs of up to BATCH_SIZE. Runs under the
 * job lease 'xapi' (scheduler, `jobs:run --job xapi`: one sender at a time across instances;
 * `checkLease` stops it before a POST once it lost the lease). The outbox grows with every learner
 * event while the LRS is down, and FerretDB scans it for anything but an `_id`, so:
 *  - the summary document (backlog-summary.ts) says when the next row is due at the earliest; a
 *    run before that reads only the "queued since the last run" mark by `_id` (an idle minute costs
 *    two reads by `_id`), and reads the outbox if it is there (the summary's due time is a filtered
 *    update's, which a racing queueing can lose on FerretDB v1; the mark is a unique insert);
 *  - else one read of the waiting rows' due times (small: no statement), then each batch's rows by
 *    `_id`, so a run that stops at the first failed POST reads 50 statements, not the backlog;
 *  - at the end the earliest due time left, the oldest waiting row's time and how many wait are stored, unless a
 *    row was queued or requeued meanwhile (its `dueVersion` moved, and in any case it left the mark:
 *    the next run reads again); a run that fails before that puts the mark back.
 * Stored: the row is deleted and counted in the day's `xapi_sent:<day>` mark. Unreachable, 5xx,
 * throttled or credentials refused: the batch's rows wait longer (domain/xapi/delivery.ts) and the
 * run stops, so a down LRS gets one request a run.
 */
export async function sendXapiBatch(
  ctx: ServiceContext,
  input: { now: Date; checkLease?: () => void },
): Promise<XapiSendReport> {
  const report: XapiSendReport = { ran: false, batches: 0, attempted: 0, sent: 0, rejected: 0, retrying: 0 };
  const conn = await lrsConnection(ctx);
  if (!conn) return report;
  report.ran = true;
  const { now } = input;
  const summary = await readBacklogSummary(ctx, now);
  const dueBySummary = !summary.nextDueAt || summary.nextDueAt.getTime() <= now.getTime();
  if (!dueBySummary && !(await queuedSinceLastRun(ctx))) return report;
  // Before the outbox is read: a row queued after this leaves a new mark for the next run.
  await takeQueuedMark(ctx);
  try {
    await sendDue(ctx, conn, summary, now, input.checkLease ?? (() => {}), report);
  } catch (err) {
    // No due time was stored (a lost lease, a database error): with the mark gone, a summary that
    // says "never" (the lost update the mark is for) would strand what waits until the nightly
    // recount. Given back, the next run reads the outbox.
    await markQueued(ctx, now).catch(() => {});
    throw err;
  }
  return report;
}

/** The run after the mark is taken: the due rows in batches, then the next due time stored. */
async function sendDue(
  ctx: ServiceContext,
  conn: LrsConnection,
  summary: BacklogSummaryDoc,
  now: Date,
  checkLease: () => void,
  report: XapiSendReport,
): Promise<void> {
  const deadline = performance.now() + RUN_BUDGET_MS;
  const waiting = await ctx.models.XapiOutbox.find(
    { status: 'pending' },
    { nextAttemptAt: 1, attempts: 1, createdAt: 1 },
  ).lean<Waiting[]>();
  const due = waiting.filter((r) => r.nextAttemptAt.getTime() <= now.getTime()).sort(byDue);
  const taken = due.slice(0, BATCH_SIZE * MAX_BATCHES_PER_RUN);
  const left = new Map(taken.map((r) => [r._id, r]));
  const gone = new Set<string>();
  for (const batch of batchesOf(taken as Row[])) {
    const rows: Row[] = [];
    for (const { _id } of batch) {
      const row = await ctx.models.XapiOutbox.findById(_id).lean<Row>();
      if (row?.status === 'pending') rows.push(row);
      else {
        left.delete(_id);
        gone.add(_id);
      }
    }
    if (rows.length === 0) continue;
    const goOn = await sendBatch(ctx, conn, rows, now, report, deadline, checkLease, gone);
    for (const row of rows) left.delete(row._id);
    if (!goOn) break;
  }
  // What still waits, as this run knows it exactly: when the next is due, and the oldest.
  const still = waiting.filter((r) => !gone.has(r._id));
  const oldest = still.reduce<Date | null>((o, r) => (!o || r.createdAt < o ? r.createdAt : o), null);
  await storeNextDue(ctx, summary, nextDueAfter(waiting, taken, left, report, now), {
    oldestPendingAt: oldest,
    pending: still.length,
  });
}

/**
 * The earliest time a waiting row is due after this run: now if a due row was left unsent (the
 * run stopped, or more were due than a run takes), else the earliest of the rows not due yet and
 * of the back-offs this run wrote (at least a minute: delivery.ts).
 */
function nextDueAfter(
  waiting: Waiting[],
  taken: Waiting[],
  left: Map<string, Waiting>,
  report: XapiSendReport,
  now: Date,
): Date {
  if (left.size > 0 || taken.length < waiting.filter((r) => r.nextAttemptAt <= now).length) return now;
  let earliest = report.retrying > 0 ? nextAttemptAt(1, now).getTime() : NEVER.getTime();
  for (const row of waiting)
    if (row.nextAttemptAt.getTime() > now.getTime())
      earliest = Math.min(earliest, row.nextAttemptAt.getTime());
  return new Date(earliest);
}

/** The admin's "send a test statement": one statement straight to the LRS, and its answer. */
export async function sendTestStatement(
  ctx: ServiceContext,
  input: { actorId: string; now: Date },
): Promise<{ configured: boolean; status: number | null; body: string }> {
  const conn = await lrsConnection(ctx);
  if (!conn) return { configured: false, status: null, body: '' };
  const base = ctx.baseUrl.replace(/\/+$/, '');
  const statement = {
    id: randomUUID(),
    actor: { objectType: 'Agent', account: { homePage: base, name: input.actorId } },
    verb: { id: 'http://adlnet.gov/expapi/verbs/experienced', display: { 'en-US': 'experienced' } },
    object: {
      objectType: 'Activity',
      id: `${base}/xapi/activities/lrs-test`,
      definition: { name: { 'en-US': 'LRS connection test' } },
    },
    timestamp: input.now.toISOString(),
  };
  const answer = await post(conn, [statement]);
  return { configured: true, ...answer };
}
