import type { AuditEventDoc } from '../../db/models/audit-event.js';
import type { OutboxDoc } from '../../db/models/hr.js';
import type { AttemptDoc } from '../../db/models/quiz.js';
import type { SessionDoc } from '../../db/models/session.js';
import type { UserDoc } from '../../db/models/user.js';
import { shownAuditDetails } from '../../domain/audit-sentences.js';
import { NotFound } from '../../domain/errors.js';
import { sessionStartedAt } from '../../domain/retention.js';
import type { ServiceContext } from '../context.js';

/**
 * Everything the product holds about one person (GDPR Art. 15), read collection by collection.
 * Secrets are left out because they are not information about the person and would hand over
 * access: the password hash, session ids and session contents (only when each session started and
 * ends), sign-in throttle keys. Each list is the stored documents as they are (dates as ISO strings
 * in JSON), so the export stays complete when a model gains a field.
 */
export interface SubjectExport {
  format: 'lms-subject-export/1';
  generatedAt: Date;
  profile: Record<string, unknown>;
  assignments: unknown[];
  cycles: unknown[];
  lessonProgress: unknown[];
  lessonViews: unknown[];
  quizAttempts: unknown[];
  quizResults: unknown[];
  attestations: unknown[];
  certificates: unknown[];
  certificateRevocations: unknown[];
  feedback: unknown[];
  /** Example verdicts, practice answers and sessions, and the spaced-repetition memory per clause. */
  learningActivity: {
    classificationAnswers: unknown[];
    clauseAnswers: unknown[];
    practiceSessions: unknown[];
    clauseMemory: unknown[];
  };
  reminders: unknown[];
  /** Mails queued to the person's e-mail address; those they were only copied on, without the text. */
  mails: unknown[];
  sessions: Array<{ startedAt: Date | null; expiresAt: Date }>;
  /** Events about the person or done by them, with their personal part while it is kept. */
  auditEvents: unknown[];
}

/** The sections in the order the JSON and the PDF present them (the keys after format and date). */
export const EXPORT_SECTIONS = [
  'profile',
  'assignments',
  'cycles',
  'lessonProgress',
  'lessonViews',
  'quizAttempts',
  'quizResults',
  'attestations',
  'certificates',
  'certificateRevocations',
  'feedback',
  'learningActivity',
  'reminders',
  'mails',
  'sessions',
  'auditEvents',
] as const;

/** The profile without secrets, with the manager named (their id alone means nothing to the person). */
async function profileOf(ctx: ServiceContext, user: UserDoc): Promise<Record<string, unknown>> {
  const { _id, passwordHash: _secret, ...rest } = user;
  const manager = user.managerId
    ? await ctx.models.User.findById(user.managerId, { name: 1, email: 1 }).lean<
        Pick<UserDoc, 'name' | 'email'>
      >()
    : null;
  return {
    id: _id,
    ...rest,
    hasPassword: Boolean(user.passwordHash),
    manager: manager ? { id: user.managerId, name: manager.name, email: manager.email } : null,
  };
}

/** When each of the person's sessions started and ends; never the id (it would sign anyone in). */
async function sessionsOf(ctx: ServiceContext, userId: string) {
  const docs = await ctx.models.Session.find({ userId }, { expiresAt: 1, 'data.cookie.originalMaxAge': 1 })
    .sort({ expiresAt: 1 })
    .lean<Array<Pick<SessionDoc, 'expiresAt' | 'data'>>>();
  return docs.map((s) => {
    const maxAge = (s.data as { cookie?: { originalMaxAge?: unknown } } | undefined)?.cookie?.originalMaxAge;
    return { startedAt: sessionStartedAt(s.expiresAt, maxAge), expiresAt: s.expiresAt };
  });
}

/** The audit events about the person or by them, oldest first, without the chain's hashes and salt. */
async function auditEventsOf(ctx: ServiceContext, userId: string) {
  const docs = await ctx.models.AuditEvent.find(
    { $or: [{ subjectId: userId }, { actorId: userId }] },
    { prevHash: 0, hash: 0, salt: 0, personalDigest: 0 },
  )
    .sort({ _id: 1 })
    .lean<AuditEventDoc[]>();
  // An event the person did to someone else (HR editing a colleague) carries that colleague's
  // personal part: it is theirs, not this person's (GDPR Art. 15(4)), so only the action is shown.
  return docs.map(({ _id, personal, ...rest }) => {
    const event = { ...rest, details: shownAuditDetails(rest) };
    return rest.subjectId === userId || !personal
      ? { ...event, personal }
      : { ...event, personal: 'withheld: about another person' };
  });
}

/**
 * An attempt still open keeps its questions, options and saved answers on the server until it is
 * graded (issue #21), even from HR's export: only that it exists, and when it started.
 */
function exportedAttempt(a: AttemptDoc) {
  if (a.status !== 'open') return a;
  const { _id, courseId, cycleId, n, status, startedAt } = a;
  return { _id, courseId, cycleId, n, status, startedAt, questions: 'withheld until the attempt is graded' };
}

/** Mails to the person whole; mails they were only copied on (a report's reminder) are about someone else. */
async function mailsOf(ctx: ServiceContext, email: string) {
  const docs = await ctx.models.Outbox.find({ $or: [{ to: email }, { cc: email }] })
    .sort({ createdAt: 1 })
    .lean<OutboxDoc[]>();
  return docs.map((m) =>
    m.to.includes(email)
      ? m
      : { _id: m._id, kind: m.kind, subject: m.subject, createdAt: m.createdAt, copiedOnly: true },
  );
}

/** Reads every collection that holds something about `userId`. */
export async function collectSubjectData(
  ctx: ServiceContext,
  input: { userId: string; now: Date },
): Promise<{ user: UserDoc; data: SubjectExport }> {
  const { models } = ctx;
  const { userId } = input;
  const user = await models.User.findById(userId).lean<UserDoc>();
  if (!user) throw new NotFound('privacy.errors.noPerson');
  const mine = { userId };
  const byId = { _id: 1 } as const;
  const [assignments, cycles, lessonProgress, lessonViews, quizAttempts, quizResults] = await Promise.all([
    models.Assignment.find(mine).sort(byId).lean(),
    models.Cycle.find(mine).sort(byId).lean(),
    models.Progress.find(mine).sort(byId).lean(),
    models.LessonView.find(mine).sort(byId).lean(),
    models.Attempt.find(mine).sort(byId).lean<AttemptDoc[]>(),
    models.AttemptResult.find(mine).sort(byId).lean(),
  ]);
  const [attestations, certificates, certificateRevocations, feedback, reminders] = await Promise.all([
    models.Attestation.find(mine).sort(byId).lean(),
    models.Certificate.find(mine).sort(byId).lean(),
    models.CertificateRevocation.find(mine).sort(byId).lean(),
    models.PolicyFeedback.find(mine).sort(byId).lean(),
    models.Reminder.find(mine).sort(byId).lean(),
  ]);
  const [classificationAnswers, clauseAnswers, practiceSessions, clauseMemory] = await Promise.all([
    models.ClassificationAnswer.find(mine).sort(byId).lean(),
    models.ClauseAnswer.find(mine).sort(byId).lean(),
    models.PracticeSession.find(mine).sort(byId).lean(),
    models.ClauseMemory.find(mine).sort(byId).lean(),
  ]);
  const data: SubjectExport = {
    format: 'lms-subject-export/1',
    generatedAt: input.now,
    profile: await profileOf(ctx, user),
    assignments,
    cycles,
    lessonProgress,
    lessonViews,
    quizAttempts: quizAttempts.map(exportedAttempt),
    quizResults,
    attestations,
    certificates,
    certificateRevocations,
    feedback,
    learningActivity: { classificationAnswers, clauseAnswers, practiceSessions, clauseMemory },
    reminders,
    mails: await mailsOf(ctx, user.email),
    sessions: await sessionsOf(ctx, userId),
    auditEvents: await auditEventsOf(ctx, userId),
  };
  return { user, data };
}
