import { insertIfNew } from '../../db/insert-once.js';
import { cycleKey, policyTextKey } from '../../db/keys.js';
import type { AttestationDoc, PolicyTextDoc } from '../../db/models/records.js';
import type { UserDoc } from '../../db/models/user.js';
import { trainingRepository } from '../../db/repositories/training.js';
import { HR_ROLES } from '../../domain/access.js';
import type { Course } from '../../domain/course.js';
import { NotFound } from '../../domain/errors.js';
import type { Role } from '../../domain/roles.js';
import type { ServiceContext } from '../context.js';
import { shortVersion } from './certificate-pdf.js';
import { type PolicyText, renderPolicyPdf } from './policy-pdf.js';

/** The policy as the loaded course states it: what the attestation page shows and the PDF prints. */
export function policyTextOf(course: Course): PolicyText {
  return {
    courseTitle: course.title,
    policyTitle: course.policyTitle,
    version: course.version,
    clauses: course.clauses.map(({ id, number, title, summary, text }) => ({
      id,
      number,
      title,
      summary,
      text,
    })),
  };
}

/**
 * Keeps the course's current policy text under its version hash, once: the first attestation of a
 * version inserts it, every later one hits the duplicate key (already kept). Written before the
 * attestation, so no attestation of this version exists without its text.
 */
export async function keepPolicyText(
  ctx: ServiceContext,
  input: { course: Course; now: Date },
): Promise<void> {
  const text = policyTextOf(input.course);
  await insertIfNew<PolicyTextDoc>(ctx.models.PolicyText, {
    _id: policyTextKey(input.course.id, text.version),
    courseId: input.course.id,
    ...text,
    keptAt: input.now,
  });
}

const pdfName = (courseId: string, version: string) => `${courseId}-policy-${shortVersion(version)}.pdf`;

/**
 * The current policy as a PDF, for HR and for learners assigned the course (anyone else: 404, as
 * for a missing page).
 */
export async function policyPdf(
  ctx: ServiceContext,
  input: { viewer: { id: string; role: Role }; course: Course },
): Promise<{ pdf: Buffer; fileName: string }> {
  const { viewer, course } = input;
  if (!HR_ROLES.includes(viewer.role)) {
    const assignment = await trainingRepository(ctx.models).findAssignment(viewer.id, course.id);
    if (!assignment) throw new NotFound('This course is not assigned to you.');
  }
  return { pdf: await renderPolicyPdf(policyTextOf(course)), fileName: pdfName(course.id, course.version) };
}

/** Whose attestation: a person's cycle of a course; without `n`, their current cycle. */
export interface AttestedTextTarget {
  userId: string;
  courseId: string;
  n?: number;
}

export interface AttestedText {
  person: { id: string; name: string };
  attestation: AttestationDoc;
  /** The clauses as signed; null when the attestation predates kept texts and its version is gone. */
  policy: PolicyText | null;
  /** The course's version today, when it differs from the one signed. */
  changedSince: string | null;
}

/**
 * One attestation with the exact policy text it was signed against: the kept copy for its version,
 * or (for a signature from before copies were kept) the loaded course while its version is still
 * current. The caller decides whose records the viewer may read (the learner's routes pass only
 * their own id); a missing person, course, cycle or attestation is the same NotFound.
 */
export async function attestedText(ctx: ServiceContext, target: AttestedTextTarget): Promise<AttestedText> {
  const course = ctx.courses.get(target.courseId);
  if (!course) throw new NotFound('There is no course at this address.');
  const n =
    target.n ?? (await trainingRepository(ctx.models).findAssignment(target.userId, course.id))?.cycleNo;
  const [attestation, person] = await Promise.all([
    n ? ctx.models.Attestation.findById(cycleKey(target.userId, course.id, n)).lean<AttestationDoc>() : null,
    ctx.models.User.findById(target.userId, { name: 1 }).lean<Pick<UserDoc, '_id' | 'name'>>(),
  ]);
  if (!attestation || !person) throw new NotFound('There is no attestation at this address.');
  const kept = await ctx.models.PolicyText.findById(
    policyTextKey(course.id, attestation.contentVersion),
  ).lean<PolicyTextDoc>();
  const policy = kept
    ? {
        courseTitle: kept.courseTitle,
        policyTitle: kept.policyTitle,
        version: kept.version,
        clauses: kept.clauses,
      }
    : attestation.contentVersion === course.version
      ? policyTextOf(course)
      : null;
  return {
    person: { id: person._id, name: person.name },
    attestation,
    policy,
    changedSince: attestation.contentVersion === course.version ? null : course.version,
  };
}

/** The attested text as a PDF (NotFound when that version's wording was not kept). */
export async function attestedPolicyPdf(
  ctx: ServiceContext,
  target: AttestedTextTarget,
): Promise<{ pdf: Buffer; fileName: string }> {
  const { policy } = await attestedText(ctx, target);
  if (!policy) throw new NotFound('The wording of this policy version was not kept.');
  return { pdf: await renderPolicyPdf(policy), fileName: pdfName(target.courseId, policy.version) };
}
