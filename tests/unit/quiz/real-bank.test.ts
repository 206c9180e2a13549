import { describe, expect, it } from 'vitest';
import { defaultCoursesDir, loadCourse } from '../../../src/content/index.js';
import { drawQuestions, gradeQuestion, rightAnswer, seededRng } from '../../../src/domain/quiz/index.js';

describe('the social media course bank', () => {
  it('lets every 12-question attempt test every clause of the policy', async () => {
    const course = await loadCourse(`${defaultCoursesDir}/social-media-policy`);
    expect(course.questions.length).toBeGreaterThanOrEqual(30);
    for (let s = 0; s < 100; s++) {
      const draw = drawQuestions(course.questions, course.quiz.questionsPerAttempt, seededRng(`bank-${s}`));
      const tested = new Set(
        draw.flatMap((d) => course.questions.find((q) => q.id === d.questionId)!.clauses),
      );
      expect([...tested].sort(), `seed bank-${s}`).toEqual(course.clauses.map((c) => c.id).sort());
    }
  });

  it('has one right answer per question that earns full points, and a changed one that does not', async () => {
    const course = await loadCourse(`${defaultCoursesDir}/social-media-policy`);
    for (const q of course.questions) {
      const right = rightAnswer(q);
      expect(gradeQuestion(q, right), q.id).toBe(1);
      // Dropping the first chosen id (or flipping a classify verdict) must cost points.
      const worse =
        q.type === 'classify'
          ? { ...right, verdict: q.verdict === 'acceptable' ? 'unacceptable' : 'acceptable' }
          : { choiceIds: right.choiceIds.slice(1) };
      expect(gradeQuestion(q, worse as typeof right), q.id).toBeLessThan(1);
    }
  });
});
