import type { Course, Lesson, LessonSection, Question } from '../course.js';
import { type Draw, type DrawableQuestion, drawQuestions } from '../quiz/draw.js';
import type { ClauseScore, GradedQuestion } from '../quiz/grading.js';
import { type Rng, shuffled } from '../quiz/random.js';
import type { PublishedChanges } from '../reattestation.js';

/**
 * A refresher cycle's path (issue #23): a short pre-assessment decides which clauses the learner
 * still knows; they study only the others and the clauses changed since their last attestation.
 * Pure: the services read the cycle, the previous attempt and the published versions.
 */

/** A cycle after the first, asking for the whole course, of someone who attested before. */
export function isRefresherCycle(
  cycle: { n: number; requirement: 'full' | 'attest-only' },
  attestedBefore: boolean,
): boolean {
  return cycle.n > 1 && cycle.requirement === 'full' && attestedBefore;
}

/**
 * Clauses changed by any version published after the one the learner last attested, minor
 * rewordings included (they read the new words either way), in course order.
 */
export function changedSince(
  course: Pick<Course, 'clauses'>,
  versions: readonly PublishedChanges[],
  attestedVersion: number,
): string[] {
  const changed = new Set(
    versions.filter((v) => v.n > attestedVersion).flatMap((v) => v.changes.map((c) => c.clauseId)),
  );
  return course.clauses.map((c) => c.id).filter((id) => changed.has(id));
}

/** What the pre-assessment needs of the learner's last graded quiz attempt. */
export interface LastAttempt {
  questionIds: readonly string[];
  clauses: Readonly<Record<string, ClauseScore>>;
}

/** Clauses the last attempt missed: fewer points than questions (a half-right answer is a miss). */
export function missedClauses(last: LastAttempt | null): Set<string> {
  const missed = Object.entries(last?.clauses ?? {}).filter(([, s]) => s.correct < s.total - 1e-9);
  return new Set(missed.map(([id]) => id));
}

export interface PretestItem {
  clauseId: string;
  /** 1, or 2 when the learner's last graded attempt missed the clause. */
  count: number;
}

/** The clauses the pre-assessment tests (every unchanged one, in course order) and how many questions each. */
export function pretestPlan(
  course: Pick<Course, 'clauses'>,
  changed: readonly string[],
  last: LastAttempt | null,
): PretestItem[] {
  const missed = missedClauses(last);
  return course.clauses
    .filter((c) => !changed.includes(c.id))
    .map((c) => ({ clauseId: c.id, count: missed.has(c.id) ? 2 : 1 }));
}

/**
 * The pre-assessment's questions: for each planned clause, judgement (non-recall) questions that
 * test it, preferring ones outside the last attempt, then ones that test no clause outside the
 * plan, then ones that test a single clause; each question once. Only when the bank leaves no other way is a question of the last attempt
 * drawn again. Question and choice order are shuffled like a quiz draw's.
 */
export function drawPretest(
  bank: readonly Question[],
  plan: readonly PretestItem[],
  last: LastAttempt | null,
  rng: Rng,
): Draw {
  const seen = new Set(last?.questionIds ?? []);
  const planned = new Set(plan.map((p) => p.clauseId));
  const judgement = shuffled(
    bank.filter((q) => !q.recall),
    rng,
  );
  // Unseen before seen; then questions on planned clauses only; then one clause each, so a wrong
  // answer sends as few other clauses as possible back to study.
  const rank = (q: Question) =>
    (seen.has(q.id) ? 4 : 0) +
    (q.clauses.every((c) => planned.has(c)) ? 0 : 2) +
    (q.clauses.length > 1 ? 1 : 0);
  const ordered = [...judgement].sort((a, b) => rank(a) - rank(b));
  const picked = new Set<Question>();
  for (const { clauseId, count } of plan) {
    for (const q of ordered.filter((x) => x.clauses.includes(clauseId) && !picked.has(x)).slice(0, count))
      picked.add(q);
  }
  return drawQuestions([...picked], picked.size, rng);
}

export interface PathDecision {
  /** Clauses the pre-assessment showed the learner still knows, in course order. */
  testedOut: string[];
  /** The changed clauses and those not tested out, in course order. */
  study: string[];
}

/**
 * A clause is tested out only when every pre-assessment question testing it earned full points
 * (and at least one did test it); changed clauses are always studied.
 */
export function decidePath(
  course: Pick<Course, 'clauses'>,
  changed: readonly string[],
  graded: readonly GradedQuestion[],
): PathDecision {
  const testedOut = course.clauses
    .map((c) => c.id)
    .filter((id) => {
      if (changed.includes(id)) return false;
      const on = graded.filter((g) => g.clauses.includes(id));
      return on.length > 0 && on.every((g) => g.points >= 1 - 1e-9);
    });
  return {
    testedOut,
    study: course.clauses.map((c) => c.id).filter((id) => !testedOut.includes(id)),
  };
}

/** The learner declined the pre-assessment: the full path, every clause studied. */
export function declinedPath(course: Pick<Course, 'clauses'>): PathDecision {
  return { testedOut: [], study: course.clauses.map((c) => c.id) };
}

/** The cycle fields the path rules read (a subset of the stored refresher record). */
export interface RefresherState {
  status: 'pending' | 'decided';
  pretestAttemptId: string | null;
  study: readonly string[];
  /** The published policy version the decision was made against (absent on older records). */
  policyVersion?: number;
  /** Test-out was switched off before the pre-assessment was graded: the full path. */
  fullPath?: boolean;
}

/**
 * A decided pre-assessment: the short path (a decline, with no pre-assessment, is the full one, and
 * so is a check graded after HR switched test-out off).
 */
export function onShortPath(refresher: RefresherState | null | undefined): boolean {
  return (
    refresher?.status === 'decided' && refresher.pretestAttemptId !== null && refresher.fullPath !== true
  );
}

/**
 * A short path decided against an older policy version than the one published now: a clause may
 * have changed since, so the path must be worked out again before the cycle can complete.
 */
export function isStaleShortPath(
  course: Pick<Course, 'policyVersion'>,
  refresher: RefresherState | null | undefined,
): boolean {
  return (
    onShortPath(refresher) &&
    typeof refresher?.policyVersion === 'number' &&
    refresher.policyVersion < course.policyVersion
  );
}

/**
 * A decided path brought up to date with the clauses changed since the learner's last attestation
 * as published now: a newly changed clause moves from tested out to study (it is always studied).
 * `added` lists the clauses that moved.
 */
export function withChangedClauses(
  course: Pick<Course, 'clauses'>,
  decided: { changed: readonly string[]; testedOut: readonly string[] },
  changedNow: readonly string[],
): { changed: string[]; testedOut: string[]; study: string[]; added: string[] } {
  const changed = new Set([...decided.changed, ...changedNow]);
  const testedOut = decided.testedOut.filter((id) => !changed.has(id));
  const added = decided.testedOut.filter((id) => changed.has(id));
  const ids = course.clauses.map((c) => c.id);
  return {
    changed: ids.filter((id) => changed.has(id)),
    testedOut,
    study: ids.filter((id) => !testedOut.includes(id)),
    added,
  };
}

/** The clauses to study on the short path; null on any other path (the whole course). */
export function shortPathStudy(refresher: RefresherState | null | undefined): readonly string[] | null {
  return refresher && onShortPath(refresher) ? refresher.study : null;
}

/** The clauses the quiz draws from: the study clauses on the short path; null for the whole bank. */
export function quizScope(refresher: RefresherState | null | undefined): string[] | null {
  const study = shortPathStudy(refresher);
  return study && study.length > 0 ? [...study] : null;
}

/** Nothing left to study after the pre-assessment: the cycle needs only the attestation. */
export function needsOnlyAttestation(refresher: RefresherState | null | undefined): boolean {
  return shortPathStudy(refresher)?.length === 0;
}

/** Questions testing a scope clause, each naming only its scope clauses (so the draw covers those). */
export function scopedBank<Q extends DrawableQuestion>(bank: readonly Q[], scope: readonly string[]): Q[] {
  return bank.flatMap((q) => {
    const clauses = q.clauses.filter((c) => scope.includes(c));
    return clauses.length > 0 ? [{ ...q, clauses }] : [];
  });
}

/**
 * Questions in a scoped quiz: the course's questions per attempt in proportion to the share of
 * clauses studied, at least one per study clause, at most what the scoped bank holds.
 */
export function scopedQuestionCount(
  course: Pick<Course, 'clauses' | 'quiz'>,
  scope: readonly string[],
  available: number,
): number {
  const share = Math.ceil(
    (course.quiz.questionsPerAttempt * scope.length) / Math.max(1, course.clauses.length),
  );
  return Math.min(available, Math.max(scope.length, share));
}

/** The sections of a lesson that teach a study clause. */
export function sectionsToStudy(lesson: Lesson, study: readonly string[]): LessonSection[] {
  return lesson.sections.filter((s) => s.clauses.some((c) => study.includes(c)));
}

/** Lessons with at least one section to study, in reading order. */
export function lessonsToStudy(course: Pick<Course, 'lessons'>, study: readonly string[]): Lesson[] {
  return course.lessons.filter((l) => sectionsToStudy(l, study).length > 0);
}

/** What a quiz attempt of the cycle draws from: the whole pool, or the study clauses' share of it. */
export function quizDrawPlan<Q extends DrawableQuestion>(
  course: Pick<Course, 'clauses' | 'quiz'>,
  pool: readonly Q[],
  refresher: RefresherState | null | undefined,
  /** Questions the learner was just asked (this cycle's pre-assessment): drawn only when nothing else will do. */
  seen: ReadonlySet<string> = new Set(),
): { bank: readonly Q[]; count: number; scope: string[] | null } {
  const scope = quizScope(refresher);
  if (!scope) {
    const count = course.quiz.questionsPerAttempt;
    return { bank: preferUnseen(pool, count, seen), count, scope: null };
  }
  const bank = scopedBank(pool, scope);
  const count = scopedQuestionCount(course, scope, bank.length);
  return { bank: preferUnseen(bank, count, seen), count, scope };
}

/**
 * The bank without the questions already seen, when it still fills the draw and tests every clause
 * the whole bank tests; else the whole bank (the rule: reuse only when there is no other way).
 */
export function preferUnseen<Q extends DrawableQuestion>(
  bank: readonly Q[],
  count: number,
  seen: ReadonlySet<string>,
): readonly Q[] {
  if (seen.size === 0) return bank;
  const unseen = bank.filter((q) => !seen.has(q.id));
  const covered = new Set(unseen.flatMap((q) => q.clauses));
  const enough = unseen.length >= count && bank.every((q) => q.clauses.every((c) => covered.has(c)));
  return enough ? unseen : bank;
}
