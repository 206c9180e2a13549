import { driverCollection } from '../../db/driver-collection.js';
import type { AuditEventDoc } from '../../db/models/audit-event.js';
import type { Models } from '../../db/models/index.js';
import type { UserDoc } from '../../db/models/user.js';
import { personWritten } from '../../db/people-directory.js';
import { sessionsRepository } from '../../db/session-store.js';
import { holdsPersonalDetails } from '../../domain/audit-personal.js';
import { Conflict, NotFound } from '../../domain/errors.js';
import { pseudonymFor } from '../../domain/retention.js';
import type { ServiceContext } from '../context.js';
import { recountXapiBacklog } from '../xapi/backlog-summary.js';
import type { ErasePersonInput, ErasureResult } from './erase.js';
import { eraseCopies } from './erase-copies.js';

type Counts = Record<string, number>;
type Pseudonym = ReturnType<typeof pseudonymFor>;

/** The person's own document: a pseudonym for the name and e-mail, every other identifier gone. */
async function pseudonymisePerson(models: Models, user: UserDoc, p: Pseudonym, now: Date): Promise<UserDoc> {
  const after = await models.User.findOneAndUpdate(
    { _id: user._id },
    {
      $set: {
        name: p.name,
        email: p.email,
        active: false,
        hireDate: null,
        externalId: null,
        leftAt: user.leftAt ?? now,
        erasedAt: now,
        updatedAt: now,
      },
      $unset: { employeeId: 1, passwordHash: 1, ssoSubject: 1 },
    },
    { returnDocument: 'after', timestamps: false },
  ).lean<UserDoc>();
  if (!after) throw new NotFound('privacy.errors.noPerson');
  await personWritten(models, after);
  return after;
}

/** Copies of the name and e-mail (assignments, action lists, certificates) and what the person typed or sent. */
async function stripRecords(ctx: ServiceContext, user: UserDoc, p: Pseudonym, now: Date): Promise<Counts> {
  const { models } = ctx;
  const userId = user._id;
  const changed = (r: { modifiedCount: number }) => r.modifiedCount;
  const deleted = (r: { deletedCount: number }) => r.deletedCount;
  const [assignments, attestations, certificates, attempts, results, outbox] = await Promise.all([
    models.Assignment.updateMany({ userId }, { $set: { name: p.name, email: p.email, active: false } }).then(
      changed,
    ),
    models.Attestation.updateMany({ userId }, { $set: { typedName: '', ip: '', userAgent: '' } }).then(
      changed,
    ),
    models.Certificate.updateMany({ userId }, { $set: { name: p.name } }).then(changed),
    models.Attempt.updateMany({ userId }, { $set: { answers: {}, answersErasedAt: now } }).then(changed),
    models.AttemptResult.updateMany({ userId }, { $set: { answers: {}, answersErasedAt: now } }).then(
      changed,
    ),
    models.Outbox.deleteMany({ $or: [{ to: user.email }, { cc: user.email }] }).then(deleted),
  ]);
  const [classification, clause, practice, memory, feedback, loginKeys, externalIds, xapi] =
    await Promise.all([
      models.ClassificationAnswer.deleteMany({ userId }).then(deleted),
      models.ClauseAnswer.deleteMany({ userId }).then(deleted),
      models.PracticeSession.deleteMany({ userId }).then(deleted),
      models.ClauseMemory.deleteMany({ userId }).then(deleted),
      models.PolicyFeedback.deleteMany({ userId }).then(deleted),
      models.LoginKey.deleteMany({ userId }).then(deleted),
      models.ScimExternalId.deleteMany({ userId }).then(deleted),
      // xAPI statements naming the person (#27) not yet sent or refused (sent ones are deleted at
      // once): the LRS's copies are the customer's to erase.
      models.XapiOutbox.deleteMany({ userId }).then(deleted),
    ]);
  return {
    users: 1,
    login_keys: loginKeys,
    assignments,
    attestations,
    certificates,
    quiz_attempts: attempts,
    quiz_attempt_results: results,
    classification_answers: classification,
    clause_answers: clause,
    practice_sessions: practice,
    clause_memory: memory,
    policy_feedback: feedback,
    scim_external_ids: externalIds,
    // The backlog summary counted them: counted again (a scan of the small outbox, at an erasure).
    xapi_outbox: xapi > 0 ? await recountXapiBacklog(ctx, { now }).then(() => xapi) : xapi,
    outbox,
    sessions: await sessionsRepository(models).endSessionsOf(userId),
    ...(await eraseCopies(models, user, p)),
  };
}

/**
 * The person's audit events: each personal part (and its salt) is deleted, its digest stays in the
 * hash, so the chain verifies as before. Events written before commitments hold any personal detail
 * inside their hash: removing it would break the chain, so they are kept and counted.
 */
async function erasePersonalAuditParts(models: Models, userId: string, now: Date) {
  const cursor = driverCollection(models.AuditEvent).find<
    Pick<AuditEventDoc, '_id' | 'action' | 'details' | 'personal' | 'personalDigest'>
  >({ subjectId: userId }, { projection: { action: 1, details: 1, personal: 1, personalDigest: 1 } });
  const erase: string[] = [];
  let kept = 0;
  for await (const e of cursor) {
    if (e.personal) erase.push(e._id);
    else if (!e.personalDigest && holdsPersonalDetails(e.action, e.details ?? {})) kept += 1;
  }
  for (let i = 0; i < erase.length; i += 500) {
    await models.AuditEvent.updateMany(
      { _id: { $in: erase.slice(i, i + 500) } },
      { $unset: { personal: 1, salt: 1 }, $set: { personalErasedAt: now } },
    );
  }
  return { erased: erase.length, kept };
}

/** The erasure itself, without the duty check (erase.ts decides whether it may run). */
export async function erasePersonNow(ctx: ServiceContext, input: ErasePersonInput): Promise<ErasureResult> {
  const { models } = ctx;
  const user = await models.User.findById(input.userId).lean<UserDoc>();
  if (!user) throw new NotFound('privacy.errors.noPerson');
  if (user.erasedAt)
    throw new Conflict('privacy.errors.alreadyErased', { day: user.erasedAt.toISOString().slice(0, 10) });
  const pseudonym = pseudonymFor(user._id);
  // The person's own document last: `erasedAt` marks the erasure done, so a run that stopped
  // half-way (a crash) is simply run again; every step before it can be repeated.
  const counts = await stripRecords(ctx, user, pseudonym, input.now);
  const audit = await erasePersonalAuditParts(models, user._id, input.now);
  await pseudonymisePerson(models, user, pseudonym, input.now);
  const auditSeq = await ctx.audit.append(
    {
      actorId: input.actorId,
      action: 'person.erased',
      targetType: 'user',
      targetId: user._id,
      subjectId: user._id,
      details: {
        reason: input.reason,
        ...(input.reason === 'retention' ? { rule: 'records-after-leaving' } : {}),
        counts,
        auditEventsErased: audit.erased,
        auditEventsKept: audit.kept,
      },
    },
    input.now,
  );
  return {
    userId: user._id,
    pseudonym: pseudonym.name,
    counts,
    auditEventsErased: audit.erased,
    auditEventsKept: audit.kept,
    auditSeq,
  };
}
