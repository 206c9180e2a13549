import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultCoursesDir, loadCourse } from '../../../src/content/index.js';
import type { Course, Question } from '../../../src/domain/course.js';
import { drawQuestions, seededRng } from '../../../src/domain/quiz/index.js';
import { buildScoBank } from '../../../src/scorm/bank.js';

// The SCO draws with the web app's drawQuestions from its own blind bank: it must carry what the
// draw needs (whether order is fixed, which questions are recall) and still give nothing away.

let course: Course;
const FIXED = 'The reply only makes sense after the question it answers';
beforeAll(async () => {
  const loaded = await loadCourse(path.join(defaultCoursesDir, 'social-media-policy'));
  const firstSpot = loaded.questions.findIndex((q) => q.type === 'spot');
  const questions: Question[] = loaded.questions.map((q, i) =>
    i === firstSpot
      ? { ...q, fixedOrder: FIXED }
      : i % 5 === 0 && q.type !== 'spot'
        ? { ...q, recall: true }
        : q,
  );
  course = { ...loaded, questions };
});

describe('the SCORM bank and the draw', () => {
  it('draws exactly what the web app draws for the same seed', () => {
    const bank = buildScoBank(course);
    for (let s = 0; s < 100; s++) {
      const seed = s.toString(36);
      const n = course.quiz.questionsPerAttempt;
      expect(drawQuestions(bank.questions, n, seededRng(seed)), seed).toEqual(
        drawQuestions(course.questions, n, seededRng(seed)),
      );
    }
  });

  it('carries fixed order and recall as flags, never the reason or anything about correctness', () => {
    const bank = buildScoBank(course);
    const fixed = bank.questions.filter((q) => q.fixedOrder);
    expect(fixed).toHaveLength(1);
    expect(fixed[0]!.fixedOrder).toBe(true);
    expect(bank.questions.filter((q) => q.recall).length).toBe(
      course.questions.filter((q) => q.recall).length,
    );
    const json = JSON.stringify(bank.questions);
    expect(json).not.toContain(FIXED);
    expect(json).not.toMatch(/"(correct|problem|partialCredit|verdict|lengthReason)"/);
  });

  it('shuffles spot segments and options in the package, and keeps a fixed order', () => {
    const bank = buildScoBank(course);
    const spots = bank.questions.filter((q) => q.type === 'spot' && !q.fixedOrder).map((q) => q.id);
    const fixedId = bank.questions.find((q) => q.fixedOrder)!.id;
    const fixedAuthorOrder = course.questions.find((q) => q.id === fixedId)!;
    const moved = new Set<string>();
    const drawnSpots = new Set<string>();
    for (let s = 0; s < 200; s++) {
      for (const drawn of drawQuestions(bank.questions, bank.questions.length, seededRng(`p${s}`))) {
        const q = course.questions.find((x) => x.id === drawn.questionId)!;
        if (q.type === 'spot' && drawn.questionId !== fixedId) drawnSpots.add(q.id);
        const author = q.type === 'spot' ? q.segments.map((x) => x.id) : null;
        if (drawn.questionId === fixedId && fixedAuthorOrder.type === 'spot') {
          expect(drawn.choiceIds).toEqual(fixedAuthorOrder.segments.map((x) => x.id));
        } else if (author && drawn.choiceIds.join() !== author.join()) moved.add(drawn.questionId);
      }
    }
    // Every spot question was drawn, and seen out of author order.
    expect(drawnSpots.size).toBe(spots.length);
    expect([...moved].sort()).toEqual([...spots].sort());
  });
});
