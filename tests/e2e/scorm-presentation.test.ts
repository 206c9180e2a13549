import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Course, ExamplePost, Question } from '../../src/domain/course.js';
import { answerQuiz, cmiData, launch } from './scorm-harness.js';
import { lmsData, openPlayer, useScoBrowser } from './scorm-run.js';

// The package presents the quiz with the web app's draw: spot segments and options shuffled per
// attempt, and the three verdicts (acceptable, ask first, not acceptable) for classify questions
// and example posts.

let course: Course;
let browser: Browser;
const runs = useScoBrowser((c, b) => {
  browser = b;
  // Every question on the page; one classify question keyed ask-first; an ask-first example first.
  let flipped = false;
  // Recall questions (at most one per attempt) unmarked, so every question is served.
  const questions: Question[] = c.questions.map(({ recall: _recall, ...q }) => {
    if (q.type !== 'classify' || flipped) return q as Question;
    flipped = true;
    return { ...q, verdict: 'ask-first' };
  });
  const askFirst: ExamplePost = {
    id: 'client-not-on-list',
    platform: 'linkedin',
    persona: { name: 'Priya Shah', role: 'Account manager' },
    text: 'Kick-off with the Northwind team today!',
    verdict: 'ask-first',
    reasons: ['Naming a client is fine only once they are on the reference list.'],
    clauses: [c.clauses[0]!.id],
  };
  course = {
    ...c,
    questions,
    examples: [askFirst, ...c.examples],
    quiz: { ...c.quiz, questionsPerAttempt: c.questions.length, maxAttempts: 3 },
  };
});

function authorOrder(q: Question): string[] {
  if (q.type === 'spot') return q.segments.map((s) => s.id);
  if (q.type === 'classify') return q.reasons.map((r) => r.id);
  return q.options.map((o) => o.id);
}

describe.each(['scorm12', 'scorm2004'] as const)('%s', (format) => {
  it('shuffles spot segments and options, offers three verdicts and grades ask-first', async () => {
    const run = await openPlayer(browser, course, format, 'failed');
    runs.push(run);
    const sco = await launch(run.page, run.base, { preload: lmsData(format, course) });

    // The example post keyed ask-first: three buttons, and "Ask first" is right.
    await sco.click('a[data-goto="examples"]');
    const buttons = await sco.$$eval('[data-example="0"] [data-verdict]', (bs) =>
      bs.map((b) => `${(b as HTMLElement).dataset.verdict}:${b.textContent}`),
    );
    expect(buttons).toEqual(['acceptable:Acceptable', 'ask-first:Ask first', 'unacceptable:Not acceptable']);
    await sco.click('[data-example="0"] [data-verdict="ask-first"]');
    expect(await sco.textContent('[data-example="0"] .example-outcome')).toBe('You got it right.');
    expect(await sco.textContent('[data-example="0"] .example-reveal')).toContain('Verdict: Ask first.');

    await sco.click('a[data-goto="quiz"]');
    await sco.click('#quiz-start');
    const shown = await sco.$$eval('fieldset.quiz-question', (sets) =>
      sets.map((set) => ({
        id: (set as HTMLElement).dataset.question!,
        pos: (set as HTMLElement).dataset.pos!,
        choices: Array.from(set.querySelectorAll<HTMLInputElement>('input'))
          .filter((i) => !i.name.endsWith('-verdict'))
          .map((i) => i.value),
        verdicts: Array.from(set.querySelectorAll<HTMLInputElement>('input[name$="-verdict"]')).map(
          (i) => i.value,
        ),
      })),
    );
    expect(shown).toHaveLength(course.questions.length);
    const byId = new Map(course.questions.map((q) => [q.id, q]));
    const moved = (type: Question['type']) =>
      shown.filter(
        (s) => byId.get(s.id)!.type === type && s.choices.join() !== authorOrder(byId.get(s.id)!).join(),
      );
    expect(moved('spot').length).toBeGreaterThan(0);
    expect(moved('single').length).toBeGreaterThan(0);
    for (const s of shown) {
      const q = byId.get(s.id)!;
      expect([...s.choices].sort()).toEqual([...authorOrder(q)].sort());
      if (q.type === 'truefalse') expect(s.choices).toEqual(authorOrder(q));
      expect(s.verdicts).toEqual(q.type === 'classify' ? ['acceptable', 'ask-first', 'unacceptable'] : []);
    }

    // Everything right, ask-first included: the package's points equal the web app's.
    await answerQuiz(sco, course, () => true);
    await sco.click('#quiz-submit');
    await sco.waitForSelector('#result-summary');
    expect(await sco.textContent('#result-summary')).toContain('You passed with 100%.');
    const { cmi } = await cmiData(run.page);
    const askQuestion = course.questions.find((q) => q.type === 'classify' && q.verdict === 'ask-first')!;
    const interactions = Object.values(cmi.interactions ?? {}) as Array<Record<string, unknown>>;
    const recorded = interactions.find((i) => i.id === askQuestion.id)!;
    expect(recorded).toBeDefined();
    const response = format === 'scorm12' ? recorded.student_response : recorded.learner_response;
    expect(String(response)).toMatch(format === 'scorm12' ? /^2,[a-z]$/ : /^ask-first\[,\]/);
  });
});
