import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Course } from '../../src/domain/course.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { pageDoc } from '../helpers/form-errors.js';
import { newLearner, start } from './quiz-support.js';

// Course text keeps its own language and direction on a page in another language (issue #26): an
// Arabic-interface learner is served the English course (the Arabic translation is partial), and its
// paragraphs must run left to right inside the right-to-left page, not inherit dir="rtl".
const base = `/learn/${COURSE_ID}`;
let t: TestApp;
let course: Course;
let session: Session;

beforeAll(async () => {
  t = await createTestApp({ label: 'course-direction' });
  course = t.app.courses.get(COURSE_ID)!;
  session = (await newLearner(t.app, 'bidi')).session;
  await start(session, COURSE_ID);
});
afterAll(async () => t.close());

async function doc(url: string, lang: string): Promise<Document> {
  const res = await session.get(url, { 'accept-language': lang });
  expect(res.statusCode, url).toBe(200);
  return pageDoc(res.body);
}

/** The nearest element at or above `el` that says its language, with that language and direction. */
function languageOf(el: Element | null): { lang?: string; dir?: string } {
  const owner = el?.closest('[lang]');
  return {
    lang: owner?.getAttribute('lang') ?? undefined,
    dir: owner?.closest('[dir]')?.getAttribute('dir') ?? undefined,
  };
}

const lessonUrl = () => `${base}/lessons/${course.lessons[0]!.id}`;

describe('an Arabic-interface learner given the English course', () => {
  it('reads the lesson body left to right inside the right-to-left page', async () => {
    const d = await doc(lessonUrl(), 'ar');
    expect(d.documentElement.getAttribute('dir')).toBe('rtl');
    expect(d.documentElement.getAttribute('lang')).toBe('ar');
    for (const selector of ['.lesson-body', '#lesson-title', '.objectives li'])
      expect(languageOf(d.querySelector(selector)), selector).toEqual({ lang: 'en', dir: 'ltr' });
    // The interface around it stays Arabic.
    expect(languageOf(d.querySelector('.lesson-step'))).toEqual({ lang: 'ar', dir: 'rtl' });
  });

  it('reads the course title and summary on the overview and My training left to right', async () => {
    const overview = await doc(base, 'ar');
    expect(languageOf(overview.querySelector('h1'))).toEqual({ lang: 'en', dir: 'ltr' });
    expect(languageOf(overview.querySelector('.lead'))).toEqual({ lang: 'en', dir: 'ltr' });
    const home = await doc('/', 'ar');
    const title = [...home.querySelectorAll('h2 a')].find((a) => a.textContent === course.title);
    expect(title, 'the course on My training').toBeDefined();
    expect(languageOf(title!)).toEqual({ lang: 'en', dir: 'ltr' });
  });

  it('reads the quiz questions left to right', async () => {
    const d = await doc(`${base}/quiz/attempts/1`, 'ar');
    const prompts = [...d.querySelectorAll('.quiz-prompt')];
    expect(prompts.length, 'questions').toBeGreaterThan(0);
    for (const prompt of prompts) expect(languageOf(prompt)).toEqual({ lang: 'en', dir: 'ltr' });
    // The options are course text; the verdict buttons of a post question are the interface's.
    const labels = [...d.querySelectorAll<HTMLLabelElement>('.quiz-choice label')];
    for (const label of labels) {
      const verdict = label.htmlFor.includes('-verdict-');
      expect(languageOf(label), label.htmlFor).toEqual(
        verdict ? { lang: 'ar', dir: 'rtl' } : { lang: 'en', dir: 'ltr' },
      );
    }
  });
});

describe('a Spanish learner', () => {
  it('gets the Spanish course marked as Spanish on the lesson itself, not only on <html>', async () => {
    const d = await doc(lessonUrl(), 'es');
    const marked = d.querySelector('.lesson-body')?.closest('body [lang]');
    expect(marked?.getAttribute('lang')).toBe('es');
    expect(marked?.getAttribute('dir')).toBe('ltr');
  });
});
