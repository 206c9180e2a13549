import { insertManyOnce } from '../../db/insert-once.js';
import type { UserDoc } from '../../db/models/user.js';
import { XAPI_CONFIG_ID, type XapiConfigDoc, type XapiOutboxDoc } from '../../db/models/xapi.js';
import type { LearningEvent } from '../../domain/xapi/events.js';
import { statementFor } from '../../domain/xapi/statements.js';
import type { ServiceContext } from '../context.js';
import { countQueued } from './backlog-summary.js';

/** Failed queueings per context (a process has one app context), for the admin page and /metrics. */
const failures = new WeakMap<object, number>();

export function recordFailures(ctx: ServiceContext): number {
  return failures.get(ctx.models) ?? 0;
}

/**
 * The LRS setting as this process last read it, per app (its models), with the request time it
 * was read at. The hooks run on learners' hot requests, so "off" must cost almost no database
 * command: saveSettings forgets it at once in this process. Another process sees sending turned
 * on within OFF_KEPT_MS (events in between are not queued, so that wait is kept short: one read
 * per 5 s) and a change to an "on" setting within ON_KEPT_MS (nothing is lost meanwhile: the
 * sender reads the setting itself; only the actor form may lag). Those waits only cover a failing
 * change feed: another instance's save reaches this one within a second (saveSettings announces it,
 * plugins/change-feed.ts forgets the copy), so sending turned off, or the learner no longer named by
 * e-mail, stops being queued everywhere at once.
 */
const configs = new WeakMap<object, { config: XapiConfigDoc | null; readAt: number }>();
export const OFF_KEPT_MS = 5_000;
export const ON_KEPT_MS = 60_000;

export function forgetXapiConfig(ctx: Pick<ServiceContext, 'models'>): void {
  configs.delete(ctx.models);
}

async function currentConfig(ctx: ServiceContext, now: Date): Promise<XapiConfigDoc | null> {
  const kept = configs.get(ctx.models);
  const keptFor = kept?.config?.enabled ? ON_KEPT_MS : OFF_KEPT_MS;
  if (kept && now.getTime() - kept.readAt >= 0 && now.getTime() - kept.readAt < keptFor) return kept.config;
  const config = await ctx.models.XapiConfig.findById(XAPI_CONFIG_ID).lean<XapiConfigDoc>();
  configs.set(ctx.models, { config, readAt: now.getTime() });
  return config;
}

/**
 * Queues the xAPI statement for a learning event (#27): nothing when sending is off; else the
 * statement (domain/xapi/statements.ts) goes into `xapi_outbox` under its own id, inserted once,
 * so a repeated request or a replayed hook adds nothing. No network here: the sender job posts
 * it later, so an unreachable LRS never slows or fails the learner's page. Never throws: a failed
 * insert is logged and counted, and the learner's action stands.
 */
export function recordLearningEvent(ctx: ServiceContext, event: LearningEvent, now: Date): Promise<void> {
  return recordLearningEvents(ctx, [event], now);
}

/**
 * Several events of one request (a graded attempt's answers and result): one write, and one person
 * read only when learners are identified by e-mail (by account the statement needs the id alone).
 */
export async function recordLearningEvents(
  ctx: ServiceContext,
  events: readonly LearningEvent[],
  now: Date,
): Promise<void> {
  try {
    const config = await currentConfig(ctx, now);
    if (!config?.enabled || events.length === 0) return;
    const people = new Map<string, Pick<UserDoc, '_id' | 'email' | 'name'> | null>();
    if (config.actor === 'mbox')
      for (const userId of new Set(events.map((e) => e.userId)))
        people.set(userId, await ctx.models.User.findById(userId, { email: 1, name: 1 }).lean());
    const rows = events.map((event): XapiOutboxDoc => {
      const person = people.get(event.userId);
      const statement = statementFor(event, {
        baseUrl: ctx.baseUrl,
        actor: config.actor,
        person: { id: event.userId, email: person?.email, name: person?.name },
        course: ctx.courses.get(event.courseId),
      });
      return {
        _id: statement.id,
        statement: statement as unknown as Record<string, unknown>,
        userId: event.userId,
        kind: event.kind,
        status: 'pending',
        attempts: 0,
        nextAttemptAt: now,
        createdAt: now,
        lastError: '',
        rejection: null,
      };
    });
    // Counted only as far as the insert really inserted (a repeated event adds nothing).
    const inserted = await insertManyOnce(ctx.models.XapiOutbox, rows);
    await countQueued(ctx, inserted.size, now);
  } catch (err) {
    failures.set(ctx.models, recordFailures(ctx) + events.length);
    const kinds = events.map((e) => ({ kind: e.kind, key: e.key }));
    ctx.log?.error({ err, events: kinds }, 'xAPI statement not queued');
  }
}
