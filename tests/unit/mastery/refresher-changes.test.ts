import { describe, expect, it } from 'vitest';
import { canAttest, completionStatus } from '../../../src/domain/completion.js';
import { QUIZ_DEFAULTS } from '../../../src/domain/course.js';
import {
  isStaleShortPath,
  onShortPath,
  preferUnseen,
  quizDrawPlan,
  withChangedClauses,
} from '../../../src/domain/mastery/refresher-path.js';
import { single } from '../quiz/fixtures.js';
import { CLAUSES, threeClauseCourse } from './course-fixture.js';

/** A refresher whose circumstances change while it is open (issue #23, review). */
const course = threeClauseCourse({
  policyVersion: 2,
  questions: CLAUSES.flatMap((c) => [single(`${c}-0`, [c]), single(`${c}-1`, [c]), single(`${c}-2`, [c])]),
  quiz: { ...QUIZ_DEFAULTS, questionsPerAttempt: 6 },
});
const at = new Date('2027-03-02T10:00:00Z');
const testedOutOfAll = (policyVersion?: number) => ({
  status: 'decided' as const,
  pretestAttemptId: 'u:c:2:pretest',
  changed: [],
  testedOut: CLAUSES,
  study: [],
  decidedAt: at,
  ...(policyVersion === undefined ? {} : { policyVersion }),
});
const passedByCheck = (policyVersion?: number) => ({
  requirement: 'full' as const,
  passedAt: at,
  attestedAt: at,
  attestedVersion: course.version,
  refresher: testedOutOfAll(policyVersion),
});

describe('a policy version published after the path was decided', () => {
  it('makes the short path stale: no attestation, no completion', () => {
    expect(isStaleShortPath(course, testedOutOfAll(1))).toBe(true);
    expect(canAttest(passedByCheck(1), course)).toBe(false);
    expect(completionStatus(course, passedByCheck(1), []).complete).toBe(false);
  });

  it('the same version, or a record without one, is not stale', () => {
    expect(isStaleShortPath(course, testedOutOfAll(2))).toBe(false);
    expect(isStaleShortPath(course, testedOutOfAll())).toBe(false);
    expect(canAttest(passedByCheck(2), course)).toBe(true);
    expect(completionStatus(course, passedByCheck(2), []).complete).toBe(true);
  });

  it('moves a newly changed clause from tested out to study, in course order', () => {
    const decided = { changed: ['C3'], testedOut: ['C1', 'C2'] };
    expect(withChangedClauses(course, decided, ['C2', 'C3'])).toEqual({
      changed: ['C2', 'C3'],
      testedOut: ['C1'],
      study: ['C2', 'C3'],
      added: ['C2'],
    });
    expect(withChangedClauses(course, decided, ['C3']).added).toEqual([]);
  });
});

describe('test-out switched off before the check was graded', () => {
  it('is the full path: no short path, the quiz draws from the whole bank', () => {
    const full = { ...testedOutOfAll(2), testedOut: [], study: CLAUSES, fullPath: true };
    expect(onShortPath(full)).toBe(false);
    expect(quizDrawPlan(course, course.questions, full).scope).toBeNull();
  });
});

describe("the quiz after a check prefers questions the check didn't ask", () => {
  const weakC1 = { ...testedOutOfAll(2), testedOut: ['C2', 'C3'], study: ['C1'] };

  it('leaves out the check questions when the rest still fills the draw', () => {
    const plan = quizDrawPlan(course, course.questions, weakC1, new Set(['C1-0']));
    expect(plan.bank.map((q) => q.id)).toEqual(['C1-1', 'C1-2']);
    const full = quizDrawPlan(course, course.questions, null, new Set(['C1-0', 'C2-0', 'C3-0']));
    expect(full.bank.map((q) => q.id)).not.toContain('C2-0');
    expect(full.bank).toHaveLength(6);
  });

  it('reuses them only when the bank leaves no other way', () => {
    const bank = course.questions.filter((q) => q.id.startsWith('C1'));
    expect(preferUnseen(bank, 2, new Set(['C1-0', 'C1-1']))).toHaveLength(3);
    const tested = course.questions.filter((q) => q.id === 'C1-0' || q.id === 'C2-0');
    expect(preferUnseen(tested, 1, new Set(['C2-0']))).toHaveLength(2);
  });
});
