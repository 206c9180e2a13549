import { createHash } from 'node:crypto';
import { assignmentKey, attemptKey, cycleKey, lessonViewKey, pretestAttemptKey } from '../../db/keys.js';
import type { AuditEventDoc } from '../../db/models/audit-event.js';
import type { Models } from '../../db/models/index.js';
import type { AttemptDoc, AttemptResultDoc } from '../../db/models/quiz.js';
import type { AttestationDoc, CertificateDoc, PolicyTextDoc } from '../../db/models/records.js';
import type { CycleDoc, LessonViewDoc } from '../../db/models/training.js';
import type { UserDoc } from '../../db/models/user.js';
import { trainingRepository } from '../../db/repositories/training.js';
import { certificateValidity } from '../../domain/completion.js';
import type { Course, Question } from '../../domain/course.js';
import { NotFound } from '../../domain/errors.js';
import { LANGUAGE_NAMES, LANGUAGES, SOURCE_LANGUAGE } from '../../domain/i18n/languages.js';
import { lessonsToStudy, shortPathStudy } from '../../domain/mastery/refresher-path.js';
import { attestedVersions, versionsSince } from '../../domain/reattestation.js';
import type { ServiceContext } from '../context.js';
import { recordLanguage } from './evidence-language.js';

export const EVIDENCE_FORMAT = 'policy-training-evidence/1';

/** Audit actions about the export itself: left out of the pack, so exporting twice gives the same file. */
const EXPORT_ACTIONS = new Set(['evidence.exported']);

function choiceTexts(q: Question | undefined): Map<string, string> {
  if (!q) return new Map();
  const list = q.type === 'classify' ? q.reasons : q.type === 'spot' ? q.segments : q.options;
  return new Map(list.map((c) => [c.id, c.text]));
}

/**
 * The course whose wording an attempt was served: the one (source or a translation, as served now)
 * whose version is the attempt's stored content version; the source course when none is (content changed since).
 */
function courseServedFor(ctx: ServiceContext, source: Course, contentVersion: string): Course {
  if (contentVersion === source.version) return source;
  for (const lang of LANGUAGES) {
    const translated = ctx.catalogue.inLanguage(source.id, lang).course;
    if (translated?.version === contentVersion) return translated;
  }
  return source;
}

function attemptEvidence(course: Course, attempt: AttemptDoc, result: AttemptResultDoc | null) {
  const grades = new Map((result?.questions ?? []).map((g) => [g.questionId, g]));
  const answers = result?.answers ?? {};
  // Until an attempt is graded its questions, options and saved answers stay on the server: the
  // learner (or anyone they show the pack to) could otherwise read the bank's ids while answering.
  const served = result ? attempt.draw : [];
  // Question wording comes from the loaded content; it is only the wording served when the versions match.
  const sameVersion = attempt.contentVersion === course.version;
  return {
    id: attempt._id,
    n: attempt.n,
    contentVersion: attempt.contentVersion,
    // The language of the wording below (the course served in the attempt's language, else the source).
    language: course.language ?? SOURCE_LANGUAGE,
    questionTextFromSameVersion: sameVersion,
    startedAt: attempt.startedAt,
    deadline: attempt.deadline,
    submittedAt: result?.submittedAt ?? null,
    receivedAt: result?.receivedAt ?? null,
    timedOut: result?.timedOut ?? false,
    status: result ? 'graded' : 'not submitted',
    score: result?.score ?? null,
    passed: result?.passed ?? null,
    passingScore: result?.passingScore ?? null,
    questions: served.map((drawn, i) => {
      const q = course.questions.find((x) => x.id === drawn.questionId);
      const texts = choiceTexts(q);
      const grade = grades.get(drawn.questionId);
      const given = answers[drawn.questionId];
      return {
        position: i + 1,
        questionId: drawn.questionId,
        prompt: q?.prompt ?? null,
        clauses: q?.clauses ?? [],
        choicesShown: drawn.choiceIds.map((id) => ({ id, text: texts.get(id) ?? null })),
        answer: given ? { choiceIds: given.choiceIds, verdict: given.verdict ?? null } : null,
        points: grade?.points ?? null,
        correct: grade?.correct ?? null,
      };
    }),
    clauseScores: result
      ? Object.entries(result.clauses).map(([clauseId, s]) => ({
          clauseId,
          correct: s.correct,
          total: s.total,
        }))
      : [],
  };
}

/** Attempts `<cycleId>:1, :2, …` until the first missing one, with their results (all reads by `_id`). */
async function attemptsOf(models: Models, cycleId: string) {
  const out: Array<{ attempt: AttemptDoc; result: AttemptResultDoc | null }> = [];
  for (let n = 1; ; n += 1) {
    const id = attemptKey(cycleId, n);
    const [attempt, result] = await Promise.all([
      models.Attempt.findById(id).lean<AttemptDoc>(),
      models.AttemptResult.findById(id).lean<AttemptResultDoc>(),
    ]);
    if (!attempt) return out;
    out.push({ attempt, result });
  }
}

/** The records of one cycle a pack is built from, each read by its `_id` (the audit log by subject). */
async function cycleRecords(models: Models, course: Course, cycle: CycleDoc) {
  const cycleId = cycle._id;
  const pretestId = pretestAttemptKey(cycleId);
  const [views, attempts, attestation, certificate, events, pretest] = await Promise.all([
    Promise.all(
      course.lessons.map((l) =>
        models.LessonView.findById(lessonViewKey(cycleId, l.id)).lean<LessonViewDoc>(),
      ),
    ),
    attemptsOf(models, cycleId),
    models.Attestation.findById(cycleId).lean<AttestationDoc>(),
    cycle.certificateCode ? models.Certificate.findById(cycle.certificateCode).lean<CertificateDoc>() : null,
    // A full scan by subject: acceptable for this rare export (FerretDB indexes only `_id`).
    models.AuditEvent.find({ subjectId: cycle.userId }).sort({ _id: 1 }).lean<AuditEventDoc[]>(),
    // A refresher's pre-assessment, beside the numbered attempts.
    cycle.refresher?.pretestAttemptId
      ? Promise.all([
          models.Attempt.findById(pretestId).lean<AttemptDoc>(),
          models.AttemptResult.findById(pretestId).lean<AttemptResultDoc>(),
        ])
      : null,
  ]);
  return { views, attempts, attestation, certificate, events, pretest };
}

/**
 * Everything an auditor asks for about one person's cycle of one course: content version, lessons
 * viewed, every attempt (questions served, answers, per-clause scores, timestamps), the attestation,
 * the certificate and the related audit events. Returns null when the person or cycle does not exist.
 * Deterministic for a given database state, so its SHA-256 identifies the exported file.
 */
export async function buildEvidencePack(
  ctx: ServiceContext,
  input: { userId: string; courseId: string; n: number },
) {
  const { models } = ctx;
  const course = ctx.courses.get(input.courseId);
  if (!course) return null;
  const [person, cycle] = await Promise.all([
    models.User.findById(input.userId).lean<UserDoc>(),
    trainingRepository(models).findCycle(cycleKey(input.userId, input.courseId, input.n)),
  ]);
  if (!person || !cycle) return null;
  const [{ views, attempts, attestation, certificate, events, pretest }, attestations] = await Promise.all([
    cycleRecords(models, course, cycle),
    attestationHistory(models, cycle),
  ]);
  const open = new Set(attempts.filter((a) => !a.result).map((a) => a.attempt._id));
  if (pretest?.[0] && !pretest[1]) open.add(pretest[0]._id);
  const notices = attestation ? await noticesSigned(models, attestation) : [];
  return {
    format: EVIDENCE_FORMAT,
    person: personEvidence(person),
    course: {
      id: course.id,
      title: course.title,
      policyTitle: course.policyTitle,
      currentContentVersion: course.version,
    },
    cycle: cycleEvidence(cycle),
    lessonsViewed: views
      .filter((v): v is LessonViewDoc => v !== null)
      .map((v) => ({
        lessonId: v.lessonId,
        title: course.lessons.find((l) => l.id === v.lessonId)?.title ?? null,
        at: v.at,
      })),
    lessonsTotal: course.lessons.length,
    ...refresherShape(course, cycle),
    attempts: attempts.map(({ attempt, result }) =>
      attemptEvidence(courseServedFor(ctx, course, attempt.contentVersion), attempt, result),
    ),
    pretest: pretest?.[0]
      ? {
          ...attemptEvidence(courseServedFor(ctx, course, pretest[0].contentVersion), pretest[0], pretest[1]),
          purpose: 'pretest' as const,
        }
      : null,
    attestation: attestation ? { ...attestationEvidence(attestation), noticesShown: notices } : null,
    attestations,
    certificate: certificate ? certificateEvidence(certificate) : null,
    auditEvents: events
      .filter((e) => isAboutCycle(e, cycle))
      .map((e) => eventEvidence(e, open.has(e.targetId))),
  };
}

/**
 * Every cycle up to this one with the policy version attested in it, so a re-attestation's pack
 * shows the version it replaced next to the new one. Each cycle and attestation is read by `_id`
 * (a person has a few cycles; FerretDB would scan the whole collection for an `$in`).
 */
async function attestationHistory(models: Models, cycle: CycleDoc) {
  const ids = versionsSince(0, cycle.n).map((n) => cycleKey(cycle.userId, cycle.courseId, n));
  const [cycles, attestations] = await Promise.all([
    Promise.all(ids.map((id) => models.Cycle.findById(id).lean<CycleDoc>())),
    Promise.all(ids.map((id) => models.Attestation.findById(id).lean<AttestationDoc>())),
  ]);
  return cycles.flatMap((c, i) => {
    if (!c) return [];
    const a = attestations[i];
    const versions = a
      ? attestedVersions(a)
      : { policyVersion: null, replacesVersion: null, replacesContentVersion: null };
    return [
      {
        cycleNo: c.n,
        requirement: c.requirement,
        attestedAt: a?.at ?? null,
        contentVersion: a?.contentVersion ?? null,
        ...versions,
        completedAt: c.completedAt,
        certificateCode: c.certificateCode,
        // A refresher's path: how many clauses the learner tested out of and studied (issue #23).
        testedOut: c.refresher?.status === 'decided' ? c.refresher.testedOut.length : null,
        studied: c.refresher?.status === 'decided' ? c.refresher.study.length : null,
      },
    ];
  });
}

function personEvidence(person: UserDoc) {
  return {
    id: person._id,
    name: person.name,
    email: person.email,
    employeeId: person.employeeId ?? null,
    department: person.department,
  };
}

/** The jurisdiction notices on the text signed, clause by clause (none for texts kept before notices). */
async function noticesSigned(models: Models, attestation: AttestationDoc) {
  if (!attestation.policyTextId) return [];
  const kept = await models.PolicyText.findById(attestation.policyTextId).lean<PolicyTextDoc>();
  return (kept?.clauses ?? []).flatMap((c) =>
    (c.notices ?? []).map((n) => ({ clauseId: c.id, jurisdictions: n.jurisdictions, text: n.text })),
  );
}

function attestationEvidence(attestation: AttestationDoc) {
  return {
    typedName: attestation.typedName,
    statement: attestation.statement,
    // The language of the text signed (English for attestations stored before languages).
    language: recordLanguage(attestation),
    languageName: LANGUAGE_NAMES[recordLanguage(attestation)],
    contentVersion: attestation.contentVersion,
    ...attestedVersions(attestation),
    policyTitle: attestation.policyTitle,
    // The kept text signed and the jurisdictions whose notices it showed (absent before notices).
    policyTextId: attestation.policyTextId ?? null,
    jurisdictions: attestation.jurisdictions ?? null,
    at: attestation.at,
    ip: attestation.ip,
    userAgent: attestation.userAgent,
  };
}

function certificateEvidence(certificate: CertificateDoc) {
  return {
    code: certificate._id,
    issuedAt: certificate.issuedAt,
    completedAt: certificate.completedAt,
    expiresAt: certificate.expiresAt,
    score: certificate.score,
    language: recordLanguage(certificate),
    contentVersion: certificate.contentVersion,
    policyVersion: attestedVersions(certificate).policyVersion,
    replacesVersion: attestedVersions(certificate).replacesVersion,
    revokedAt: certificate.revokedAt ?? null,
    revokedBy: certificate.revokedBy ?? null,
    revokedReason: certificate.revokedReason ?? null,
  };
}

/**
 * The person's audit events about this cycle: the cycle, its lesson views and attempts, the
 * assignment, the certificate, and events naming the cycle; never the exports of the pack itself.
 */
function isAboutCycle(e: AuditEventDoc, cycle: CycleDoc): boolean {
  return (
    !EXPORT_ACTIONS.has(e.action) &&
    (e.targetId === cycle._id ||
      e.targetId.startsWith(`${cycle._id}:`) ||
      e.targetId === assignmentKey(cycle.userId, cycle.courseId) ||
      (cycle.certificateCode !== null && e.targetId === cycle.certificateCode) ||
      (e.details as { cycleId?: unknown })?.cycleId === cycle._id)
  );
}

function eventEvidence(e: AuditEventDoc, aboutOpenAttempt: boolean) {
  return {
    seq: e.seq,
    at: e.at,
    actorId: e.actorId,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId,
    ...eventDetails(e.details, aboutOpenAttempt),
    // The hash covers the digest of the personal part; with the part and its salt an auditor can
    // recompute both. After erasure only the digest is left, and the link still checks.
    ...(e.personalDigest ? { personalDigest: e.personalDigest } : {}),
    ...(e.personal ? { personal: e.personal, salt: e.salt } : {}),
    prevHash: e.prevHash,
    hash: e.hash,
  };
}

/**
 * An event's details as the pack shows them. Versions before this one listed the drawn questions in
 * an attempt's start event: while that attempt is open they are left out (and named as withheld, as
 * the event's hash covers them), and shown again once it is graded.
 */
function eventDetails(details: Record<string, unknown>, aboutOpenAttempt: boolean) {
  if (!aboutOpenAttempt || !Object.hasOwn(details, 'questions')) return { details };
  const { questions: _withheld, ...rest } = details;
  return { details: rest, detailsWithheld: ['questions'] };
}

function cycleEvidence(cycle: CycleDoc) {
  return {
    id: cycle._id,
    n: cycle.n,
    requirement: cycle.requirement,
    contentVersionAtStart: cycle.contentVersion,
    openedAt: cycle.openedAt,
    dueAt: cycle.dueAt,
    startedAt: cycle.startedAt,
    passedAt: cycle.passedAt,
    passedAttemptId: cycle.passedAttemptId,
    score: cycle.score,
    extraAttempts: cycle.extraAttempts ?? 0,
    attestedAt: cycle.attestedAt,
    attestedVersion: cycle.attestedVersion,
    completedAt: cycle.completedAt,
    expiresAt: cycle.expiresAt,
    certificateCode: cycle.certificateCode,
    refresher: refresherEvidence(cycle),
  };
}

/**
 * Why a refresher was short or long: the clauses the pre-assessment showed the learner still knows,
 * those studied, those changed since their last attestation, or that they declined the check.
 */
function refresherEvidence(cycle: CycleDoc) {
  const r = cycle.refresher;
  if (!r) return null;
  return {
    status: r.status,
    declined: r.status === 'decided' && r.pretestAttemptId === null,
    // HR switched test-out off while the check was open: the full course, the check kept.
    testOutOff: r.fullPath === true,
    pretestAttemptId: r.pretestAttemptId,
    changed: r.changed,
    testedOut: r.testedOut,
    studied: r.study,
    decidedAt: r.decidedAt,
  };
}

/**
 * What a refresher's short path asked of the learner, so a short cycle never reads as a skipped
 * one: how many lessons were left to study (null: the whole course) and whether the pass came from
 * the pre-assessment (every clause tested out) or a quiz.
 */
function refresherShape(course: Course, cycle: CycleDoc) {
  const study = shortPathStudy(cycle.refresher);
  const fromCheck =
    cycle.passedAttemptId !== null && cycle.passedAttemptId === cycle.refresher?.pretestAttemptId;
  return {
    lessonsToStudy: study ? lessonsToStudy(course, study).length : null,
    passedBy: cycle.passedAt ? (fromCheck ? ('pretest' as const) : ('quiz' as const)) : null,
  };
}

export type EvidencePack = NonNullable<Awaited<ReturnType<typeof buildEvidencePack>>>;

/** The exact bytes of the JSON download and their SHA-256 (shown on the printable page). */
export function serialiseEvidence(pack: EvidencePack): { json: string; sha256: string } {
  const json = `${JSON.stringify(pack, null, 2)}\n`;
  return { json, sha256: createHash('sha256').update(json, 'utf8').digest('hex') };
}

/** Whether the certificate in a pack is still valid now, expired or revoked (for the printable page). */
export function packCertificateStatus(pack: EvidencePack, now: Date) {
  return pack.certificate ? certificateValidity(pack.certificate, now) : null;
}

/** Whose cycle a pack is about; without `n`, the person's current cycle of the course. */
export interface EvidenceTarget {
  userId: string;
  courseId: string;
  n?: number;
}

/** The pack of an existing cycle and its cycle number, or NotFound (the same for every missing part). */
async function packFor(ctx: ServiceContext, target: EvidenceTarget) {
  const n = target.n ?? (await currentCycleNo(ctx, target));
  if (!ctx.courses.has(target.courseId)) throw new NotFound('records.errors.noCourse');
  const pack = await buildEvidencePack(ctx, { userId: target.userId, courseId: target.courseId, n });
  if (!pack) throw new NotFound('records.errors.noRecord');
  return { n, pack, ...serialiseEvidence(pack) };
}

async function currentCycleNo(ctx: ServiceContext, target: EvidenceTarget): Promise<number> {
  const assignment = await trainingRepository(ctx.models).findAssignment(target.userId, target.courseId);
  if (!assignment) throw new NotFound('records.errors.noRecordYet');
  return assignment.cycleNo;
}

/** The printable evidence page: the pack, the SHA-256 of its JSON file and the certificate's status now. */
export async function evidencePage(ctx: ServiceContext, input: EvidenceTarget & { now: Date }) {
  const { n, pack, sha256 } = await packFor(ctx, input);
  return { n, pack, sha256, certificateStatus: packCertificateStatus(pack, input.now) };
}

/**
 * The JSON evidence file, its SHA-256 and download name; the export is audited (with that hash)
 * as done by `actorId`, the person themself or HR.
 */
export async function exportEvidence(
  ctx: ServiceContext,
  input: EvidenceTarget & { actorId: string; now: Date },
) {
  const { n, pack, json, sha256 } = await packFor(ctx, input);
  await ctx.audit.append(
    {
      actorId: input.actorId,
      action: 'evidence.exported',
      targetType: 'cycle',
      targetId: pack.cycle.id,
      subjectId: input.userId,
      details: { courseId: input.courseId, cycleNo: n, sha256 },
    },
    input.now,
  );
  const fileName = `evidence-${input.courseId}-${pack.person.employeeId ?? input.userId}-cycle-${n}.json`;
  return { n, json, sha256, fileName };
}
