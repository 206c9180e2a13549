import { describe, expect, it } from 'vitest';
import type { Course, Lesson, Question } from '../../../src/domain/course.js';
import { QUIZ_DEFAULTS, RECERTIFICATION_DEFAULTS } from '../../../src/domain/course.js';
import {
  changedSince,
  decidePath,
  declinedPath,
  drawPretest,
  isRefresherCycle,
  lessonsToStudy,
  missedClauses,
  pretestPlan,
  quizScope,
  scopedBank,
  scopedQuestionCount,
  sectionsToStudy,
} from '../../../src/domain/mastery/refresher-path.js';
import { seededRng } from '../../../src/domain/quiz/index.js';
import type { PublishedChanges } from '../../../src/domain/reattestation.js';
import { single } from '../quiz/fixtures.js';

const CLAUSES = ['C1', 'C2', 'C3', 'C4'];
const recall = (id: string, clauses: string[]): Question => ({ ...single(id, clauses), recall: true });

/** Three judgement questions and one recall question per clause; `C1-j0`, `C1-j1`, `C1-j2`, `C1-r`. */
function bank(): Question[] {
  return CLAUSES.flatMap((c) => [
    single(`${c}-j0`, [c]),
    single(`${c}-j1`, [c]),
    single(`${c}-j2`, [c]),
    recall(`${c}-r`, [c]),
  ]);
}

function lesson(id: string, sections: Array<[string, string[]]>): Lesson {
  return {
    id,
    title: id,
    objectives: [],
    clauses: [...new Set(sections.flatMap(([, c]) => c))],
    html: sections.map(([s]) => `<h2>${s}</h2>`).join(''),
    sections: sections.map(([s, clauses]) => ({ id: s, heading: s, clauses, html: `<h2>${s}</h2>` })),
  };
}

const course: Course = {
  id: 'policy',
  title: 'Policy',
  summary: '',
  estimatedMinutes: 10,
  version: 'v'.repeat(64),
  policyVersion: 3,
  policyTitle: 'Policy',
  clauses: CLAUSES.map((id, i) => ({ id, number: String(i + 1), title: id, text: id, summary: id })),
  lessons: [
    lesson('l1', [
      ['a', ['C1']],
      ['b', ['C2']],
    ]),
    lesson('l2', [['c', ['C3', 'C4']]]),
  ],
  examples: [],
  decisionTree: { start: 'q', nodes: {} },
  questions: bank(),
  quiz: { ...QUIZ_DEFAULTS, questionsPerAttempt: 8 },
  recertification: RECERTIFICATION_DEFAULTS,
};

const wording = { title: 't', summary: 's', text: 'x' };
const version = (
  n: number,
  clauses: Array<[string, 'minor' | 're-attest' | 'retrain']>,
): PublishedChanges => ({
  n,
  note: '',
  publishedAt: new Date('2026-01-01T00:00:00Z'),
  changes: clauses.map(([clauseId, kind]) => ({ clauseId, kind, before: wording, after: wording })),
});

describe('which cycles are refreshers', () => {
  it('is a full cycle after the first, for someone who attested before', () => {
    expect(isRefresherCycle({ n: 2, requirement: 'full' }, true)).toBe(true);
    expect(isRefresherCycle({ n: 1, requirement: 'full' }, true)).toBe(false);
    expect(isRefresherCycle({ n: 2, requirement: 'attest-only' }, true)).toBe(false);
    expect(isRefresherCycle({ n: 3, requirement: 'full' }, false)).toBe(false);
  });
});

describe('clauses changed since the last attested version', () => {
  it('are those any later version changed, of any kind, in course order', () => {
    const versions = [
      version(2, [['C4', 'retrain']]),
      version(3, [['C2', 'minor']]),
      version(1, [['C1', 're-attest']]),
    ];
    expect(changedSince(course, versions, 1)).toEqual(['C2', 'C4']);
    expect(changedSince(course, versions, 2)).toEqual(['C2']);
    expect(changedSince(course, versions, 3)).toEqual([]);
  });
});

describe('the pre-assessment plan and draw', () => {
  const last = {
    questionIds: ['C1-j0', 'C2-j0', 'C3-j0', 'C3-j1'],
    clauses: { C1: { correct: 1, total: 1 }, C2: { correct: 0.5, total: 1 }, C3: { correct: 2, total: 2 } },
  };

  it('a missed clause is one with fewer points than questions in the last graded attempt', () => {
    expect([...missedClauses(last)]).toEqual(['C2']);
    expect([...missedClauses(null)]).toEqual([]);
  });

  it('tests every unchanged clause once, twice when the last attempt missed it, never a changed one', () => {
    expect(pretestPlan(course, ['C4'], last)).toEqual([
      { clauseId: 'C1', count: 1 },
      { clauseId: 'C2', count: 2 },
      { clauseId: 'C3', count: 1 },
    ]);
  });

  it('draws judgement questions only, none from the last attempt, distinct, for many seeds', () => {
    const plan = pretestPlan(course, ['C4'], last);
    for (let s = 0; s < 100; s += 1) {
      const draw = drawPretest(course.questions, plan, last, seededRng(`s${s}`));
      const ids = draw.map((d) => d.questionId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toHaveLength(4);
      for (const id of ids) {
        expect(id.endsWith('-r'), id).toBe(false);
        expect(last.questionIds).not.toContain(id);
        expect(id.startsWith('C4')).toBe(false);
      }
      expect(ids.filter((id) => id.startsWith('C2'))).toHaveLength(2);
      expect(ids.filter((id) => id.startsWith('C3'))).toEqual(['C3-j2']);
    }
  });

  it('falls back to a question of the last attempt rather than leave a clause untested', () => {
    const seenAll = { questionIds: ['C1-j0', 'C1-j1', 'C1-j2'], clauses: {} };
    const draw = drawPretest(course.questions, [{ clauseId: 'C1', count: 1 }], seenAll, seededRng('x'));
    expect(draw).toHaveLength(1);
    expect(draw[0]!.questionId).toMatch(/^C1-j/);
  });

  it('is the same for the same seed', () => {
    const plan = pretestPlan(course, [], null);
    expect(drawPretest(course.questions, plan, null, seededRng('a'))).toEqual(
      drawPretest(course.questions, plan, null, seededRng('a')),
    );
  });
});

describe('the decision from the pre-assessment', () => {
  const graded = (points: Record<string, number>) =>
    Object.entries(points).map(([questionId, p]) => ({
      questionId,
      points: p,
      clauses: [questionId.slice(0, 2)],
    }));

  it('tests out a clause only when every one of its questions earned full points', () => {
    const decision = decidePath(course, ['C4'], graded({ 'C1-j1': 1, 'C2-j1': 1, 'C2-j2': 0.5, 'C3-j2': 0 }));
    expect(decision).toEqual({ testedOut: ['C1'], study: ['C2', 'C3', 'C4'] });
  });

  it('studies a clause that no graded question covered (e.g. removed from the bank since)', () => {
    expect(decidePath(course, [], graded({ 'C1-j1': 1, 'C2-j1': 1, 'C3-j1': 1 }))).toEqual({
      testedOut: ['C1', 'C2', 'C3'],
      study: ['C4'],
    });
  });

  it('a perfect pre-assessment with nothing changed leaves nothing to study', () => {
    expect(decidePath(course, [], graded({ 'C1-j1': 1, 'C2-j1': 1, 'C3-j1': 1, 'C4-j1': 1 }))).toEqual({
      testedOut: CLAUSES,
      study: [],
    });
  });

  it('declining studies everything', () => {
    expect(declinedPath(course)).toEqual({ testedOut: [], study: CLAUSES });
  });
});

describe('the study path', () => {
  const decided = (study: string[], pretestAttemptId: string | null = 'c:pretest') => ({
    status: 'decided' as const,
    pretestAttemptId,
    study,
  });

  it('keeps only the lesson sections and lessons for the study clauses', () => {
    expect(sectionsToStudy(course.lessons[0]!, ['C2']).map((s) => s.id)).toEqual(['b']);
    expect(lessonsToStudy(course, ['C2']).map((l) => l.id)).toEqual(['l1']);
    expect(lessonsToStudy(course, ['C4']).map((l) => l.id)).toEqual(['l2']);
    expect(lessonsToStudy(course, [])).toEqual([]);
  });

  it('limits the quiz to the study clauses after a pre-assessment; a full draw otherwise', () => {
    expect(quizScope(decided(['C2', 'C3']))).toEqual(['C2', 'C3']);
    expect(quizScope(decided(CLAUSES, null))).toBeNull();
    expect(quizScope({ status: 'pending', pretestAttemptId: 'c:pretest', study: [] })).toBeNull();
    expect(quizScope(null)).toBeNull();
  });

  it('draws from questions testing a study clause, naming only the study clauses', () => {
    const multi = single('multi', ['C1', 'C2']);
    const scoped = scopedBank([...course.questions, multi], ['C2']);
    expect(scoped.map((q) => q.id)).toEqual(['C2-j0', 'C2-j1', 'C2-j2', 'C2-r', 'multi']);
    expect(scoped.find((q) => q.id === 'multi')!.clauses).toEqual(['C2']);
  });

  it('asks a share of the questions per attempt, at least one per clause, at most the bank', () => {
    // 8 per attempt for 4 clauses: 2 for one clause, 4 for two.
    expect(scopedQuestionCount(course, ['C2'], 4)).toBe(2);
    expect(scopedQuestionCount(course, ['C2', 'C3'], 8)).toBe(4);
    expect(
      scopedQuestionCount(
        { ...course, quiz: { ...course.quiz, questionsPerAttempt: 2 } },
        ['C1', 'C2', 'C3'],
        12,
      ),
    ).toBe(3);
    expect(scopedQuestionCount(course, ['C2'], 1)).toBe(1);
  });
});
