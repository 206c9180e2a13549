import type { Course } from './course.js';
import {
  isStaleShortPath,
  lessonsToStudy,
  type RefresherState,
  shortPathStudy,
} from './mastery/refresher-path.js';

/** The cycle fields the completion rule reads (a subset of the stored cycle). */
export interface CycleProgress {
  requirement: 'full' | 'attest-only';
  passedAt: Date | null;
  attestedAt: Date | null;
  attestedVersion: string | null;
  /** A refresher cycle's path (issue #23); absent or null on other cycles. */
  refresher?: RefresherState | null;
}

export interface CompletionStatus {
  lessonsTotal: number;
  lessonsViewed: number;
  /** Lesson ids still to read, in reading order. */
  lessonsMissing: string[];
  passed: boolean;
  attested: boolean;
  complete: boolean;
}

/**
 * Where a cycle stands against the completion rule:
 * - a full cycle needs every lesson viewed, the quiz passed and an attestation;
 * - an attest-only cycle (a new policy version) needs only an attestation on the current version;
 * - a refresher cycle after its pre-assessment needs only the lessons teaching the clauses left to
 *   study, the quiz on them and the attestation; with nothing to study the pre-assessment stands as
 *   the cycle's assessment (it sets the pass) and only the attestation is left. A short path decided
 *   against an older policy version than the one published now never completes: a clause may have
 *   changed since, and the path must be worked out again (services/learning/refresher.ts).
 * The steps may happen in any order; the rule only looks at the end state.
 */
export function completionStatus(
  course: Course,
  cycle: CycleProgress,
  viewedLessonIds: Iterable<string>,
): CompletionStatus {
  const viewed = new Set(viewedLessonIds);
  const study = shortPathStudy(cycle.refresher);
  const required = study ? lessonsToStudy(course, study) : course.lessons;
  const lessonsMissing = required.map((l) => l.id).filter((id) => !viewed.has(id));
  if (cycle.requirement === 'attest-only') {
    const attested = cycle.attestedAt !== null && cycle.attestedVersion === course.version;
    return {
      lessonsTotal: course.lessons.length,
      lessonsViewed: course.lessons.length - lessonsMissing.length,
      lessonsMissing: [],
      passed: true,
      attested,
      complete: attested,
    };
  }
  const passed = cycle.passedAt !== null;
  const attested = cycle.attestedAt !== null;
  return {
    lessonsTotal: required.length,
    lessonsViewed: required.length - lessonsMissing.length,
    lessonsMissing,
    passed,
    attested,
    complete: lessonsMissing.length === 0 && passed && attested && !isStaleShortPath(course, cycle.refresher),
  };
}

/**
 * Could the cycle's own facts (pass, attestation) complete it, if every lesson were viewed?
 * When not, nobody needs to read which lessons were viewed to know the cycle is not complete.
 */
export function couldComplete(course: Course, cycle: CycleProgress): boolean {
  const everyLesson = course.lessons.map((l) => l.id);
  return completionStatus(course, cycle, everyLesson).complete;
}

export function isCycleComplete(
  course: Course,
  cycle: CycleProgress,
  viewedLessonIds: Iterable<string>,
): boolean {
  return completionStatus(course, cycle, viewedLessonIds).complete;
}

/**
 * May the learner attest now? After passing the quiz, or at once for an attest-only cycle; never on a
 * refresher's short path decided against an older policy version (given the course).
 */
export function canAttest(cycle: CycleProgress, course?: Pick<Course, 'policyVersion'>): boolean {
  if (course && isStaleShortPath(course, cycle.refresher)) return false;
  return cycle.requirement === 'attest-only' || cycle.passedAt !== null;
}

/** A certificate is valid until its expiry instant (exclusive); one without expiry never expires. */
export function certificateStatus(expiresAt: Date | null, now: Date): 'valid' | 'expired' {
  return expiresAt !== null && now.getTime() >= expiresAt.getTime() ? 'expired' : 'valid';
}

export type CertificateValidity = 'valid' | 'expired' | 'revoked';

/** Revocation wins over expiry: a revoked certificate is never valid again, whatever its dates say. */
export function certificateValidity(
  cert: { expiresAt: Date | null; revokedAt?: Date | null },
  now: Date,
): CertificateValidity {
  return cert.revokedAt ? 'revoked' : certificateStatus(cert.expiresAt, now);
}
