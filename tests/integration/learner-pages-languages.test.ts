import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cycleKey } from '../../src/db/keys.js';
import type { Course } from '../../src/domain/course.js';
import { defaultSettings } from '../../src/services/assignments/course-settings.js';
import { buildAssignment, buildCycle, COURSE_ID } from '../factories.js';
import { createTestApp, createUser, loginAs, type Session, type TestApp } from '../helpers/app.js';
import { answerForm, htmlText, loadAttempt, newLearner, start } from './quiz-support.js';

// The learner's pages in the language the browser asks for (issue #26): a lesson, My training, the
// quiz intro, an attempt, its result and the attestation page, each fetched with Accept-Language.
const base = `/learn/${COURSE_ID}`;
let t: TestApp;
let course: Course;
let session: Session;
let attemptUrl = '';
let resultUrl = '';

beforeAll(async () => {
  t = await createTestApp({ label: 'learner-languages' });
  course = t.app.courses.get(COURSE_ID)!;
  const learner = await newLearner(t.app, 'polyglot');
  session = learner.session;
  await start(session, COURSE_ID);
  attemptUrl = `${base}/quiz/attempts/1`;
  const attempt = await loadAttempt(t.app, learner.id, COURSE_ID, 1);
  const submitted = await session.post(`${attemptUrl}/submit`, answerForm(course, attempt), attemptUrl);
  expect(submitted.statusCode).toBe(303);
  resultUrl = submitted.headers.location as string;
  // A second learner's open attempt: the attempt page with its questions, before any grading.
  const other = await newLearner(t.app, 'polyglot-open');
  await start(other.session, COURSE_ID);
  session = other.session;
  secondLearner = learner.session;
});
afterAll(async () => t.close());

let secondLearner: Session;

const lessonUrl = () => `${base}/lessons/${course.lessons[0]!.id}`;

async function page(who: () => Session, url: () => string, lang: string): Promise<string> {
  const res = await who().get(url(), { 'accept-language': lang });
  expect(res.statusCode, url()).toBe(200);
  expect(res.body).toContain(`lang="${lang}"`);
  return htmlText(res.body);
}

const open = () => session;
const passed = () => secondLearner;

// [page, who fetches it, its address, Spanish phrases, German phrases, English phrases that must be gone]
const PAGES: Array<[string, () => Session, () => string, string[], string[], string[]]> = [
  [
    'lesson',
    open,
    lessonUrl,
    ['Lección 1 de', 'En esta lección', 'Siguiente'],
    ['Lektion 1 von', 'In dieser Lektion', 'Weiter'],
    ['Lesson 1 of', 'In this lesson you will', 'Questions or suggestions about the policy?'],
  ],
  [
    'my training',
    open,
    () => '/',
    ['Mi formación', 'Lecciones leídas'],
    ['Meine Schulungen', 'Gelesene Lektionen'],
    ['Here is the training assigned to you', 'Lessons read:'],
  ],
  [
    'quiz intro',
    open,
    () => `${base}/quiz`,
    ['Cómo funciona el cuestionario', 'Reanudar el cuestionario'],
    ['So funktioniert das Quiz', 'Quiz fortsetzen'],
    ['How the quiz works', 'Resume the quiz', 'Where you are'],
  ],
  [
    'quiz attempt',
    open,
    () => attemptUrl,
    ['Pregunta 1 de', 'Enviar respuestas'],
    ['Frage 1 von', 'Antworten absenden'],
    ['Question 1 of', 'Submit answers', 'Save and finish later'],
  ],
  [
    'quiz result',
    passed,
    () => resultUrl,
    ['Tu resultado: intento 1', 'Has aprobado'],
    ['Ihr Ergebnis: Versuch 1', 'Bestanden'],
    ['Your result', 'You passed', 'Review of your answers'],
  ],
  [
    'attestation',
    passed,
    () => `${base}/attest`,
    ['Tu declaración', 'Firmar la declaración'],
    ['Ihre Erklärung', 'Erklärung unterschreiben'],
    ['Your attestation', 'Sign the attestation', 'Your full name'],
  ],
];

describe.each([
  ['es', 3],
  ['de', 4],
] as const)('learner pages in %s', (lang, column) => {
  it.each(PAGES.map((p) => [p[0], p] as const))('%s shows the interface in that language', async (_, p) => {
    const html = await page(p[1], p[2], lang);
    for (const phrase of p[column]) expect(html, `${p[0]}: ${phrase}`).toContain(phrase);
    for (const english of p[5]) expect(html, `${p[0]}: ${english}`).not.toContain(english);
  });

  it('keeps the answer key off the translated attempt page', async () => {
    const res = await session.get(attemptUrl, { 'accept-language': lang });
    const html = htmlText(res.body);
    const secrets = course.questions.flatMap((q) => [q.explanation]).filter((s) => s.length >= 12);
    for (const secret of secrets) expect(html.includes(secret), secret).toBe(false);
    expect(res.body).not.toMatch(/\sdata-[a-z-]+=/);
    for (const [, name, value] of res.body.matchAll(
      /<input[^>]*name="(answers\[[^"]+)"[^>]*value="([^"]*)"/g,
    ))
      expect(value, name).toMatch(/^[A-Za-z0-9_-]{12}$/);
  });
});

describe('with no language asked for', () => {
  it('the quiz attempt page stays English', async () => {
    const res = await session.get(attemptUrl);
    expect(res.body).toContain('lang="en"');
    expect(htmlText(res.body)).toContain('Submit answers');
  });
});

describe("a manager's team page", () => {
  it('is in the language asked for, with the states and days translated', async () => {
    const manager = await createUser(t.app, { email: 'polyglot-manager@example.com' });
    await createUser(t.app, { email: 'polyglot-report@example.com', managerId: manager._id });
    const boss = await loginAs(t.app, 'polyglot-manager@example.com');
    const es = htmlText((await boss.get('/team', { 'accept-language': 'es' })).body);
    expect(es).toContain('Mi equipo');
    expect(es).toContain('polyglot-report@example.com');
    expect(es).not.toContain('Training status of the');
    const de = htmlText((await boss.get('/team', { 'accept-language': 'de' })).body);
    expect(de).toContain('Mein Team');
    const nobody = await (await loginAs(t.app, 'polyglot-report@example.com')).get('/team', {
      'accept-language': 'de',
    });
    expect(nobody.statusCode).toBe(403);
    expect(htmlText(nobody.body)).toContain('Zu meinen Schulungen');
  });
});

/** A learner who completed cycle 1 on 10 January with spaced refreshers on: today's practice is open. */
async function practisingLearner(completedAt: Date) {
  await t.app.db.models.CourseSettings.deleteOne({ _id: COURSE_ID });
  await t.app.db.models.CourseSettings.create({
    ...defaultSettings(course, completedAt),
    spacedEveryMonths: 3,
  });
  const person = await createUser(t.app, {
    email: 'polyglot-practice@example.com',
    name: 'Polyglot Practice',
  });
  const a = buildAssignment(
    { ...person, _id: person._id },
    { state: 'completed', completedAt, expiresAt: new Date('2027-01-10T00:00:00Z'), dueAt: null },
  );
  await t.app.db.models.Assignment.create(a);
  await t.app.db.models.Cycle.create(
    buildCycle(a, 1, { completedAt, expiresAt: a.expiresAt, startedAt: completedAt }),
  );
  const eventId = `attempt:${cycleKey(person._id, COURSE_ID, 1)}:1`;
  const reviews = course.clauses.map((c, i) => ({
    eventId,
    clauseId: c.id,
    at: completedAt,
    score: i === 2 ? 0 : 1,
    source: 'quiz' as const,
  }));
  await t.app.services.learning.recordClauseReviews({
    userId: person._id,
    courseId: COURSE_ID,
    eventId,
    reviews,
    now: completedAt,
  });
  return loginAs(t.app, person.email);
}

describe('the practice page in Spanish', () => {
  it("names its post card and draws the card's audience and places in Spanish", async () => {
    const learner = await practisingLearner(new Date('2026-01-10T15:30:00Z'));
    t.clock.set('2026-04-10T08:00:00Z');
    const res = await learner.get(`${base}/practice`, { 'accept-language': 'es' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('class="post-card');
    const label = /class="post-card[^"]*" aria-label="([^"]+)"/.exec(res.body)?.[1] ?? '';
    expect(label).toMatch(/^Publicación de .+ de /);
    expect(res.body).not.toMatch(/aria-label="[^"]* post by /);
    expect(htmlText(res.body)).not.toMatch(/· (Public|Friends)\b|Group chat|Short video/);
  });
});
