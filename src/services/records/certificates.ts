import { randomBytes } from 'node:crypto';
import { insertOnce } from '../../db/insert-once.js';
import { assignmentKey } from '../../db/keys.js';
import type { Models } from '../../db/models/index.js';
import type {
  CertificateByCycleDoc,
  CertificateDoc,
  CertificateRevocationDoc,
} from '../../db/models/records.js';
import type { CycleDoc } from '../../db/models/training.js';
import { trainingRepository } from '../../db/repositories/training.js';
import { CODE_BYTES, formatCertificateCode } from '../../domain/certificate-code.js';
import { retakeDueAt } from '../../domain/certificate-revocation.js';
import type { Course } from '../../domain/course.js';
import { cycleState } from '../../domain/recertification.js';
import { recertificationPolicy } from '../assignments/course-settings.js';
import { newCycle } from '../assignments/enrollment.js';
import type { AuditLog } from '../audit/log.js';

export function newCertificateCode(): string {
  return formatCertificateCode(randomBytes(CODE_BYTES));
}

export interface IssuedCertificate {
  certificate: CertificateDoc;
  /** True only for the caller whose insert created the record (it writes the audit event). */
  created: boolean;
}

/**
 * Records a cycle's completion and its certificate exactly once.
 *
 * The `certificate_by_cycle` insert (`_id` = cycle id) is the guard: of two concurrent
 * completions one wins, and the other adopts the winner's code and dates. The certificate
 * document (`_id` = code) is then inserted idempotently, so a crash between the two inserts
 * is repaired by the next evaluation.
 */
export async function issueCertificate(
  models: Models,
  course: Course,
  cycle: CycleDoc,
  holderName: string,
  completion: { completedAt: Date; expiresAt: Date | null },
  now: Date,
): Promise<IssuedCertificate> {
  const proposed: CertificateByCycleDoc = {
    _id: cycle._id,
    code: newCertificateCode(),
    completedAt: completion.completedAt,
    expiresAt: completion.expiresAt,
  };
  const stored = await insertOnce<CertificateByCycleDoc>(models.CertificateByCycle, proposed);
  const created = stored.code === proposed.code;
  const certificate = await insertOnce<CertificateDoc>(models.Certificate, {
    _id: stored.code,
    cycleId: cycle._id,
    cycleNo: cycle.n,
    userId: cycle.userId,
    courseId: cycle.courseId,
    name: holderName,
    courseTitle: course.title,
    contentVersion: cycle.attestedVersion ?? course.version,
    score: cycle.score,
    completedAt: stored.completedAt,
    expiresAt: stored.expiresAt,
    issuedAt: now,
  });
  return { certificate, created };
}

export function findCertificate(models: Models, code: string) {
  return models.Certificate.findById(code).lean<CertificateDoc>();
}

export interface RevocationDeps {
  models: Models;
  audit: AuditLog;
  courses: Map<string, Course>;
}

export type RevocationOutcome =
  | { outcome: 'not-found' }
  | { outcome: 'revoked' | 'already-revoked'; revocation: CertificateRevocationDoc };

/**
 * HR revokes one person's certificate, exactly once.
 *
 * The `certificate_revocation` insert (`_id` = code) is the guard: of two revocations (a double
 * submit, two HR people at once) one creates the record and writes the audit event; the other is
 * told it was already revoked. The certificate then carries the revocation (written by `_id`, from
 * the stored record, so a crash between the two writes is repaired by the next attempt).
 *
 * When the certificate was the person's current completion, they are no longer compliant: a new
 * full cycle opens, due `RETAKE_DAYS` later, and the assignment leaves "completed" (the dashboard
 * counts it from the next sweep or refresh). A certificate of an older cycle is only marked revoked.
 */
export async function revokeCertificate(
  deps: RevocationDeps,
  input: { code: string; userId: string; actorId: string; reason: string },
  now: Date,
): Promise<RevocationOutcome> {
  const { models } = deps;
  const cert = await findCertificate(models, input.code);
  // Another person's certificate answers like a missing one: the URL names its holder.
  if (!cert || cert.userId !== input.userId) return { outcome: 'not-found' };

  const proposed: CertificateRevocationDoc = {
    _id: cert._id,
    userId: cert.userId,
    cycleId: cert.cycleId,
    courseId: cert.courseId,
    revokedAt: now,
    revokedBy: input.actorId,
    reason: input.reason,
    retakeCycleNo: null,
  };
  const stored = await insertOnce<CertificateRevocationDoc>(models.CertificateRevocation, proposed);
  const created = stored === proposed;
  await models.Certificate.updateOne(
    { _id: cert._id },
    { $set: { revokedAt: stored.revokedAt, revokedBy: stored.revokedBy, revokedReason: stored.reason } },
  );
  if (!created) return { outcome: 'already-revoked', revocation: stored };

  const retakeCycleNo = await reopenForRetake(deps, cert, now);
  if (retakeCycleNo !== null) {
    stored.retakeCycleNo = retakeCycleNo;
    await models.CertificateRevocation.updateOne({ _id: cert._id }, { $set: { retakeCycleNo } });
  }
  await deps.audit.append(
    {
      actorId: input.actorId,
      action: 'certificate.revoked',
      targetType: 'certificate',
      targetId: cert._id,
      subjectId: cert.userId,
      details: {
        cycleId: cert.cycleId,
        courseId: cert.courseId,
        reason: stored.reason,
        retakeCycleNo,
      },
    },
    now,
  );
  return { outcome: 'revoked', revocation: stored };
}

/**
 * Opens the retake cycle when the revoked certificate is the completion the assignment stands on;
 * returns its number, or null when the person has moved on to a later cycle (nothing to undo).
 */
async function reopenForRetake(
  deps: RevocationDeps,
  cert: CertificateDoc,
  now: Date,
): Promise<number | null> {
  const repo = trainingRepository(deps.models);
  const course = deps.courses.get(cert.courseId);
  const assignment = await repo.findAssignment(cert.userId, cert.courseId);
  if (!course || !assignment || assignment.cycleNo !== cert.cycleNo) return null;
  const n = cert.cycleNo + 1;
  const dueAt = retakeDueAt(now);
  await repo.ensureCycle(newCycle(cert.userId, course, n, now, dueAt, 'full'));
  const policy = await recertificationPolicy(deps.models, course, now);
  const { state } = cycleState(
    policy,
    [{ n, dueAt, startedAt: null, completedAt: null, expiresAt: null }],
    now,
  );
  await repo.updateAssignment(assignmentKey(cert.userId, cert.courseId), {
    cycleNo: n,
    dueAt,
    assignedAt: now,
    completedAt: null,
    expiresAt: null,
    state,
    updatedAt: now,
  });
  return n;
}
