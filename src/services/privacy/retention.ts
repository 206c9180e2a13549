import { driverCollection } from '../../db/driver-collection.js';
import { RETENTION_SETTINGS_ID, type RetentionLastRun } from '../../db/models/privacy.js';
import type { SessionDoc } from '../../db/models/session.js';
import type { UserDoc } from '../../db/models/user.js';
import { sessionsRepository } from '../../db/session-store.js';
import {
  leaverExpired,
  leavingDay,
  type RetentionCutoffs,
  type RetentionRule,
  type RetentionSettings,
  retentionCutoffs,
  sessionStartedAt,
} from '../../domain/retention.js';
import type { ServiceContext } from '../context.js';
import { erasePersonNow } from './erase-steps.js';
import { loadRetentionSettings } from './settings.js';

/** What one retention run did: documents changed or deleted per rule and collection. */
export interface RetentionReport {
  settings: RetentionSettings;
  /** Inactive people without a leaving day, given the day they were last changed. */
  leftAtBackfilled: number;
  /** Leavers pseudonymised because the records period ran out. */
  erased: number;
  /** Leavers past the period left for the next runs (more than MAX_ERASURES_PER_RUN were due). */
  erasuresWaiting: number;
  rules: Record<RetentionRule, Record<string, number>>;
  /** The `retention.applied` audit event's sequence number. */
  auditSeq: number;
  ms: number;
}

/** Leavers pseudonymised per nightly run at most; the rest wait for the next nights. */
export const MAX_ERASURES_PER_RUN = 200;

/**
 * One query over the people not active and not yet erased: those without a leaving day (deactivated
 * before `leftAt` existed, or created inactive) get the day of their last change, and the period runs
 * from it; those past the records period are pseudonymised one by one (each erasure writes its own
 * audit event). FerretDB reads every person for it once a night, as the nightly's own pass does.
 */
async function applyRecordsRule(ctx: ServiceContext, settings: RetentionSettings, now: Date) {
  const users = driverCollection(ctx.models.User);
  const leavers = await users
    .find<Pick<UserDoc, '_id' | 'leftAt' | 'updatedAt'>>(
      { active: false, erasedAt: null },
      { projection: { leftAt: 1, updatedAt: 1 } },
    )
    .toArray();
  let backfilled = 0;
  const expired: string[] = [];
  for (const u of leavers) {
    const leftAt = leavingDay({ active: false, leftAt: u.leftAt, updatedAt: u.updatedAt });
    if (!u.leftAt) {
      await users.updateOne({ _id: u._id }, { $set: { leftAt } });
      backfilled += 1;
    }
    if (leaverExpired(leftAt, settings, now)) expired.push(u._id);
  }
  const totals: Record<string, number> = {};
  // Each erasure reads every collection that holds people's data (FerretDB uses no index but
  // `_id`): a first run on years of leavers is spread over nights instead of one long night.
  for (const userId of expired.slice(0, MAX_ERASURES_PER_RUN)) {
    const { counts } = await erasePersonNow(ctx, { userId, actorId: null, reason: 'retention', now });
    for (const [k, v] of Object.entries(counts)) totals[k] = (totals[k] ?? 0) + v;
  }
  const erased = Math.min(expired.length, MAX_ERASURES_PER_RUN);
  return { backfilled, erased, waiting: expired.length - erased, totals };
}

/**
 * Answer detail older than the cutoff: quiz answers submitted, or saved in an attempt started (an
 * abandoned open attempt too), and the verdict chosen on an example post. The score, the
 * per-question points and whether an example was answered right stay: clause memory is rebuilt
 * from them. Clause answers hold no answer detail (the item, its clauses, right or wrong, when).
 */
async function eraseOldAnswers(ctx: ServiceContext, cut: RetentionCutoffs, now: Date) {
  const { models } = ctx;
  const results = await models.AttemptResult.updateMany(
    { submittedAt: { $lt: cut.answersBefore }, answersErasedAt: { $exists: false } },
    { $set: { answers: {}, answersErasedAt: now } },
  );
  const attempts = await models.Attempt.updateMany(
    { startedAt: { $lt: cut.answersBefore }, answersErasedAt: { $exists: false } },
    { $set: { answers: {}, answersErasedAt: now } },
  );
  const examples = await models.ClassificationAnswer.updateMany(
    { at: { $lt: cut.answersBefore }, answer: { $exists: true } },
    { $unset: { answer: 1 } },
  );
  return {
    quiz_attempt_results: results.modifiedCount,
    quiz_attempts: attempts.modifiedCount,
    classification_answers: examples.modifiedCount,
  };
}

/** Sessions started before the cutoff (sessions do not roll: started = expiry − max age). */
async function deleteOldSessions(ctx: ServiceContext, cut: RetentionCutoffs, now: Date) {
  const sessions = driverCollection(ctx.models.Session);
  const cursor = sessions.find<Pick<SessionDoc, '_id' | 'expiresAt' | 'data'>>(
    {},
    { projection: { expiresAt: 1, 'data.cookie.originalMaxAge': 1 } },
  );
  const old: string[] = [];
  for await (const s of cursor) {
    const maxAge = (s.data as { cookie?: { originalMaxAge?: unknown } })?.cookie?.originalMaxAge;
    if (sessionStartedAt(s.expiresAt, maxAge) < cut.sessionsBefore) old.push(s._id);
  }
  let deleted = 0;
  for (let i = 0; i < old.length; i += 500)
    deleted += (await sessions.deleteMany({ _id: { $in: old.slice(i, i + 500) } })).deletedCount;
  // Expired ones go too (the nightly did this before retention settings existed).
  await sessionsRepository(ctx.models).deleteExpired(now);
  return { sessions: deleted };
}

/**
 * Applies every retention rule at `now` (the nightly job calls it once a day): backfills leaving
 * days, pseudonymises leavers past the records period, removes old quiz answers, deletes old sessions
 * and outbox mails, then writes one `retention.applied` audit event with the counts and the
 * settings applied, and no personal data.
 */
export async function applyRetention(ctx: ServiceContext, input: { now: Date }): Promise<RetentionReport> {
  const started = Date.now();
  const { now } = input;
  const settings = await loadRetentionSettings(ctx);
  const cut = retentionCutoffs(settings, now);
  const leavers = await applyRecordsRule(ctx, settings, now);
  const leftAtBackfilled = leavers.backfilled;
  const rules: RetentionReport['rules'] = {
    'records-after-leaving': leavers.totals,
    'quiz-answers': await eraseOldAnswers(ctx, cut, now),
    sessions: await deleteOldSessions(ctx, cut, now),
    outbox: {
      outbox: (await ctx.models.Outbox.deleteMany({ createdAt: { $lt: cut.outboxBefore } })).deletedCount,
      // xAPI statements (#27) name the learner. The outbox holds only what waits for the LRS or
      // was refused by it (a statement the LRS took is deleted at once): a refused one the admin
      // neither requeued nor discarded, or one still waiting (sending turned off, an LRS gone for
      // months), goes after the outbox period too. A small collection: the scan is cheap.
      xapi_outbox: (await ctx.models.XapiOutbox.deleteMany({ createdAt: { $lt: cut.outboxBefore } }))
        .deletedCount,
    },
  };
  const auditSeq = await ctx.audit.append(
    {
      actorId: null,
      action: 'retention.applied',
      targetType: 'retention',
      targetId: 'retention',
      subjectId: null,
      details: {
        settings: { ...settings },
        cutoffs: { ...cut },
        leftAtBackfilled,
        peopleErased: leavers.erased,
        erasuresWaiting: leavers.waiting,
        rules,
      },
    },
    now,
  );
  const lastRun: RetentionLastRun = {
    at: now,
    peopleErased: leavers.erased,
    answersRemoved: rules['quiz-answers'].quiz_attempt_results ?? 0,
    sessionsDeleted: rules.sessions.sessions ?? 0,
    outboxDeleted: rules.outbox.outbox ?? 0,
  };
  await ctx.models.RetentionSettings.updateOne(
    { _id: RETENTION_SETTINGS_ID },
    { $set: { lastRun } },
    { upsert: true },
  );
  return {
    settings,
    leftAtBackfilled,
    erased: leavers.erased,
    erasuresWaiting: leavers.waiting,
    rules,
    auditSeq,
    ms: Date.now() - started,
  };
}
