/**
 * Test documents shaped like the app's models, for tests that write straight to the database.
 * Every `_id` comes from the app's own key helpers (src/db/keys.ts), never spelled out here, so a
 * change of key format reaches the tests too. Defaults are fixed dates around the test clock's start
 * (TestClock: 2026-03-02 09:00 UTC); each builder takes overrides last.
 */
import { assignmentKey, attemptKey, classificationKey, cycleKey } from '../src/db/keys.js';
import type { ClassificationAnswerDoc } from '../src/db/models/learning.js';
import type { AttemptDoc, AttemptResultDoc } from '../src/db/models/quiz.js';
import type { AssignmentDoc, CycleDoc } from '../src/db/models/training.js';
import type { UserDoc } from '../src/db/models/user.js';
import { newUserId } from '../src/db/repositories/users.js';
import type { Question } from '../src/domain/course.js';
import { type CopySource, personCopy } from '../src/domain/person-copy.js';
import type { GivenAnswer } from '../src/domain/quiz/grading.js';

/** The course every test runs on: the real social media policy course in `courses/`. */
export const COURSE_ID = 'social-media-policy';

/** The test clock's start (tests/helpers/clock.ts). */
const NOW = '2026-03-02T09:00:00Z';
const ASSIGNED_AT = '2026-01-05T09:00:00Z';
const DUE_AT = '2026-02-15T00:00:00Z';

let people = 0;

/** A person as the users collection stores one: an employee in Sales with a fresh id and e-mail. */
export function buildPerson(overrides: Partial<UserDoc> = {}): UserDoc {
  people += 1;
  return {
    _id: newUserId(),
    email: `person${people}@example.com`,
    name: `Person ${people}`,
    department: 'Sales',
    managerId: null,
    role: 'employee',
    active: true,
    locale: '',
    hireDate: null,
    createdAt: new Date(NOW),
    updatedAt: new Date(NOW),
    ...overrides,
  };
}

/** A person an assignment is for: the id and the fields an assignment carries a copy of. */
export type AssignedPerson = CopySource & Pick<UserDoc, '_id'>;

/**
 * A person's assignment to a course (COURSE_ID unless `courseId` is given), carrying the person's
 * copied fields: not started, assigned by a department rule on 5 January and due 15 February.
 */
export function buildAssignment(
  person: AssignedPerson,
  overrides: Partial<AssignmentDoc> = {},
): AssignmentDoc {
  const courseId = overrides.courseId ?? COURSE_ID;
  return {
    _id: assignmentKey(person._id, courseId),
    userId: person._id,
    courseId,
    ...personCopy(person),
    source: 'department',
    ruleId: null,
    assignedAt: new Date(ASSIGNED_AT),
    assignedBy: null,
    active: true,
    cycleNo: 1,
    dueAt: new Date(DUE_AT),
    state: 'not-started',
    completedAt: null,
    expiresAt: null,
    updatedAt: new Date(NOW),
    ...overrides,
  };
}

/** Whose cycle: an assignment (its person and course), or a person (on `overrides.courseId` or COURSE_ID). */
export type CycleOwner = Pick<AssignmentDoc, 'userId' | 'courseId'> | Pick<UserDoc, '_id'>;

/** The n-th certification cycle (1-based): opened with the assignment, nothing done yet. */
export function buildCycle(of: CycleOwner, n: number, overrides: Partial<CycleDoc> = {}): CycleDoc {
  const userId = 'userId' in of ? of.userId : of._id;
  const courseId = 'userId' in of ? of.courseId : (overrides.courseId ?? COURSE_ID);
  return {
    _id: cycleKey(userId, courseId, n),
    userId,
    courseId,
    n,
    openedAt: new Date(ASSIGNED_AT),
    dueAt: new Date(DUE_AT),
    requirement: 'full',
    contentVersion: 'v-test',
    startedAt: null,
    passedAt: null,
    passedAttemptId: null,
    score: null,
    extraAttempts: 0,
    attestedAt: null,
    attestedVersion: null,
    completedAt: null,
    expiresAt: null,
    certificateCode: null,
    ...overrides,
  };
}

/** The cycle an attempt belongs to (a cycle document, or one built with buildCycle). */
export type AttemptCycle = Pick<CycleDoc, '_id' | 'userId' | 'courseId'> &
  Partial<Pick<CycleDoc, 'contentVersion'>>;

/** The fields an attempt and its result share: the key and what they belong to. */
function attemptOf(cycle: AttemptCycle, n: number) {
  return {
    _id: attemptKey(cycle._id, n),
    userId: cycle.userId,
    courseId: cycle.courseId,
    cycleId: cycle._id,
    n,
    contentVersion: cycle.contentVersion ?? 'v-test',
  };
}

/** Quiz attempt n of a cycle, open, with nothing drawn or answered. */
export function buildAttempt(
  cycle: AttemptCycle,
  n: number,
  overrides: Partial<AttemptDoc> = {},
): AttemptDoc {
  return {
    ...attemptOf(cycle, n),
    seed: 'seed',
    draw: [],
    answers: {},
    startedAt: new Date(NOW),
    deadline: null,
    savedAt: null,
    status: 'open',
    ...overrides,
  };
}

/** The graded result of attempt n of a cycle (it shares the attempt's key): failed, nothing answered. */
export function buildAttemptResult(
  cycle: AttemptCycle,
  n: number,
  overrides: Partial<AttemptResultDoc> = {},
): AttemptResultDoc {
  return {
    ...attemptOf(cycle, n),
    score: 0,
    passed: false,
    passingScore: 80,
    questions: [],
    clauses: {},
    answers: {},
    startedAt: new Date(NOW),
    submittedAt: new Date(NOW),
    receivedAt: new Date(NOW),
    timedOut: false,
    ...overrides,
  };
}

/** A person's first verdict on an example post of COURSE_ID (or `overrides.courseId`): a wrong "acceptable". */
export function buildClassificationAnswer(
  person: Pick<UserDoc, '_id' | 'department'>,
  exampleId: string,
  overrides: Partial<ClassificationAnswerDoc> = {},
): ClassificationAnswerDoc {
  const courseId = overrides.courseId ?? COURSE_ID;
  return {
    _id: classificationKey(person._id, courseId, exampleId),
    userId: person._id,
    courseId,
    exampleId,
    cycleId: null,
    department: person.department,
    contentVersion: 'v-test',
    answer: 'acceptable',
    correct: false,
    clauses: [],
    at: new Date(NOW),
    ...overrides,
  };
}

/**
 * An answer that earns no points under the app's grading: a wrong option, every wrong option of a
 * multiple-response question (hits 0, so the score floors at 0), a sound segment, or the wrong
 * verdict with a wrong reason. The right answer is the app's own `rightAnswer`.
 */
export function wrongAnswer(q: Question): GivenAnswer {
  switch (q.type) {
    case 'single':
    case 'truefalse':
      return { choiceIds: [q.options.find((o) => !o.correct)!.id] };
    case 'multiple':
      return { choiceIds: q.options.filter((o) => !o.correct).map((o) => o.id) };
    case 'spot':
      return { choiceIds: [q.segments.find((s) => !s.problem)!.id] };
    case 'classify':
      return {
        verdict: q.verdict === 'acceptable' ? 'unacceptable' : 'acceptable',
        choiceIds: [q.reasons.find((r) => !r.correct)!.id],
      };
  }
}
