import { insertOnce } from '../../db/insert-once.js';
import { assignmentKey } from '../../db/keys.js';
import type { Models } from '../../db/models/index.js';
import type { AttestationDoc } from '../../db/models/records.js';
import type { AssignmentDoc, CycleDoc } from '../../db/models/training.js';
import { trainingRepository } from '../../db/repositories/training.js';
import { type CompletionStatus, canAttest, completionStatus } from '../../domain/completion.js';
import type { Course } from '../../domain/course.js';
import type { Language } from '../../domain/i18n/languages.js';
import type { Region } from '../../domain/org-profile.js';
import { attestedVersions } from '../../domain/reattestation.js';
import { normaliseName } from '../../domain/roles.js';
import { translator } from '../../i18n/translator.js';
import { ensureEnrolled, type Learner } from '../assignments/enrollment.js';
import type { ServiceContext } from '../context.js';
import { courseForLearner } from '../learning/jurisdictions.js';
import { xapiHooks } from '../xapi/hooks.js';
import { cycleCompletionStatus, evaluateCompletion } from './completion.js';
import { recordLanguage } from './evidence-language.js';
import { keepPolicyText, shownTextKey } from './policy-text.js';
import { previousAttestation, type Reattestation, reattestationFor } from './reattestation.js';

/** The statement in English (the source language); the stored one is in the language of the text signed. */
export const ATTESTATION_STATEMENT = 'I have read, understood and will follow this policy.';

/** The statement a learner ticks, in the language of the text they sign. */
export function attestationStatement(lang: Language): string {
  return translator(lang).t('certificate.statement');
}

export type AttestationField = 'typedName' | 'agreed';

export interface AttestInput {
  userId: string;
  course: Course;
  cycle: CycleDoc;
  typedName: string;
  agreed: boolean;
  ip: string;
  userAgent: string;
  now: Date;
  /**
   * The text the form was served with (`contentVersion` and `shownTextKey`): a signature is refused
   * when the learner would be shown other words now. Absent (a service caller): the text served now.
   */
  read?: ReadText;
  /**
   * The learner's assignment as the caller read it: its person copy's region says whose notices the
   * pages showed, so the check reads the same source. Absent: read by its key.
   */
  assignment?: Pick<AssignmentDoc, 'region'>;
}

/** What the learner read: the course version and the kept-text key of the page the form was on. */
export interface ReadText {
  contentVersion: string;
  textKey: string;
}

export type AttestResult =
  | { ok: true; attestation: AttestationDoc; created: boolean; completed: boolean }
  /** `changed`: the text changed between the page and the signature (nothing stored). */
  | { ok: false; reason: 'not-ready' | 'unknown-user' | 'changed' }
  /** Which fields failed: both are reported at once so the form shows every problem together. */
  | { ok: false; reason: 'invalid'; fields: AttestationField[] };

function findAttestation(models: Models, cycleId: string) {
  return models.Attestation.findById(cycleId).lean<AttestationDoc>();
}

/**
 * Records the learner's typed-name attestation for one cycle, bound to the course version they saw.
 *
 * The record's `_id` is the cycle id, so a replayed or double-submitted form hits a duplicate key
 * and gets the existing attestation back: never a second record and never an error page.
 * The typed name must match the profile name (ignoring case and extra spaces).
 */
export async function attest(ctx: ServiceContext, input: AttestInput): Promise<AttestResult> {
  const { models, audit } = ctx;
  const { cycle, course, now } = input;

  const existing = await findAttestation(models, cycle._id);
  if (existing) return finish(existing, false);

  if (!canAttest(cycle, course)) return { ok: false, reason: 'not-ready' };
  const person = await models.User.findById(input.userId, { name: 1 }).lean();
  if (!person) return { ok: false, reason: 'unknown-user' };
  // The text as this learner is shown it now: only the notices of their jurisdictions, from the
  // region every page takes (the assignment's person copy), so page and check never disagree.
  const region = await assignmentRegion(models, input);
  const shown = await courseForLearner(ctx, { region, course });
  if (input.read && textChanged(input.read, shown.course)) return { ok: false, reason: 'changed' };
  const fields: AttestationField[] = [];
  if (normaliseName(input.typedName) !== normaliseName(person.name)) fields.push('typedName');
  if (!input.agreed) fields.push('agreed');
  if (fields.length > 0) return { ok: false, reason: 'invalid', fields };

  // The text first: an attestation of this version never exists without the words it binds to.
  // Kept per distinct text.
  const policyTextId = await keepPolicyText(ctx, { ...shown, now });
  const replaced = await previousAttestation(models, cycle);
  // The language of the words signed: a translated course is served whole in one language.
  const language = recordLanguage(course);
  const proposed: AttestationDoc = {
    _id: cycle._id,
    cycleId: cycle._id,
    cycleNo: cycle.n,
    userId: input.userId,
    courseId: course.id,
    contentVersion: course.version,
    policyVersion: course.policyVersion,
    replacesVersion: replaced ? attestedVersions(replaced).policyVersion : null,
    replacesContentVersion: replaced?.contentVersion ?? null,
    policyTitle: course.policyTitle,
    policyTextId,
    jurisdictions: shown.jurisdictions,
    typedName: input.typedName.trim().replace(/\s+/g, ' '),
    statement: attestationStatement(language),
    language,
    at: now,
    ip: input.ip.slice(0, 100),
    userAgent: input.userAgent.slice(0, 500),
  };
  const stored = await insertOnce<AttestationDoc>(models.Attestation, proposed);
  const created = stored === proposed;
  if (created) {
    await audit.append(
      {
        actorId: input.userId,
        action: 'attested',
        targetType: 'cycle',
        targetId: cycle._id,
        subjectId: input.userId,
        details: {
          courseId: course.id,
          cycleNo: cycle.n,
          contentVersion: course.version,
          policyVersion: proposed.policyVersion,
          replacesVersion: proposed.replacesVersion,
          language,
          ip: proposed.ip,
        },
      },
      now,
    );
  }
  return finish(stored, created);

  async function finish(record: AttestationDoc, wasCreated: boolean): Promise<AttestResult> {
    // Copying the record's own values makes this write idempotent, and repairs a cycle left
    // without them if a previous request stopped between the insert and this update.
    if (!cycle.attestedAt || cycle.attestedVersion !== record.contentVersion) {
      await trainingRepository(models).updateCycle(cycle._id, {
        attestedAt: record.at,
        attestedVersion: record.contentVersion,
      });
    }
    await xapiHooks.attested(ctx, record, now);
    const { completed } = await evaluateCompletion(ctx, { cycleId: cycle._id, now });
    return { ok: true, attestation: record, created: wasCreated, completed };
  }
}

/** The region on the learner's assignment copy: the caller's read, else one `_id` read. */
async function assignmentRegion(models: Models, input: AttestInput): Promise<Region | null> {
  const assignment =
    input.assignment ??
    (await models.Assignment.findById(assignmentKey(input.userId, input.course.id), { region: 1 }).lean<
      Pick<AssignmentDoc, 'region'>
    >());
  return assignment?.region ?? null;
}

/** The attestation page's facts about the learner's current cycle. */
export interface AttestationPage {
  /** Signed already, ready to sign, or not yet (the quiz is not passed). */
  state: 'attested' | 'form' | 'not-ready';
  attestation: AttestationDoc | null;
  /** The cycle's certificate, once the attestation completed it. */
  certificateCode: string | null;
  status: CompletionStatus;
  /** For a learner re-attesting a new policy version, what changed since they last attested (else null). */
  reattestation: Reattestation | null;
  /** The person's region as their assignment copies it: whose notices the page shows (`courseForLearner`). */
  region: Region | null;
}

/** Reads what the attestation page shows for a cycle as this request read it. */
async function pageFor(
  ctx: ServiceContext,
  course: Course,
  cycle: CycleDoc,
  assignment: AssignmentDoc,
): Promise<AttestationPage> {
  const attestation = await findAttestation(ctx.models, cycle._id);
  // Signing may have completed the cycle since it was read: read it again for its certificate.
  const fresh = attestation ? await ctx.models.Cycle.findById(cycle._id).lean<CycleDoc>() : cycle;
  const read = fresh ?? cycle;
  // An attest-only cycle asks for no lesson: its status needs no read of the lessons viewed.
  const status =
    read.requirement === 'attest-only'
      ? completionStatus(course, read, [])
      : await cycleCompletionStatus(ctx.models, course, read);
  const state = attestation ? 'attested' : canAttest(cycle, course) ? 'form' : 'not-ready';
  return {
    state,
    attestation,
    certificateCode: fresh?.certificateCode ?? null,
    status,
    reattestation: state === 'form' ? await reattestationFor(ctx, { course, cycle }) : null,
    region: assignment.region ?? null,
  };
}

/** The attestation page for the learner's current cycle of a course (every state: signed, form, not ready). */
export async function attestationPage(
  ctx: ServiceContext,
  input: { learner: Learner; course: Course; now: Date },
): Promise<AttestationPage> {
  const { cycle, assignment } = await ensureEnrolled(ctx, input);
  return pageFor(ctx, input.course, cycle, assignment);
}

/** Does the learner's page differ from what they would be shown now (a new version, profile values or notices)? */
function textChanged(read: ReadText, shown: Course): boolean {
  return read.contentVersion !== shown.version || read.textKey !== shownTextKey(shown);
}

export type SignResult =
  | { ok: true }
  /** Not signed: what failed, and the page to show again with it. */
  | {
      ok: false;
      reason: 'not-ready' | 'unknown-user' | 'invalid' | 'changed';
      fields: AttestationField[];
      page: AttestationPage;
    };

/**
 * The learner signs the attestation form for their current cycle. When it is refused (a name that
 * does not match, the box not ticked, the quiz not passed yet) the page comes back to show again.
 */
export async function signAttestation(
  ctx: ServiceContext,
  input: Omit<AttestInput, 'userId' | 'cycle' | 'assignment'> & { learner: Learner },
): Promise<SignResult> {
  const { learner, ...form } = input;
  const { cycle, assignment } = await ensureEnrolled(ctx, { learner, course: input.course, now: input.now });
  const result = await attest(ctx, { ...form, userId: learner.id, cycle, assignment });
  if (result.ok) return { ok: true };
  const fields = result.reason === 'invalid' ? result.fields : [];
  return {
    ok: false,
    reason: result.reason,
    fields,
    page: await pageFor(ctx, input.course, cycle, assignment),
  };
}
