import { insertIfNew } from '../../db/insert-once.js';
import type { UserDoc } from '../../db/models/user.js';
import { XAPI_CONFIG_ID, type XapiConfigDoc, type XapiOutboxDoc } from '../../db/models/xapi.js';
import type { LearningEvent } from '../../domain/xapi/events.js';
import { statementFor } from '../../domain/xapi/statements.js';
import type { ServiceContext } from '../context.js';

/** Failed queueings per context (a process has one app context), for the admin page and /metrics. */
const failures = new WeakMap<object, number>();

export function recordFailures(ctx: ServiceContext): number {
  return failures.get(ctx.models) ?? 0;
}

/**
 * Queues the xAPI statement for a learning event (#27): nothing when sending is off; else the
 * statement (domain/xapi/statements.ts) goes into `xapi_outbox` under its own id, inserted once,
 * so a repeated request or a replayed hook adds nothing. No network here: the sender job posts
 * it later, so an unreachable LRS never slows or fails the learner's page. Never throws: a failed
 * insert is logged and counted, and the learner's action stands.
 */
export async function recordLearningEvent(
  ctx: ServiceContext,
  event: LearningEvent,
  now: Date,
): Promise<void> {
  try {
    const config = await ctx.models.XapiConfig.findById(XAPI_CONFIG_ID).lean<XapiConfigDoc>();
    if (!config?.enabled) return;
    const person = await ctx.models.User.findById(event.userId, { email: 1, name: 1 }).lean<
      Pick<UserDoc, '_id' | 'email' | 'name'>
    >();
    const statement = statementFor(event, {
      baseUrl: ctx.baseUrl,
      actor: config.actor,
      person: { id: event.userId, email: person?.email, name: person?.name },
      course: ctx.courses.get(event.courseId),
    });
    const row: XapiOutboxDoc = {
      _id: statement.id,
      statement: statement as unknown as Record<string, unknown>,
      userId: event.userId,
      kind: event.kind,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      createdAt: now,
      sentAt: null,
      lastError: '',
      rejection: null,
    };
    await insertIfNew(ctx.models.XapiOutbox, row);
  } catch (err) {
    failures.set(ctx.models, recordFailures(ctx) + 1);
    ctx.log?.error({ err, event: { kind: event.kind, key: event.key } }, 'xAPI statement not queued');
  }
}
