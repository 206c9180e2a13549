import { describe, expect, it } from 'vitest';
import { type CycleProgress, canAttest, completionStatus } from '../../../src/domain/completion.js';
import { quizStatus } from '../../../src/domain/quiz/index.js';
import { threeClauseCourse } from './course-fixture.js';

const course = threeClauseCourse({}, { splitL2: true });
const at = new Date('2027-03-02T10:00:00Z');
const refresher = (study: string[], pretestAttemptId: string | null = 'u:c:2:pretest') => ({
  status: 'decided' as const,
  pretestAttemptId,
  changed: [],
  testedOut: [],
  study,
  decidedAt: at,
});
const cycle = (over: Partial<CycleProgress>): CycleProgress => ({
  requirement: 'full',
  passedAt: null,
  attestedAt: null,
  attestedVersion: null,
  ...over,
});

describe('completion of a refresher cycle', () => {
  it('with nothing to study, the pre-assessment and the attestation complete it without a lesson', () => {
    const c = cycle({ refresher: refresher([]), passedAt: at });
    expect(canAttest(c)).toBe(true);
    expect(completionStatus(course, c, []).complete).toBe(false);
    const signed = { ...c, attestedAt: at, attestedVersion: course.version };
    expect(completionStatus(course, signed, [])).toMatchObject({ complete: true, lessonsMissing: [] });
  });

  it('with weak clauses, asks only the lessons that teach them, the scoped quiz and the attestation', () => {
    const c = cycle({
      refresher: refresher(['C3']),
      passedAt: at,
      attestedAt: at,
      attestedVersion: course.version,
    });
    expect(completionStatus(course, c, [])).toMatchObject({
      complete: false,
      lessonsMissing: ['l2'],
      lessonsTotal: 1,
    });
    expect(completionStatus(course, c, ['l2'])).toMatchObject({ complete: true, lessonsViewed: 1 });
    expect(completionStatus(course, { ...c, passedAt: null }, ['l2']).complete).toBe(false);
  });

  it('a declined or undecided pre-assessment is the full path', () => {
    const signed = { passedAt: at, attestedAt: at, attestedVersion: course.version };
    for (const r of [refresher(['C1', 'C2', 'C3'], null), { ...refresher([]), status: 'pending' as const }]) {
      const c = cycle({ refresher: r, ...signed });
      expect(completionStatus(course, c, ['l2']).complete).toBe(false);
      expect(completionStatus(course, c, ['l1', 'l2']).complete).toBe(true);
    }
  });

  it('the quiz is not required once the pre-assessment left nothing to study', () => {
    const facts = (r: ReturnType<typeof refresher>) => ({
      requirement: 'full' as const,
      extraAttempts: 0,
      refresher: r,
    });
    expect(quizStatus(course.quiz, facts(refresher([])), [], at).state.kind).toBe('not-required');
    expect(quizStatus(course.quiz, facts(refresher(['C1'])), [], at).state.kind).toBe('can-start');
  });
});
