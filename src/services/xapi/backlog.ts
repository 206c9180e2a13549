import type { XapiOutboxDoc } from '../../db/models/xapi.js';
import type { ServiceContext } from '../context.js';
import { recordFailures } from './record.js';

export interface XapiBacklog {
  pending: number;
  rejected: number;
  /** When the oldest statement still waiting was queued; null when none waits. */
  oldestPendingAt: Date | null;
  /** Statements that could not be queued since the app started (logged each time). */
  notQueued: number;
}

/** What waits in the xAPI outbox, for the admin page and the /metrics gauges. */
export async function xapiBacklog(
  ctx: ServiceContext,
  _input: Record<string, never> = {},
): Promise<XapiBacklog> {
  const outbox = ctx.models.XapiOutbox;
  const [pending, rejected, oldest] = await Promise.all([
    outbox.countDocuments({ status: 'pending' }),
    outbox.countDocuments({ status: 'rejected' }),
    outbox
      .findOne({ status: 'pending' }, { createdAt: 1 })
      .sort({ createdAt: 1 })
      .lean<Pick<XapiOutboxDoc, 'createdAt'>>(),
  ]);
  return { pending, rejected, oldestPendingAt: oldest?.createdAt ?? null, notQueued: recordFailures(ctx) };
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
