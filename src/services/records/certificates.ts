import { randomBytes } from 'node:crypto';
import { insertOnce } from '../../db/insert-once.js';
import { assignmentKey } from '../../db/keys.js';
import type {
  AttestationDoc,
  CertificateByCycleDoc,
  CertificateDoc,
  CertificateRevocationDoc,
  PolicyTextDoc,
} from '../../db/models/records.js';
import type { CycleDoc } from '../../db/models/training.js';
import { trainingRepository } from '../../db/repositories/training.js';
import { HR_ROLES } from '../../domain/access.js';
import {
  CODE_BYTES,
  formatCertificateCode,
  normaliseCertificateCode,
} from '../../domain/certificate-code.js';
import {
  REASON_MAX,
  REASON_MIN,
  retakeDueAt,
  revocationReason,
} from '../../domain/certificate-revocation.js';
import { type CertificateValidity, certificateValidity } from '../../domain/completion.js';
import type { Course } from '../../domain/course.js';
import { Invalid, NotFound } from '../../domain/errors.js';
import type { Language } from '../../domain/i18n/languages.js';
import { attestedVersions, versionLine } from '../../domain/reattestation.js';
import { cycleState } from '../../domain/recertification.js';
import type { Role } from '../../domain/roles.js';
import { recertificationPolicy } from '../assignments/course-settings.js';
import { newCycle, openedCycleFields } from '../assignments/enrollment.js';
import type { ServiceContext } from '../context.js';
import { currentProfile } from '../organisation/profile.js';
import { xapiHooks } from '../xapi/hooks.js';
import { renderCertificatePdf } from './certificate-pdf.js';
import { recordLanguage } from './evidence-language.js';

export function newCertificateCode(): string {
  return formatCertificateCode(randomBytes(CODE_BYTES));
}

/** The public address that confirms a certificate (printed on the PDF). */
export const verifyUrl = (baseUrl: string, code: string) => `${baseUrl.replace(/\/+$/, '')}/verify/${code}`;

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
  ctx: ServiceContext,
  input: {
    course: Course;
    cycle: CycleDoc;
    holderName: string;
    completedAt: Date;
    expiresAt: Date | null;
    now: Date;
  },
): Promise<IssuedCertificate> {
  const { models } = ctx;
  const { course, cycle } = input;
  const proposed: CertificateByCycleDoc = {
    _id: cycle._id,
    code: newCertificateCode(),
    completedAt: input.completedAt,
    expiresAt: input.expiresAt,
  };
  const stored = await insertOnce<CertificateByCycleDoc>(models.CertificateByCycle, proposed);
  const created = stored.code === proposed.code;
  // The certificate names the policy version signed, and for a re-attestation the one it replaced.
  const attestation = await models.Attestation.findById(cycle._id).lean<AttestationDoc>();
  const versions = attestedVersions(attestation ?? { policyVersion: course.policyVersion });
  const written = await writtenIn(ctx, course, attestation);
  // The issuer as named today: a later rename of the organisation must not rewrite this certificate.
  const issuerName = (await currentProfile(ctx)).name;
  const certificate = await insertOnce<CertificateDoc>(models.Certificate, {
    _id: stored.code,
    cycleId: cycle._id,
    cycleNo: cycle.n,
    userId: cycle.userId,
    courseId: cycle.courseId,
    name: input.holderName,
    courseTitle: written.courseTitle,
    language: written.language,
    contentVersion: cycle.attestedVersion ?? course.version,
    policyVersion: versions.policyVersion,
    replacesVersion: versions.replacesVersion,
    issuerName,
    score: cycle.score,
    completedAt: stored.completedAt,
    expiresAt: stored.expiresAt,
    issuedAt: input.now,
  });
  await xapiHooks.certificateEarned(ctx, certificate, input.now);
  return { certificate, created };
}

/**
 * The language a certificate is written in, and the course's title in it: those of the text the
 * holder attested (the kept text has the title as shown). Without an attestation, the course's.
 */
async function writtenIn(
  ctx: ServiceContext,
  course: Course,
  attestation: AttestationDoc | null,
): Promise<{ language: Language; courseTitle: string }> {
  const language = attestation ? recordLanguage(attestation) : recordLanguage(course);
  if (language === recordLanguage(course) || !attestation?.policyTextId)
    return { language, courseTitle: course.title };
  const kept = await ctx.models.PolicyText.findById(attestation.policyTextId, { courseTitle: 1 }).lean<
    Pick<PolicyTextDoc, 'courseTitle'>
  >();
  return { language, courseTitle: kept?.courseTitle ?? course.title };
}

/** The organisation named on a certificate: kept at issue; the profile's name now for older ones. */
async function issuerOf(ctx: ServiceContext, cert: CertificateDoc): Promise<string> {
  return cert.issuerName ?? (await currentProfile(ctx)).name;
}

/** The certificate with this code (as typed: any case, spaces around), or null. */
export function findCertificate(ctx: ServiceContext, input: { code: string }) {
  return ctx.models.Certificate.findById(normaliseCertificateCode(input.code)).lean<CertificateDoc>();
}

/**
 * The certificate's PDF for its holder or HR. Someone else's certificate answers exactly like a
 * missing one, so codes cannot be probed.
 */
export async function certificatePdf(
  ctx: ServiceContext,
  input: { code: string; viewer: { id: string; role: Role }; now: Date },
): Promise<{ pdf: Buffer; fileName: string }> {
  const cert = await findCertificate(ctx, input);
  if (!cert || (cert.userId !== input.viewer.id && !HR_ROLES.includes(input.viewer.role)))
    throw new NotFound('records.errors.noCertificate');
  const pdf = await renderCertificatePdf(cert, {
    verifyUrl: verifyUrl(ctx.baseUrl, cert._id),
    now: input.now,
    issuer: await issuerOf(ctx, cert),
  });
  return { pdf, fileName: `certificate-${cert.courseId}-${cert._id}.pdf` };
}

/** What the public verification page shows of a certificate: no score, no user id, no e-mail. */
export interface CertificateCheck {
  status: CertificateValidity;
  certificate: {
    code: string;
    name: string;
    /** The issuing organisation as named when it was issued (the profile's name now for older ones). */
    issuer: string;
    courseTitle: string;
    /** The language the certificate is written in (English for those issued before languages). */
    language: Language;
    /** "Policy version N" (or "re-attested version N, replacing version M") and the content hash. */
    versionLine: string;
    /** The versions that line names, for saying it in the page's language (certificateVersionLine). */
    policyVersion?: number;
    replacesVersion?: number | null;
    contentVersion: string;
    completedAt: Date;
    expiresAt: Date | null;
    revokedAt: Date | null;
  };
}

/**
 * The public answer for a code (null when no certificate has it). No revocation reason either:
 * HR's reason can be personal; the public answer is the common "revoked by the issuer".
 */
export async function verifyCertificate(
  ctx: ServiceContext,
  input: { code: string; now: Date },
): Promise<CertificateCheck | null> {
  const cert = await findCertificate(ctx, input);
  if (!cert) return null;
  return {
    status: certificateValidity(cert, input.now),
    certificate: {
      code: cert._id,
      name: cert.name,
      issuer: await issuerOf(ctx, cert),
      courseTitle: cert.courseTitle,
      language: recordLanguage(cert),
      versionLine: versionLine(cert),
      ...(cert.policyVersion === undefined ? {} : { policyVersion: cert.policyVersion }),
      replacesVersion: cert.replacesVersion ?? null,
      contentVersion: cert.contentVersion,
      completedAt: cert.completedAt,
      expiresAt: cert.expiresAt,
      revokedAt: cert.revokedAt ?? null,
    },
  };
}

export type RevocationOutcome = {
  outcome: 'revoked' | 'already-revoked';
  revocation: CertificateRevocationDoc;
};

/**
 * HR revokes one person's certificate, exactly once.
 *
 * The reason is stored with its spaces collapsed; one too short or too long once trimmed is refused.
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
  ctx: ServiceContext,
  input: { code: string; userId: string; actorId: string; reason: string; now: Date },
): Promise<RevocationOutcome> {
  const { models, audit } = ctx;
  const { now } = input;
  const reason = revocationReason(input.reason);
  if (!reason) throw new Invalid('records.errors.revocationReason', { min: REASON_MIN, max: REASON_MAX });
  const cert = await findCertificate(ctx, input);
  // Another person's certificate answers like a missing one: the URL names its holder.
  if (!cert || cert.userId !== input.userId) throw new NotFound('records.errors.noCertificateForPerson');

  const proposed: CertificateRevocationDoc = {
    _id: cert._id,
    userId: cert.userId,
    cycleId: cert.cycleId,
    courseId: cert.courseId,
    revokedAt: now,
    revokedBy: input.actorId,
    reason,
    retakeCycleNo: null,
  };
  const stored = await insertOnce<CertificateRevocationDoc>(models.CertificateRevocation, proposed);
  const created = stored === proposed;
  await models.Certificate.updateOne(
    { _id: cert._id },
    { $set: { revokedAt: stored.revokedAt, revokedBy: stored.revokedBy, revokedReason: stored.reason } },
  );
  if (!created) return { outcome: 'already-revoked', revocation: stored };

  const retakeCycleNo = await reopenForRetake(ctx, cert, now);
  if (retakeCycleNo !== null) {
    stored.retakeCycleNo = retakeCycleNo;
    await models.CertificateRevocation.updateOne({ _id: cert._id }, { $set: { retakeCycleNo } });
  }
  await audit.append(
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
async function reopenForRetake(ctx: ServiceContext, cert: CertificateDoc, now: Date): Promise<number | null> {
  const repo = trainingRepository(ctx.models);
  const course = ctx.courses.get(cert.courseId);
  const assignment = await repo.findAssignment(cert.userId, cert.courseId);
  if (!course || !assignment || assignment.cycleNo !== cert.cycleNo) return null;
  const n = cert.cycleNo + 1;
  const dueAt = retakeDueAt(now);
  await repo.ensureCycle(newCycle(cert.userId, course, n, now, dueAt, 'full'));
  const policy = await recertificationPolicy(ctx.models, course, now);
  const { state } = cycleState(
    policy,
    [{ n, dueAt, startedAt: null, completedAt: null, expiresAt: null }],
    now,
  );
  await repo.updateAssignment(
    assignmentKey(cert.userId, cert.courseId),
    openedCycleFields(n, dueAt, state, now),
  );
  return n;
}
