import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Course, Question } from '../../src/domain/course.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { addCourseVariant, answerForm, htmlText, loadAttempt, newLearner, start } from './quiz-support.js';

// Serves every question of the bank in one attempt, so the scan sees every question type and text.
const COURSE = 'every-question';
const base = `/learn/${COURSE}/quiz`;
let t: TestApp;
let course: Course;
let session: Session;
const pages: Array<[string, string]> = [];

/** Texts a learner may legitimately see before grading (prompts, options, posts). */
function visibleTexts(c: Course): string[] {
  return c.questions.flatMap((q) => {
    const own = [q.prompt];
    if (q.type === 'classify') own.push(q.post.text, ...q.reasons.map((r) => r.text));
    else if (q.type === 'spot') own.push(q.post.text, ...q.segments.map((s) => s.text));
    else own.push(...q.options.map((o) => o.text));
    return own;
  });
}

/** Everything that is part of the answer key or only for the review. */
function keyTexts(c: Course): string[] {
  const visible = visibleTexts(c).join('\n');
  return c.questions
    .flatMap((q) => {
      const choices = q.type === 'classify' ? q.reasons : q.type === 'spot' ? q.segments : q.options;
      return [q.explanation, ...choices.map((x) => x.feedback)];
    })
    .filter((text) => text.length >= 12 && !visible.includes(text));
}

beforeAll(async () => {
  t = await createTestApp({ label: 'quiz-answer-key' });
  course = addCourseVariant(t.app, COURSE, { questionsPerAttempt: 1000 });
  // At most one recall question is drawn per attempt: unmarked here, so every question is served.
  course.questions = course.questions.map(({ recall: _recall, ...q }) => q as Question);
  const learner = await newLearner(t.app, 'scan');
  session = learner.session;
  pages.push(['intro before start', (await session.get(base)).body]);
  await start(session, COURSE);
  pages.push(['attempt page', (await session.get(`${base}/attempts/1`)).body]);
  const attempt = await loadAttempt(t.app, learner.id, COURSE, 1);
  const form = answerForm(course, attempt);
  await session.post(`${base}/attempts/1/answers`, form, `${base}/attempts/1`);
  pages.push(['attempt page with saved answers', (await session.get(`${base}/attempts/1?saved=1`)).body]);
  const incomplete = { ...form };
  delete incomplete['answers[q1]'];
  delete incomplete['verdicts[q1]'];
  pages.push([
    'incomplete submit',
    (await session.post(`${base}/attempts/1/submit`, incomplete, `${base}/attempts/1`)).body,
  ]);
  pages.push(['intro while in progress', (await session.get(base)).body]);
});
afterAll(async () => t.close());

describe('the answer key never reaches the browser before grading', () => {
  it('serves every question type in the scanned attempt', async () => {
    const attemptPage = pages[1]![1];
    for (let i = 1; i <= course.questions.length; i += 1)
      expect(attemptPage).toContain(`name="answers[q${i}]"`);
    expect(attemptPage).not.toContain(`name="answers[q${course.questions.length + 1}]"`);
    expect(new Set(course.questions.map((q) => q.type))).toEqual(
      new Set(['single', 'truefalse', 'multiple', 'classify', 'spot']),
    );
  });

  it('never names a question by its course id, which could hint at the answer', () => {
    for (const [label, html] of pages) {
      // Ids such as "passwords" are ordinary words too, so look for them where markup would carry an id.
      for (const q of course.questions) {
        for (const form of [`[${q.id}]`, `"${q.id}"`, `"q-${q.id}`, `#${q.id}`]) {
          expect(html.includes(form), `${label}: ${form}`).toBe(false);
        }
      }
    }
  });

  it('contains no feedback or explanation text', () => {
    const key = keyTexts(course);
    expect(key.length).toBeGreaterThan(100);
    for (const [label, html] of pages) {
      const text = htmlText(html);
      for (const secret of key) expect(text.includes(secret), `${label}: "${secret}"`).toBe(false);
    }
  });

  it('sends choices as opaque tokens, not option ids, and carries no flags in attributes or scripts', () => {
    const optionIds = new Set(
      course.questions.flatMap((q) =>
        (q.type === 'classify' ? q.reasons : q.type === 'spot' ? q.segments : q.options).map((c) => c.id),
      ),
    );
    for (const [label, html] of pages) {
      const values = [...html.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)];
      for (const [, name, value] of values) {
        // The CSRF token and the language switcher's return address (every page's footer) are not answers.
        if (name === '_csrf' || name === 'next') continue;
        if (name!.startsWith('verdicts['))
          expect(['acceptable', 'ask-first', 'unacceptable'], label).toContain(value);
        else {
          expect(value, `${label}: ${name}`).toMatch(/^[A-Za-z0-9_-]{12}$/);
          expect(optionIds.has(value!), `${label}: ${name}`).toBe(false);
        }
      }
      expect(html, label).not.toMatch(/\sdata-[a-z-]+=/);
      expect(html, label).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
      // Question ids are not secret (an id such as "feedback-form-route" would trip the check), so they are blanked before it.
      const ids = course.questions.map((q) => q.id).sort((a, b) => b.length - a.length);
      const attributes = [...html.matchAll(/\s[a-z-]+="([^"]*)"/g)].map((m) =>
        ids.reduce((value, id) => value.replaceAll(id, 'QID'), m[1]!),
      );
      for (const value of attributes)
        expect(value, label).not.toMatch(/correct|problem|feedback|explanation|right-answer/i);
    }
  });

  it('keeps both verdicts in one fixed order, whatever the right verdict is', () => {
    const html = pages[1]![1];
    const groups = new Map<string, string[]>();
    for (const m of html.matchAll(/name="verdicts\[(q\d+)\]" value="(\w+)"/g)) {
      groups.set(m[1]!, [...(groups.get(m[1]!) ?? []), m[2]!]);
    }
    expect(groups.size).toBe(course.questions.filter((q) => q.type === 'classify').length);
    for (const order of groups.values()) expect(order).toEqual(['acceptable', 'unacceptable']);
  });

  it('ships no answer data in the quiz page scripts', async () => {
    const scripts = new Set(
      pages.flatMap(([, html]) => [...html.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]!)),
    );
    for (const src of scripts) {
      const js = (await session.get(src)).body;
      for (const secret of keyTexts(course)) expect(js.includes(secret)).toBe(false);
    }
  });
});

describe('after grading', () => {
  it('shows the key in the full review, so the scan above would notice it if it leaked', async () => {
    const learner = await newLearner(t.app, 'scan-control');
    await start(learner.session, COURSE);
    const attempt = await loadAttempt(t.app, learner.id, COURSE, 1);
    await learner.session.post(
      `${base}/attempts/1/submit`,
      answerForm(course, attempt),
      `${base}/attempts/1`,
    );
    const review = htmlText((await learner.session.get(`${base}/attempts/1/result`)).body);
    const shown = keyTexts(course).filter((text) => review.includes(text));
    expect(shown.length).toBeGreaterThan(course.questions.length);
  });
});
