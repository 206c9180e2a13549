import { randomBytes } from 'node:crypto';
import type { Models } from '../db/models/index.js';
import type { CertificateByCycleDoc, CertificateDoc } from '../db/models/records.js';
import type { CycleDoc } from '../db/models/training.js';
import { insertOnce } from '../db/repositories/training.js';
import { CODE_BYTES, formatCertificateCode } from '../domain/certificate-code.js';
import type { Course } from '../domain/course.js';

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
