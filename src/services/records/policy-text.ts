import { createHash } from 'node:crypto';
import { insertIfNew } from '../../db/insert-once.js';
import { cycleKey, policyTextKey } from '../../db/keys.js';
import type { AttestationDoc, PolicyTextDoc } from '../../db/models/records.js';
import type { UserDoc } from '../../db/models/user.js';
import { trainingRepository } from '../../db/repositories/training.js';
import { HR_ROLES } from '../../domain/access.js';
import type { Course } from '../../domain/course.js';
import { NotFound } from '../../domain/errors.js';
import type { Language } from '../../domain/i18n/languages.js';
import { courseForJurisdictions } from '../../domain/jurisdictions.js';
import type { Region } from '../../domain/org-profile.js';
import type { Role } from '../../domain/roles.js';
import type { ServiceContext } from '../context.js';
import { courseForLearner } from '../learning/jurisdictions.js';
import { shortVersion } from './certificate-pdf.js';
import { recordLanguage } from './evidence-language.js';
import { type PolicyText, renderPolicyPdf } from './policy-pdf.js';

/**
 * The policy as a course states it: what the attestation page shows and the PDF prints. Pass the
 * course as the learner sees it (`courseForLearner`): its clauses carry only their notices.
 */
export function policyTextOf(course: Course, jurisdictions?: readonly string[]): PolicyText {
  return {
    courseTitle: course.title,
    policyTitle: course.policyTitle,
    version: course.version,
    clauses: course.clauses.map(({ id, number, title, summary, text, notices }) => ({
      id,
      number,
      title,
      summary,
      text,
      ...(notices && notices.length > 0
        ? { notices: notices.map((n) => ({ jurisdictions: [...n.jurisdictions], text: n.text })) }
        : {}),
    })),
    ...(jurisdictions ? { jurisdictions: [...jurisdictions] } : {}),
    language: recordLanguage(course),
  };
}

/**
 * Where a text is kept: the version's key, plus a hash of the notices shown when there are any. The
 * version hash covers every word of the course as served; the notices shown are what differ between
 * learners of one version, so equal keys mean equal texts.
 */
export function keptTextKey(courseId: string, text: PolicyText): string {
  const shown = text.clauses.flatMap((c) => (c.notices ? [[c.id, c.notices]] : []));
  if (shown.length === 0) return policyTextKey(courseId, text.version);
  const hash = createHash('sha256').update(JSON.stringify(shown)).digest('hex').slice(0, 16);
  return policyTextKey(courseId, text.version, hash);
}

/**
 * The kept-text key of the policy as a learner is shown it (pass the course narrowed by
 * `courseForLearner`): the attestation form carries it, so a signature never binds to other words.
 */
export function shownTextKey(course: Course): string {
  return keptTextKey(course.id, policyTextOf(course));
}

/**
 * Keeps the policy text a learner is shown (the course narrowed to their jurisdictions), once per
 * distinct text: the first attestation of it inserts it, every later one hits the duplicate key
 * (already kept). Written before the attestation, so no attestation exists without its words.
 * Returns the kept text's id, which the attestation stores.
 */
export async function keepPolicyText(
  ctx: ServiceContext,
  input: { course: Course; jurisdictions: readonly string[]; now: Date },
): Promise<string> {
  const text = policyTextOf(input.course, input.jurisdictions);
  const _id = keptTextKey(input.course.id, text);
  await insertIfNew<PolicyTextDoc>(ctx.models.PolicyText, {
    _id,
    courseId: input.course.id,
    ...text,
    keptAt: input.now,
  });
  return _id;
}

const pdfName = (courseId: string, version: string) => `${courseId}-policy-${shortVersion(version)}.pdf`;

/**
 * The current policy as a PDF, for HR and for learners assigned the course (anyone else: 404, as
 * for a missing page), with the notices of the viewer's jurisdictions.
 */
export async function policyPdf(
  ctx: ServiceContext,
  input: { viewer: { id: string; role: Role }; course: Course },
): Promise<{ pdf: Buffer; fileName: string }> {
  const { viewer, course } = input;
  // The viewer's assignment: whether a learner may have the PDF, and (its copy of their region)
  // whose notices it prints. HR without one gets those of every region the profile enables.
  const assignment = await trainingRepository(ctx.models).findAssignment(viewer.id, course.id);
  if (!assignment && !HR_ROLES.includes(viewer.role)) throw new NotFound('records.errors.notAssigned');
  const shown = await courseForLearner(ctx, { region: assignment?.region, course });
  return {
    pdf: await renderPolicyPdf(policyTextOf(shown.course, shown.jurisdictions)),
    fileName: pdfName(course.id, course.version),
  };
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
  /** The language of the text signed (English for attestations stored before languages). */
  language: Language;
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
  if (!course) throw new NotFound('records.errors.noCourse');
  const n =
    target.n ?? (await trainingRepository(ctx.models).findAssignment(target.userId, course.id))?.cycleNo;
  const [attestation, person] = await Promise.all([
    n ? ctx.models.Attestation.findById(cycleKey(target.userId, course.id, n)).lean<AttestationDoc>() : null,
    ctx.models.User.findById(target.userId, { name: 1 }).lean<Pick<UserDoc, '_id' | 'name'>>(),
  ]);
  if (!attestation || !person) throw new NotFound('records.errors.noAttestation');
  const kept = await ctx.models.PolicyText.findById(
    attestation.policyTextId ?? policyTextKey(course.id, attestation.contentVersion),
  ).lean<PolicyTextDoc>();
  // Without a kept copy (signed before copies were kept) the current course stands in while its
  // version is the one signed, with the notices of the jurisdictions recorded (none before notices).
  const signed = attestation.jurisdictions ?? [];
  const language = recordLanguage(attestation);
  const current = courseIn(ctx, course, language);
  const policy = kept
    ? {
        courseTitle: kept.courseTitle,
        policyTitle: kept.policyTitle,
        version: kept.version,
        clauses: kept.clauses,
        ...(kept.jurisdictions ? { jurisdictions: kept.jurisdictions } : {}),
        language: recordLanguage(kept),
      }
    : attestation.contentVersion === current.version
      ? policyTextOf(courseForJurisdictions(current, signed as Region[]), attestation.jurisdictions)
      : null;
  return {
    person: { id: person._id, name: person.name },
    attestation,
    language,
    policy,
    changedSince: attestation.contentVersion === current.version ? null : current.version,
  };
}

/**
 * The course as served today in the language of an attestation, to tell whether the text signed is
 * still the current one: the translation when it is served (complete and current), else the source
 * course (a translation that fell back reads as changed, which it is for that learner).
 */
function courseIn(ctx: ServiceContext, course: Course, language: Language): Course {
  if (recordLanguage(course) === language) return course;
  return ctx.catalogue.inLanguage(course.id, language).course ?? course;
}

/** The attested text as a PDF (NotFound when that version's wording was not kept). */
export async function attestedPolicyPdf(
  ctx: ServiceContext,
  target: AttestedTextTarget,
): Promise<{ pdf: Buffer; fileName: string }> {
  const { policy } = await attestedText(ctx, target);
  if (!policy) throw new NotFound('records.errors.notKept');
  return { pdf: await renderPolicyPdf(policy), fileName: pdfName(target.courseId, policy.version) };
}
