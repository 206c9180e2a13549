/**
 * The SCO grades from a hashed answer key (src/scorm/runtime/answer-key.ts), not from correct flags.
 * These runs give answers that earn partial credit (multiple choice with one wrong option ticked,
 * classify with the right verdict and a wrong reason) and hold the SCO's reported score to the web
 * app's own grading of the same answers.
 */
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Course, Question } from '../../src/domain/course.js';
import type { GivenAnswer } from '../../src/domain/quiz/grading.js';
import { cmiData, launch, servedQuestions } from './scorm-harness.js';
import { expectedGrade, lmsData, openPlayer, useScoBrowser } from './scorm-run.js';

let course: Course;
let browser: Browser;
const runs = useScoBrowser((c, b) => {
  course = c;
  browser = b;
});

/** Right where only all-or-nothing is possible; partly right where the grading gives part points. */
function partlyRight(q: Question): GivenAnswer {
  switch (q.type) {
    case 'single':
    case 'truefalse':
      return { choiceIds: [q.options.find((o) => o.correct)!.id] };
    case 'spot':
      return { choiceIds: [q.segments.find((s) => s.problem)!.id] };
    case 'multiple': {
      const wrong = q.options.find((o) => !o.correct);
      return {
        choiceIds: [...q.options.filter((o) => o.correct), ...(wrong ? [wrong] : [])].map((o) => o.id),
      };
    }
    case 'classify':
      return { verdict: q.verdict, choiceIds: [q.reasons.find((r) => !r.correct)!.id] };
  }
}

/** Classify questions give half a point for a right verdict; multiple choice only with partial credit. */
function canEarnPartPoints(q: Question): boolean {
  return q.type === 'classify' || (q.type === 'multiple' && q.partialCredit === true);
}

for (const format of ['scorm12', 'scorm2004'] as const) {
  describe(`${format}: grading from the hashed answer key`, () => {
    it('reports exactly the web app’s score for partly right answers, and reviews without a key', async () => {
      const run = await openPlayer(browser, course, format, 'failed');
      runs.push(run);
      const sco = await launch(run.page, run.base, { preload: lmsData(format, course) });
      await sco.click('a[data-goto="quiz"]');
      await sco.click('#quiz-start');
      const served = await servedQuestions(sco);
      const answers: Record<string, GivenAnswer> = {};
      for (const [pos, id] of served.entries()) {
        const answer = partlyRight(course.questions.find((q) => q.id === id)!);
        answers[id] = answer;
        if (answer.verdict) await sco.check(`#q${pos}-verdict-${answer.verdict}`);
        for (const choice of answer.choiceIds) await sco.check(`#q${pos}-${choice}`);
      }
      await sco.click('#quiz-submit');
      await sco.waitForSelector('#result-summary');
      const expected = expectedGrade(course, served, answers);
      // Where the random draw holds a question that can earn part points, it did, so a
      // whole-answer-only key could not pass this (tests/unit/scorm/answer-key.test.ts checks every
      // possible answer to every question; a draw of single-answer questions only is rare).
      const partial = served.some((id) => canEarnPartPoints(course.questions.find((q) => q.id === id)!));
      expect(expected.questions.some((g) => g.points > 0 && g.points < 1)).toBe(partial);
      expect(await sco.textContent('#result-summary')).toContain(`${expected.score}%`);
      const result = (await sco.textContent('#result-body')) ?? '';
      expect(result).not.toContain('Right answer');
      await sco.click('#sco-finish');
      await sco.waitForSelector('#sco-ended:not([hidden])');
      const { cmi } = await cmiData(run.page);
      const raw = format === 'scorm12' ? cmi.core.score.raw : cmi.score.raw;
      expect(raw).toBe(String(expected.score));
    });
  });
}
