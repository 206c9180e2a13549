import { describe, expect, it } from 'vitest';
import {
  type CycleProgress,
  canAttest,
  certificateStatus,
  completionStatus,
  couldComplete,
  isCycleComplete,
} from '../../../src/domain/completion.js';
import { type Course, QUIZ_DEFAULTS, RECERTIFICATION_DEFAULTS } from '../../../src/domain/course.js';

const V1 = 'a'.repeat(64);
const V2 = 'b'.repeat(64);

function courseWith(lessonIds: string[], version = V1): Course {
  return {
    id: 'policy',
    title: 'Policy',
    summary: '',
    estimatedMinutes: 10,
    version,
    policyVersion: 1,
    policyTitle: 'Policy',
    clauses: [],
    lessons: lessonIds.map((id) => ({ id, title: id, objectives: [], clauses: [], html: '', sections: [] })),
    examples: [],
    decisionTree: { start: 'q', nodes: {} },
    questions: [],
    quiz: QUIZ_DEFAULTS,
    recertification: RECERTIFICATION_DEFAULTS,
  };
}

const course = courseWith(['intro', 'posting', 'privacy']);
const at = (iso: string) => new Date(iso);
const fresh = (): CycleProgress => ({
  requirement: 'full',
  passedAt: null,
  attestedAt: null,
  attestedVersion: null,
});

type Step = 'lessons' | 'quiz' | 'attest';
/** Applies the steps in order; after each one, returns whether the rule said "complete". */
function walk(order: Step[]): boolean[] {
  const cycle = fresh();
  const viewed: string[] = [];
  return order.map((step) => {
    if (step === 'lessons') viewed.push('intro', 'posting', 'privacy');
    if (step === 'quiz') cycle.passedAt = at('2026-03-02T10:00:00Z');
    if (step === 'attest') {
      cycle.attestedAt = at('2026-03-02T10:05:00Z');
      cycle.attestedVersion = V1;
    }
    return isCycleComplete(course, cycle, viewed);
  });
}

describe('completion of a full cycle, in every order of steps', () => {
  const orders: Step[][] = [
    ['lessons', 'quiz', 'attest'],
    ['quiz', 'attest', 'lessons'],
    ['quiz', 'lessons', 'attest'],
  ];
  for (const order of orders) {
    it(`${order.join(' → ')}: complete only after the last step`, () => {
      expect(walk(order)).toEqual([false, false, true]);
    });
  }

  it('is not complete with one lesson unread, and names it', () => {
    const cycle = {
      ...fresh(),
      passedAt: at('2026-03-02T10:00:00Z'),
      attestedAt: at('2026-03-02T10:05:00Z'),
      attestedVersion: V1,
    };
    const status = completionStatus(course, cycle, ['intro', 'privacy']);
    expect(status).toMatchObject({
      complete: false,
      lessonsViewed: 2,
      lessonsTotal: 3,
      lessonsMissing: ['posting'],
    });
  });

  it('ignores views of lessons the course no longer has', () => {
    expect(completionStatus(course, fresh(), ['gone', 'intro']).lessonsViewed).toBe(1);
  });

  it('keeps an attestation on an earlier version valid for a full cycle', () => {
    const cycle = {
      ...fresh(),
      passedAt: at('2026-03-02T10:00:00Z'),
      attestedAt: at('2026-03-02T10:05:00Z'),
      attestedVersion: V1,
    };
    expect(
      isCycleComplete(courseWith(['intro', 'posting', 'privacy'], V2), cycle, [
        'intro',
        'posting',
        'privacy',
      ]),
    ).toBe(true);
  });
});

describe('attest-only cycles (a new policy version)', () => {
  const v2 = courseWith(['intro', 'posting', 'privacy'], V2);
  const attestOnly = (version: string | null): CycleProgress => ({
    requirement: 'attest-only',
    passedAt: null,
    attestedAt: version ? at('2026-03-02T10:05:00Z') : null,
    attestedVersion: version,
  });

  it('needs only an attestation on the current version: no lessons, no quiz', () => {
    expect(isCycleComplete(v2, attestOnly(V2), [])).toBe(true);
    expect(isCycleComplete(v2, attestOnly(null), ['intro', 'posting', 'privacy'])).toBe(false);
  });

  it('does not accept an attestation of an older version', () => {
    expect(isCycleComplete(v2, attestOnly(V1), [])).toBe(false);
  });

  it('lets the learner attest before any quiz', () => {
    expect(canAttest(attestOnly(null))).toBe(true);
    expect(canAttest(fresh())).toBe(false);
    expect(canAttest({ ...fresh(), passedAt: at('2026-03-02T10:00:00Z') })).toBe(true);
  });
});

describe('couldComplete: whether reading the viewed lessons can change the answer', () => {
  it('is false until the quiz is passed and the policy attested, whatever was viewed', () => {
    const cycle = fresh();
    expect(couldComplete(course, cycle)).toBe(false);
    cycle.passedAt = at('2026-03-02T10:00:00Z');
    expect(couldComplete(course, cycle)).toBe(false);
    cycle.attestedAt = at('2026-03-02T10:05:00Z');
    cycle.attestedVersion = V1;
    expect(couldComplete(course, cycle)).toBe(true);
    // Lessons still decide: the rule itself is unchanged.
    expect(isCycleComplete(course, cycle, ['intro'])).toBe(false);
  });

  it('for an attest-only cycle, follows the attestation of the current version alone', () => {
    const cycle: CycleProgress = { ...fresh(), requirement: 'attest-only' };
    expect(couldComplete(course, cycle)).toBe(false);
    expect(
      couldComplete(course, { ...cycle, attestedAt: at('2026-03-02T10:05:00Z'), attestedVersion: V2 }),
    ).toBe(false);
    expect(
      couldComplete(course, { ...cycle, attestedAt: at('2026-03-02T10:05:00Z'), attestedVersion: V1 }),
    ).toBe(true);
  });
});

describe('certificate status', () => {
  const expiresAt = at('2027-03-02T00:00:00Z');
  it('is valid until the expiry instant and expired from it', () => {
    expect(certificateStatus(expiresAt, at('2027-03-01T23:59:59Z'))).toBe('valid');
    expect(certificateStatus(expiresAt, at('2027-03-02T00:00:00Z'))).toBe('expired');
  });
  it('never expires without an expiry date', () => {
    expect(certificateStatus(null, at('2099-01-01T00:00:00Z'))).toBe('valid');
  });
});
