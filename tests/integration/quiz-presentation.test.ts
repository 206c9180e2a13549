import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classificationKey } from '../../src/db/keys.js';
import type { ClassifyQuestion, Course, ExamplePost, Question } from '../../src/domain/course.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, loginAs, type TestApp } from '../helpers/app.js';
import { answerForm, htmlText, loadAttempt, newLearner, start } from './quiz-support.js';

// How the quiz and the example posts present choices: shuffled per attempt and stored with it (so a
// resumed attempt shows the same order), and the three verdicts wherever one is asked for.

let t: TestApp;
let whole: Course;
const WHOLE = 'smp-whole-bank';
const ASK = 'smp-ask-first';

const askFirstExample: ExamplePost = {
  id: 'client-not-on-list',
  platform: 'linkedin',
  persona: { name: 'Priya Shah', role: 'Account manager' },
  text: 'Great kick-off with the team at Northwind today, looking forward to the project!',
  verdict: 'ask-first',
  reasons: ['Naming a client is fine only once they are on the reference list: check first.'],
  clauses: ['SMP-04'],
};

beforeAll(async () => {
  t = await createTestApp({ label: 'quiz-presentation' });
  const base = t.app.courses.get(COURSE_ID)!;
  // Every question in every attempt (recall ones unmarked: one per attempt), so each spot question is on the page.
  const unmarked = base.questions.map(({ recall: _recall, ...q }) => q as Question);
  whole = {
    ...base,
    id: WHOLE,
    questions: unmarked,
    quiz: { ...base.quiz, questionsPerAttempt: base.questions.length },
  };
  t.app.courses.set(WHOLE, whole);
  // One classify question keyed ask-first, and an ask-first example post.
  let flipped = false;
  const questions: Question[] = base.questions.map((q) => {
    if (q.type !== 'classify' || flipped) return q;
    flipped = true;
    return { ...q, verdict: 'ask-first' } satisfies ClassifyQuestion;
  });
  const examples = [askFirstExample, ...base.examples];
  const ask: Course = {
    ...base,
    id: ASK,
    questions,
    examples,
    quiz: { ...base.quiz, questionsPerAttempt: base.questions.length },
  };
  t.app.courses.set(ASK, ask);
});
afterAll(async () => t.close());

const quizBase = (courseId: string) => `/learn/${courseId}/quiz`;

/** The choice labels of each question on an attempt page, in page order. */
function choiceTextsByQuestion(html: string): string[][] {
  return html
    .split('<fieldset class="quiz-question')
    .slice(1)
    .map((block) =>
      [
        ...block.matchAll(
          /<input type="(?:radio|checkbox)" id="q\d+-[^"]+" name="answers\[[^\]]+\]"[^>]*>\s*<label for="[^"]+"[^>]*>([^<]*)<\/label>/g,
        ),
      ].map((m) => htmlText(m[1]!)),
    );
}

function textsOf(q: Question): Map<string, string> {
  const list = q.type === 'classify' ? q.reasons : q.type === 'spot' ? q.segments : q.options;
  return new Map(list.map((c) => [c.id, c.text]));
}

describe('choice order', () => {
  it('shows the stored draw’s order, and a resumed attempt shows exactly the same order', async () => {
    const { id, email, session } = await newLearner(t.app, 'order');
    await start(session, WHOLE);
    const page = await session.get(`${quizBase(WHOLE)}/attempts/1`);
    expect(page.statusCode).toBe(200);
    const shown = choiceTextsByQuestion(page.body);

    const attempt = await loadAttempt(t.app, id, WHOLE, 1);
    const stored = attempt.draw.map((d) => {
      const q = whole.questions.find((x) => x.id === d.questionId)!;
      return d.choiceIds.map((c) => textsOf(q).get(c)!);
    });
    expect(shown).toEqual(stored);

    // Spot segments move too: with every spot question drawn, at least one is out of author order.
    const spots = attempt.draw.filter(
      (d) => whole.questions.find((q) => q.id === d.questionId)!.type === 'spot',
    );
    expect(spots.length).toBeGreaterThanOrEqual(3);
    const moved = spots.filter((d) => {
      const q = whole.questions.find((x) => x.id === d.questionId)!;
      return q.type === 'spot' && d.choiceIds.join() !== q.segments.map((s) => s.id).join();
    });
    expect(moved.length).toBeGreaterThan(0);

    // Leave, come back in a new session: the same questions in the same order with the same choices.
    await session.post('/logout');
    const again = await loginAs(t.app, email);
    const resumed = await again.get(`${quizBase(WHOLE)}/attempts/1`);
    expect(choiceTextsByQuestion(resumed.body)).toEqual(shown);
  });

  it('draws a different order for a different attempt', async () => {
    const a = await newLearner(t.app, 'order-a');
    const b = await newLearner(t.app, 'order-b');
    await start(a.session, WHOLE);
    await start(b.session, WHOLE);
    const pageA = choiceTextsByQuestion((await a.session.get(`${quizBase(WHOLE)}/attempts/1`)).body);
    const pageB = choiceTextsByQuestion((await b.session.get(`${quizBase(WHOLE)}/attempts/1`)).body);
    expect(pageA).not.toEqual(pageB);
  });
});

describe('the ask-first verdict in the quiz', () => {
  it('offers three verdicts on every classify question and grades ask-first like the others', async () => {
    const course = t.app.courses.get(ASK)!;
    const { id, session } = await newLearner(t.app, 'ask-quiz');
    await start(session, ASK);
    const page = await session.get(`${quizBase(ASK)}/attempts/1`);
    const classifyCount = course.questions.filter((q) => q.type === 'classify').length;
    for (const verdict of ['acceptable', 'ask-first', 'unacceptable']) {
      expect(page.body.match(new RegExp(`name="verdicts\\[q\\d+\\]" value="${verdict}"`, 'g'))).toHaveLength(
        classifyCount,
      );
    }
    expect(page.body).toContain('>Ask first</label>');

    const attempt = await loadAttempt(t.app, id, ASK, 1);
    const res = await session.post(
      `${quizBase(ASK)}/attempts/1/submit`,
      answerForm(course, attempt),
      `${quizBase(ASK)}/attempts/1`,
    );
    expect(res.statusCode).toBe(303);
    const result = await session.get(`${quizBase(ASK)}/attempts/1/result`);
    expect(result.body).toContain('100 %');
    expect(result.body).toContain(
      'Your verdict: <strong>Ask first</strong>. The right verdict: <strong>Ask first</strong>.',
    );
  });
});

describe('the ask-first verdict on example posts', () => {
  const path = `/learn/${ASK}/examples/${askFirstExample.id}`;

  it('offers three verdicts and records ask-first as the right answer', async () => {
    const { id, session } = await newLearner(t.app, 'ask-example');
    const page = await session.get(path);
    expect(page.statusCode).toBe(200);
    for (const verdict of ['acceptable', 'ask-first', 'unacceptable']) {
      expect(page.body).toContain(`id="answer-${verdict}" name="answer" value="${verdict}"`);
    }
    const res = await session.post(`${path}/classify`, { answer: 'ask-first' });
    expect(res.statusCode).toBe(200);
    const html = htmlText(res.body);
    expect(html).toContain('Correct: check first before posting this');
    expect(html).toContain('The policy says <span class="badge badge-warn">Ask first</span>');
    const recorded = await t.app.db.models.ClassificationAnswer.findById(
      classificationKey(id, ASK, askFirstExample.id),
    ).lean();
    expect(recorded).toMatchObject({ answer: 'ask-first', correct: true });
  });

  it('counts another verdict on an ask-first post as wrong, and ask-first on a clear post as wrong', async () => {
    const { id, session } = await newLearner(t.app, 'ask-example-wrong');
    const res = await session.post(`${path}/classify`, { answer: 'unacceptable' });
    expect(htmlText(res.body)).toContain('Not quite: check first before posting this');
    const clear = t.app.courses.get(ASK)!.examples.find((e) => e.verdict === 'acceptable')!;
    const other = await session.post(`/learn/${ASK}/examples/${clear.id}/classify`, { answer: 'ask-first' });
    expect(htmlText(other.body)).toContain('You said <strong>Ask first</strong>');
    const docs = await t.app.db.models.ClassificationAnswer.find({ userId: id }).lean();
    expect(docs.map((d) => [d.exampleId, d.answer, d.correct]).sort()).toEqual(
      [
        [askFirstExample.id, 'unacceptable', false],
        [clear.id, 'ask-first', false],
      ].sort(),
    );
  });
});
