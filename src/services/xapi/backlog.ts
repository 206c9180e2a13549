import type { XapiOutboxDoc } from '../../db/models/xapi.js';
import type { ServiceContext } from '../context.js';
import { readBacklogSummary } from './backlog-summary.js';
import { recordFailures } from './record.js';

export interface XapiBacklog {
  pending: number;
  rejected: number;
  /** When the oldest statement still waiting was queued; null when none waits. */
  oldestPendingAt: Date | null;
  /** Statements that could not be queued since the app started (logged each time). */
  notQueued: number;
  /** Statements the LRS took this UTC day, and in the 7 days ending today (the day marks). */
  sentToday: number;
  sentLast7Days: number;
}

const DAY_MS = 86_400_000;

/**
 * What waits in the xAPI outbox, and what the LRS took lately, for the admin page and the
 * /metrics gauges: the outbox's summary document and the week's day marks, never the outbox
 * itself (it grows with every learner event while the LRS is down; backlog-summary.ts).
 */
export async function xapiBacklog(ctx: ServiceContext, input: { now: Date }): Promise<XapiBacklog> {
  const days = Array.from({ length: 7 }, (_, i) =>
    new Date(input.now.getTime() - i * DAY_MS).toISOString().slice(0, 10),
  );
  const [summary, marks] = await Promise.all([
    readBacklogSummary(ctx, input.now),
    ctx.models.XapiMark.find({ _id: { $in: days.map((d) => `xapi_sent:${d}`) } }, { sent: 1 }).lean(),
  ]);
  const pending = Math.max(0, summary.pending ?? 0);
  const backlog: XapiBacklog = {
    pending,
    rejected: Math.max(0, summary.rejected ?? 0),
    oldestPendingAt: pending > 0 ? (summary.oldestPendingAt ?? null) : null,
    notQueued: recordFailures(ctx),
    sentToday: 0,
    sentLast7Days: 0,
  };
  for (const mark of marks) {
    backlog.sentLast7Days += mark.sent ?? 0;
    if (mark._id === `xapi_sent:${days[0]}`) backlog.sentToday = mark.sent ?? 0;
  }
  return backlog;
}

export interface RejectedStatement {
  id: string;
  kind: string;
  createdAt: Date;
  status: number;
  answer: string;
}

/** The latest statements the LRS refused, with its answer, for the admin page. */
export async function rejectedStatements(
  ctx: ServiceContext,
  input: { limit: number },
): Promise<RejectedStatement[]> {
  const rows = await ctx.models.XapiOutbox.find(
    { status: 'rejected' },
    { kind: 1, createdAt: 1, rejection: 1 },
  )
    .sort({ createdAt: -1 })
    .limit(input.limit)
    .lean<Array<Pick<XapiOutboxDoc, '_id' | 'kind' | 'createdAt' | 'rejection'>>>();
  return rows.map((r) => ({
    id: r._id,
    kind: r.kind,
    createdAt: r.createdAt,
    status: r.rejection?.status ?? 0,
    answer: r.rejection?.body ?? '',
  }));
}
