import { assignmentKey, attemptKey, cycleKey } from '../../../src/db/keys.js';
import type { AttemptDoc, AttemptResultDoc } from '../../../src/db/models/quiz.js';
import type {
  AttestationDoc,
  CertificateByCycleDoc,
  CertificateDoc,
} from '../../../src/db/models/records.js';
import type { AssignmentDoc, CycleDoc, ProgressDoc } from '../../../src/db/models/training.js';
import { formatCertificateCode } from '../../../src/domain/certificate-code.js';
import type { Course, Question } from '../../../src/domain/course.js';
import { addDays, utcDay } from '../../../src/domain/dates.js';
import { drawQuestions } from '../../../src/domain/quiz/draw.js';
import { type Answers, gradeAttempt } from '../../../src/domain/quiz/grading.js';
import { seededRng } from '../../../src/domain/quiz/random.js';
import { cycleState, expiryFor, refresherDueAt, windowOpensAt } from '../../../src/domain/recertification.js';
import type { AuditInput } from '../../../src/services/audit/log.js';
import { answerFor } from '../lib/answers.js';
import { between, chance, type Random } from './random.js';

/**
 * One person's two years of training history for one course, as the app would have written it:
 * cycles that follow the course's refresher rules, 1–3 quiz attempts graded by the real grader,
 * attestations and certificates for completed cycles, and the assignment summary from `cycleState`.
 * Pure: everything comes from `rnd` and `ctx.now`.
 */

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

export interface HistoryContext {
  course: Course;
  questionsById: ReadonlyMap<string, Question>;
  now: Date;
  /** Start of the history (two years before `now`). */
  start: Date;
}

export interface Person {
  id: string;
  name: string;
  email: string;
  department: string;
  managerId: string | null;
  active: boolean;
  hireDate: Date;
  /** When the course reached this person's department (roll-outs come in waves, spreading the cycles). */
  rolloutAt: Date;
}

export type AuditRecord = AuditInput & { at: Date };

export interface PersonHistory {
  assignment: AssignmentDoc | null;
  cycles: CycleDoc[];
  attempts: AttemptDoc[];
  results: AttemptResultDoc[];
  attestations: AttestationDoc[];
  certificates: CertificateDoc[];
  certificateByCycle: CertificateByCycleDoc[];
  progress: ProgressDoc[];
  audit: AuditRecord[];
}

const STATEMENT = 'I have read and understood the policy and will follow it.';

function at(ms: number): Date {
  return new Date(Math.round(ms));
}

/** A graded attempt: `wrong` questions answered wrongly on purpose, the rest right. */
function attempt(
  ctx: HistoryContext,
  cycle: CycleDoc,
  n: number,
  startedAt: Date,
  wrong: number,
  rnd: Random,
): { doc: AttemptDoc; result: AttemptResultDoc } {
  const { course } = ctx;
  const seed = `${cycle._id}:${n}`;
  const draw = drawQuestions(course.questions, course.quiz.questionsPerAttempt, seededRng(seed));
  const wrongAt = new Set<number>();
  while (wrongAt.size < Math.min(wrong, draw.length)) wrongAt.add(between(rnd, 0, draw.length - 1));
  const answers: Answers = {};
  draw.forEach((d, i) => {
    answers[d.questionId] = answerFor(ctx.questionsById.get(d.questionId)!, !wrongAt.has(i));
  });
  const grade = gradeAttempt(ctx.questionsById, draw, answers, course.quiz.passingScore);
  const submittedAt = at(startedAt.getTime() + between(rnd, 12, 35) * MIN);
  const id = attemptKey(cycle._id, n);
  const base = { _id: id, userId: cycle.userId, courseId: course.id, cycleId: cycle._id, n };
  return {
    doc: {
      ...base,
      contentVersion: course.version,
      seed,
      draw,
      answers,
      startedAt,
      deadline: null,
      savedAt: submittedAt,
      status: 'graded',
    },
    result: {
      ...base,
      contentVersion: course.version,
      score: grade.score,
      passed: grade.passed,
      passingScore: course.quiz.passingScore,
      questions: grade.questions,
      clauses: grade.clauses,
      answers,
      startedAt,
      submittedAt,
      receivedAt: submittedAt,
      timedOut: false,
    },
  };
}

function emptyHistory(): PersonHistory {
  return {
    assignment: null,
    cycles: [],
    attempts: [],
    results: [],
    attestations: [],
    certificates: [],
    certificateByCycle: [],
    progress: [],
    audit: [],
  };
}

function newCycleDoc(ctx: HistoryContext, person: Person, n: number, openedAt: Date, dueAt: Date): CycleDoc {
  return {
    _id: cycleKey(person.id, ctx.course.id, n),
    userId: person.id,
    courseId: ctx.course.id,
    n,
    openedAt,
    dueAt,
    requirement: 'full',
    contentVersion: ctx.course.version,
    startedAt: null,
    passedAt: null,
    passedAttemptId: null,
    score: null,
    extraAttempts: 0,
    exhaustedAt: null,
    attestedAt: null,
    attestedVersion: null,
    completedAt: null,
    expiresAt: null,
    certificateCode: null,
  };
}

function progressDoc(ctx: HistoryContext, cycle: CycleDoc, viewedAt: Date, lessons: number): ProgressDoc {
  const viewed: Record<string, Date> = {};
  for (const lesson of ctx.course.lessons.slice(0, lessons)) viewed[lesson.id] = viewedAt;
  const done = lessons >= ctx.course.lessons.length;
  const next = ctx.course.lessons[Math.min(lessons, ctx.course.lessons.length - 1)]!;
  return {
    _id: cycle._id,
    userId: cycle.userId,
    courseId: cycle.courseId,
    viewed,
    lastLocation: done ? `/learn/${ctx.course.id}/quiz` : `/learn/${ctx.course.id}/lessons/${next.id}`,
    updatedAt: viewedAt,
  };
}

/** Completes `cycle` at about `doneAt`: attempts (the last one passes), attestation, certificate. */
function complete(
  ctx: HistoryContext,
  person: Person,
  cycle: CycleDoc,
  doneAt: number,
  rnd: Random,
  out: PersonHistory,
) {
  const { course } = ctx;
  const tries = chance(rnd, 0.8) ? 1 : chance(rnd, 0.85) ? 2 : 3;
  const gap = (course.quiz.cooldownMinutes + 45) * MIN;
  let startMs = doneAt - tries * gap;
  const firstStart = at(startMs - between(rnd, 20, 90) * MIN);
  out.progress.push(progressDoc(ctx, cycle, firstStart, course.lessons.length));
  out.audit.push({
    at: firstStart,
    actorId: person.id,
    action: 'login.success',
    targetType: 'user',
    targetId: person.id,
    subjectId: person.id,
    details: { ip: '10.0.0.1' },
  });
  let passed: AttemptResultDoc | null = null;
  for (let n = 1; n <= tries; n++) {
    const last = n === tries;
    const { doc, result } = attempt(
      ctx,
      cycle,
      n,
      at(startMs),
      last ? between(rnd, 0, 2) : between(rnd, 4, 7),
      rnd,
    );
    out.attempts.push(doc);
    out.results.push(result);
    for (const action of ['attempt.started', 'attempt.submitted']) {
      out.audit.push({
        at: action === 'attempt.started' ? doc.startedAt : result.submittedAt,
        actorId: person.id,
        action,
        targetType: 'attempt',
        targetId: doc._id,
        subjectId: person.id,
        details: { courseId: course.id },
      });
    }
    if (result.passed) passed = result;
    startMs += gap;
  }
  if (!passed) return; // grading disagreed with the plan: leave the cycle open, as the app would
  const attestedAt = at(passed.submittedAt.getTime() + between(rnd, 1, 5) * MIN);
  const previous = out.cycles.filter((c) => c.n < cycle.n && c.expiresAt).at(-1)?.expiresAt ?? null;
  const expiresAt = expiryFor(course.recertification, attestedAt, previous);
  const codeBytes = Uint8Array.from({ length: 10 }, () => between(rnd, 0, 255));
  const code = formatCertificateCode(codeBytes);
  Object.assign(cycle, {
    startedAt: firstStart,
    passedAt: passed.submittedAt,
    passedAttemptId: passed._id,
    score: passed.score,
    attestedAt,
    attestedVersion: course.version,
    completedAt: attestedAt,
    expiresAt,
    certificateCode: code,
  });
  out.attestations.push({
    _id: cycle._id,
    cycleId: cycle._id,
    cycleNo: cycle.n,
    userId: person.id,
    courseId: course.id,
    contentVersion: course.version,
    policyTitle: course.policyTitle,
    typedName: person.name,
    statement: STATEMENT,
    at: attestedAt,
    ip: '10.0.0.1',
    userAgent: 'synthetic',
  });
  out.certificateByCycle.push({ _id: cycle._id, code, completedAt: attestedAt, expiresAt });
  out.certificates.push({
    _id: code,
    cycleId: cycle._id,
    cycleNo: cycle.n,
    userId: person.id,
    courseId: course.id,
    name: person.name,
    courseTitle: course.title,
    contentVersion: course.version,
    score: passed.score,
    completedAt: attestedAt,
    expiresAt,
    issuedAt: attestedAt,
  });
  for (const action of ['attested', 'cycle.completed', 'certificate.issued']) {
    out.audit.push({
      at: attestedAt,
      actorId: person.id,
      action,
      targetType: 'cycle',
      targetId: cycle._id,
      subjectId: person.id,
      details: { courseId: course.id },
    });
  }
}

/** Leaves `cycle` open; some people have started it (lessons read, maybe a failed attempt). */
function leaveOpen(ctx: HistoryContext, cycle: CycleDoc, rnd: Random, out: PersonHistory) {
  const now = ctx.now.getTime();
  const opened = cycle.openedAt.getTime();
  if (now - opened < DAY || !chance(rnd, 0.4)) return;
  const startedAt = at(opened + rnd() * (now - opened - 2 * 3600_000));
  cycle.startedAt = startedAt;
  out.progress.push(progressDoc(ctx, cycle, startedAt, between(rnd, 1, ctx.course.lessons.length)));
  if (chance(rnd, 0.3)) {
    const { doc, result } = attempt(
      ctx,
      cycle,
      1,
      at(startedAt.getTime() + 3600_000),
      between(rnd, 4, 7),
      rnd,
    );
    if (result.submittedAt.getTime() < now) {
      out.attempts.push(doc);
      out.results.push(result);
    }
  }
}

export function personHistory(ctx: HistoryContext, person: Person, rnd: Random): PersonHistory {
  const out = emptyHistory();
  const { course, now } = ctx;
  const policy = course.recertification;
  const hired = Math.max(person.rolloutAt.getTime(), person.hireDate.getTime());
  const assignedAt = at(
    utcDay(at(hired)).getTime() + between(rnd, 0, 3) * DAY + between(rnd, 6, 10) * 3600_000,
  );
  // New hires of the last day are not assigned yet: that is the sweep's work.
  if (assignedAt.getTime() > now.getTime() - DAY) return out;

  // How early in a cycle this person usually finishes (0 = at once, 1 = around the due date).
  const diligence = rnd();
  let cycle = newCycleDoc(ctx, person, 1, assignedAt, addDays(utcDay(assignedAt), 30));
  for (;;) {
    out.cycles.push(cycle);
    const opened = cycle.openedAt.getTime();
    const span = cycle.dueAt!.getTime() - opened + 20 * DAY;
    const doneAt = opened + (0.03 + diligence * 0.9 + rnd() * 0.1) * span;
    if (chance(rnd, 0.04) || doneAt > now.getTime() || doneAt - opened < 4 * 3600_000) {
      leaveOpen(ctx, cycle, rnd, out);
      break;
    }
    complete(ctx, person, cycle, doneAt, rnd, out);
    if (!cycle.expiresAt) break;
    const opens = windowOpensAt(policy, cycle.expiresAt);
    // Windows that opened in the last day are left for the sweep to open, as in a running system.
    if (opens.getTime() > now.getTime() - DAY) break;
    cycle = newCycleDoc(
      ctx,
      person,
      cycle.n + 1,
      at(opens.getTime() + 15 * MIN),
      refresherDueAt(cycle.expiresAt),
    );
  }

  const status = cycleState(policy, out.cycles, now);
  const latest = out.cycles.at(-1)!;
  const lastDone = out.cycles.filter((c) => c.completedAt).at(-1) ?? null;
  out.assignment = {
    _id: assignmentKey(person.id, course.id),
    userId: person.id,
    courseId: course.id,
    department: person.department,
    managerId: person.managerId,
    name: person.name,
    email: person.email,
    source: person.hireDate.getTime() > person.rolloutAt.getTime() ? 'rule' : 'department',
    ruleId: null,
    assignedAt,
    assignedBy: null,
    active: person.active,
    cycleNo: latest.n,
    dueAt: status.dueAt,
    state: status.state,
    completedAt: lastDone?.completedAt ?? null,
    expiresAt: lastDone?.expiresAt ?? null,
    updatedAt: latest.completedAt ?? latest.startedAt ?? latest.openedAt,
  };
  return out;
}
