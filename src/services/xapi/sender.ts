import { randomUUID } from 'node:crypto';
import type { XapiOutboxDoc } from '../../db/models/xapi.js';
import { type DeliveryOutcome, deliveryOutcome, nextAttemptAt } from '../../domain/xapi/delivery.js';
import type { ServiceContext } from '../context.js';
import { type LrsConnection, lrsConnection } from './settings.js';

/** Statements per POST: small enough for any LRS's body limit, large enough for a busy hour. */
export const BATCH_SIZE = 50;
/** Batches per run: a long backlog drains over several runs, in turn with the other jobs. */
export const MAX_BATCHES_PER_RUN = 20;
const TIMEOUT_MS = 15_000;
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
    });
    return { status: res.status, body: (await res.text()).slice(0, ANSWER_KEPT) };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    return { status: null, body: e.cause?.code ?? e.cause?.message ?? e.message };
  }
}

type Row = Pick<XapiOutboxDoc, '_id' | 'statement' | 'attempts'>;

/** Writes one delivery's outcome onto the rows it covered. */
async function settle(ctx: ServiceContext, rows: Row[], outcome: DeliveryOutcome, answer: Answer, now: Date) {
  const ids = rows.map((r) => r._id);
  if (outcome === 'sent') {
    await ctx.models.XapiOutbox.updateMany(
      { _id: { $in: ids } },
      { $set: { status: 'sent', sentAt: now, lastError: '' } },
    );
    return;
  }
  if (outcome === 'rejected') {
    const rejection = { status: answer.status ?? 0, body: answer.body };
    await ctx.models.XapiOutbox.updateMany(
      { _id: { $in: ids } },
      { $set: { status: 'rejected', rejection } },
    );
    return;
  }
  const lastError =
    answer.status === null ? answer.body : `${answer.status} ${answer.body}`.slice(0, ANSWER_KEPT);
  for (const row of rows) {
    const attempts = row.attempts + 1;
    await ctx.models.XapiOutbox.updateOne(
      { _id: row._id },
      { $set: { attempts, nextAttemptAt: nextAttemptAt(attempts, now), lastError } },
    );
  }
}

/**
 * A batch the LRS refused as a whole (one statement it already has: 409; one it will not take:
 * 4xx) is sent again one statement at a time, so each gets its own outcome. Stops at the first
 * statement to retry (the LRS went away): the rest keep their turn for the next run.
 */
async function oneByOne(
  ctx: ServiceContext,
  conn: LrsConnection,
  rows: Row[],
  now: Date,
  report: XapiSendReport,
) {
  for (const [i, row] of rows.entries()) {
    const answer = await post(conn, [row.statement]);
    const outcome = deliveryOutcome(answer.status);
    await settle(ctx, [row], outcome, answer, now);
    if (outcome === 'retry') {
      report.retrying += rows.length - i;
      return false;
    }
    report[outcome === 'sent' ? 'sent' : 'rejected'] += 1;
  }
  return true;
}

/**
 * Sends the outbox's due statements to the LRS (#27), oldest first, in POSTs of up to BATCH_SIZE.
 * Stored: the rows are marked sent. Unreachable, 5xx, throttled or credentials refused: every row
 * of the batch waits longer (domain/xapi/delivery.ts) and the run stops, so a down LRS gets one
 * request a run. Runs on XAPI_SCHEDULE and with `jobs:run --job xapi`.
 */
export async function sendXapiBatch(ctx: ServiceContext, input: { now: Date }): Promise<XapiSendReport> {
  const report: XapiSendReport = { ran: false, batches: 0, attempted: 0, sent: 0, rejected: 0, retrying: 0 };
  const conn = await lrsConnection(ctx);
  if (!conn) return report;
  report.ran = true;
  for (let b = 0; b < MAX_BATCHES_PER_RUN; b++) {
    const rows = await ctx.models.XapiOutbox.find(
      { status: 'pending', nextAttemptAt: { $lte: input.now } },
      { statement: 1, attempts: 1 },
    )
      .sort({ nextAttemptAt: 1, _id: 1 })
      .limit(BATCH_SIZE)
      .lean<Row[]>();
    if (rows.length === 0) break;
    report.batches += 1;
    report.attempted += rows.length;
    const answer = await post(
      conn,
      rows.map((r) => r.statement),
    );
    const outcome = deliveryOutcome(answer.status);
    if (outcome === 'retry') {
      await settle(ctx, rows, outcome, answer, input.now);
      report.retrying += rows.length;
      break;
    }
    if (answer.status === 409 || (outcome === 'rejected' && rows.length > 1)) {
      if (!(await oneByOne(ctx, conn, rows, input.now, report))) break;
      continue;
    }
    await settle(ctx, rows, outcome, answer, input.now);
    report[outcome === 'sent' ? 'sent' : 'rejected'] += rows.length;
  }
  return report;
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
