import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classificationKey } from '../../src/db/keys.js';
import { feedbackRepository } from '../../src/db/repositories/feedback.js';
import type { Course, ExamplePost } from '../../src/domain/course.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, createUser, loginAs, type Session, type TestApp } from '../helpers/app.js';

let t: TestApp;
let course: Course;
let userSeq = 0;

beforeAll(async () => {
  t = await createTestApp({ label: 'learn-activities' });
  course = t.app.courses.get(COURSE_ID)!;
});
afterAll(async () => t.close());

/** A new learner per test, so recorded answers and feedback never leak between tests. */
async function newLearner(): Promise<{ s: Session; userId: string }> {
  userSeq += 1;
  const email = `learner${userSeq}@example.com`;
  const user = await createUser(t.app, { email, name: `Learner ${userSeq}` });
  return { s: await loginAs(t.app, email), userId: user._id };
}

const decodeHtml = (html: string) =>
  html
    .replaceAll('&#39;', "'")
    .replaceAll('&quot;', '"')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');

const examplePath = (e: ExamplePost) => `/learn/${COURSE_ID}/examples/${e.id}`;
const unacceptable = () => course.examples.find((e) => e.verdict === 'unacceptable')!;
const acceptable = () => course.examples.find((e) => e.verdict === 'acceptable')!;

describe('example gallery', () => {
  it('draws every example as a post card for its platform', async () => {
    const { s } = await newLearner();
    const res = await s.get(`/learn/${COURSE_ID}/examples`);
    expect(res.statusCode).toBe(200);
    const cards = [...res.body.matchAll(/<article class="post-card post-([a-z-]+)"/g)].map((m) => m[1]);
    expect(cards).toEqual(course.examples.map((e) => e.platform));
    expect(new Set(cards).size).toBeGreaterThanOrEqual(4);
    expect(res.body).toContain('href="/static/css/posts.css"');
    expect(decodeHtml(res.body)).toContain(course.examples[0]!.persona.name);
  });

  it('asks first and reveals nothing of the verdict before the learner answers', async () => {
    const { s } = await newLearner();
    const example = unacceptable();
    const res = await s.get(examplePath(example));
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<legend>Is this post acceptable under the policy?</legend>');
    expect(res.body).toContain(`action="${examplePath(example)}/classify"`);
    expect(decodeHtml(res.body)).not.toContain(example.reasons[0]!);
    expect(decodeHtml(res.body)).not.toContain(example.betterVersion!);
  });
});

describe('classify then reveal', () => {
  it('works as a plain form post: the reveal page shows verdict, reasons, clause titles and the better version', async () => {
    const { s, userId } = await newLearner();
    const example = unacceptable();
    const res = await s.post(`${examplePath(example)}/classify`, { answer: 'acceptable' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    const html = decodeHtml(res.body);
    expect(html).toContain('Not quite: this post is unacceptable');
    for (const reason of example.reasons) expect(html).toContain(reason);
    for (const id of example.clauses) expect(html).toContain(course.clauses.find((c) => c.id === id)!.title);
    expect(html).toContain('A better version');
    expect(html).toContain(example.betterVersion!);
    expect(res.body).not.toContain('class="classify-form"');

    const recorded = await t.app.db.models.ClassificationAnswer.findById(
      classificationKey(userId, COURSE_ID, example.id),
    ).lean();
    expect(recorded).toMatchObject({
      userId,
      courseId: COURSE_ID,
      exampleId: example.id,
      answer: 'acceptable',
      correct: false,
      clauses: example.clauses,
      contentVersion: course.version,
    });
  });

  it('answers the enhancing script with JSON (and a ready-made fragment) instead of a page', async () => {
    const { s, userId } = await newLearner();
    const example = acceptable();
    const csrf = await s.csrf(examplePath(example));
    const res = await s.request({
      method: 'POST',
      url: `${examplePath(example)}/classify`,
      payload: new URLSearchParams({ answer: 'acceptable', _csrf: csrf }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    const body = res.json();
    expect(body).toMatchObject({
      answer: 'acceptable',
      correct: true,
      verdict: 'acceptable',
      reasons: example.reasons,
    });
    expect(body.clauses.map((c: { id: string }) => c.id)).toEqual(example.clauses);
    expect(body.clauses[0].title).toBe(course.clauses.find((c) => c.id === example.clauses[0])!.title);
    expect(body.better).toBeNull();
    expect(body.html).toContain('id="reveal-heading"');
    expect(body.html).toContain('Correct: this post is acceptable');
    expect(body.html).not.toContain('<html');
    expect(await t.app.db.models.ClassificationAnswer.countDocuments({ userId })).toBe(1);
  });

  it('keeps only the first answer per learner and example, and reports which clauses confuse people', async () => {
    const { s, userId } = await newLearner();
    const example = unacceptable();
    await s.post(`${examplePath(example)}/classify`, { answer: 'acceptable' });
    t.clock.advanceMinutes(5);
    const second = await s.post(`${examplePath(example)}/classify`, { answer: 'unacceptable' });
    expect(decodeHtml(second.body)).toContain('Correct: this post is unacceptable');
    const docs = await t.app.db.models.ClassificationAnswer.find({ userId }).lean();
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({ answer: 'acceptable', correct: false });

    const report = await t.app.services.learning.clauseConfusion({ courseId: COURSE_ID });
    const row = report.find((r) => r.clauseId === example.clauses[0]);
    expect(row?.wrong).toBeGreaterThanOrEqual(1);
    expect(row!.answers).toBeGreaterThanOrEqual(row!.wrong);
  });

  it('marks judged posts in the gallery', async () => {
    const { s } = await newLearner();
    await s.post(`${examplePath(unacceptable())}/classify`, { answer: 'acceptable' });
    const res = await s.get(`/learn/${COURSE_ID}/examples`);
    expect(res.body).toContain(`You have judged 1 of ${course.examples.length} posts.`);
    expect(res.body).toContain('You missed this one');
  });

  it('asks again with a form error when no answer was chosen, and records nothing', async () => {
    const { s, userId } = await newLearner();
    const res = await s.post(`${examplePath(acceptable())}/classify`, {});
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('id="error-summary"');
    expect(res.body).toContain('href="#answer-acceptable"');
    expect(res.body).toContain('aria-describedby="answer-error"');
    expect(await t.app.db.models.ClassificationAnswer.countDocuments({ userId })).toBe(0);
  });

  it('rejects forged or injected classification posts with 400 (404 for unknown ids) and writes nothing', async () => {
    const { s, userId } = await newLearner();
    const url = `${examplePath(acceptable())}/classify`;
    const forged: Array<Record<string, string | string[]>> = [
      { answer: 'maybe' },
      { 'answer[$ne]': 'x' },
      { answer: 'acceptable', exampleId: 'roadmap-teaser' },
      { answer: 'acceptable', userId: 'someone-else' },
      { answer: ['acceptable', 'unacceptable'] },
      { answer: 'a'.repeat(5000) },
    ];
    for (const form of forged) {
      const res = await s.post(url, form);
      expect(res.statusCode, JSON.stringify(form).slice(0, 80)).toBe(400);
      expect(res.body).toContain('Something in that request was not right');
      expect(res.body).not.toMatch(/at .*\.ts:\d+/);
    }
    expect(
      (await s.post(`/learn/${COURSE_ID}/examples/no-such-post/classify`, { answer: 'acceptable' }))
        .statusCode,
    ).toBe(404);
    expect(
      (await s.post(`/learn/nope/examples/${acceptable().id}/classify`, { answer: 'acceptable' })).statusCode,
    ).toBe(404);
    expect(
      (await s.post(`/learn/${COURSE_ID}/examples/bad.id/classify`, { answer: 'acceptable' })).statusCode,
    ).toBe(400);
    expect((await s.post(url, { answer: 'acceptable', _csrf: null })).statusCode).toBe(403);
    expect(await t.app.db.models.ClassificationAnswer.countDocuments({ userId })).toBe(0);
  });

  it('answers 404 for an unknown example page', async () => {
    const { s } = await newLearner();
    const res = await s.get(`/learn/${COURSE_ID}/examples/no-such-post`);
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('Page not found');
  });
});

describe('"Can I share this?" decision tree', () => {
  it('walks one question per page to an outcome with verdict, text and clause titles, and starts again', async () => {
    const { s } = await newLearner();
    let res = await s.get(`/learn/${COURSE_ID}/decide`);
    expect(res.statusCode).toBe(200);
    const start = course.decisionTree.nodes[course.decisionTree.start]!;
    expect(start.kind).toBe('question');
    expect(decodeHtml(res.body)).toContain(start.kind === 'question' ? start.question : '');

    // Always take the first option; the tree is acyclic, so this ends at an outcome.
    const visited: string[] = [];
    for (let step = 0; step < 20; step++) {
      const next = /class="decide-option" href="([^"]+)"/.exec(res.body)?.[1];
      if (!next) break;
      visited.push(next);
      res = await s.get(next);
      expect(res.statusCode, next).toBe(200);
    }
    const outcomeId = visited.at(-1)!.split('/').at(-1)!;
    const outcome = course.decisionTree.nodes[outcomeId]!;
    expect(outcome.kind).toBe('outcome');
    if (outcome.kind !== 'outcome') return;
    const html = decodeHtml(res.body);
    expect(html).toContain(`<h1 lang="en" dir="ltr">${outcome.title}</h1>`);
    expect(html).toContain(outcome.text);
    for (const id of outcome.clauses) expect(html).toContain(course.clauses.find((c) => c.id === id)!.title);
    expect(html).toMatch(/class="badge badge-(ok|bad|warn)">/);
    expect(res.body).toContain(`href="/learn/${COURSE_ID}/decide">Start again`);
  });

  it('reaches a "don\'t share" outcome by the confidential-information branch', async () => {
    const { s } = await newLearner();
    const confidential = Object.values(course.decisionTree.nodes).find(
      (n) => n.kind === 'outcome' && n.verdict === 'dont-share',
    )!;
    const res = await s.get(`/learn/${COURSE_ID}/decide/${confidential.id}`);
    expect(res.statusCode).toBe(200);
    expect(decodeHtml(res.body)).toContain("Don't share this");
  });

  it('answers 404 for an unknown node and 400 for a malformed one', async () => {
    const { s } = await newLearner();
    expect((await s.get(`/learn/${COURSE_ID}/decide/no-such-node`)).statusCode).toBe(404);
    expect((await s.get(`/learn/${COURSE_ID}/decide/constructor`)).statusCode).toBe(404);
    expect((await s.get(`/learn/${COURSE_ID}/decide/a$b`)).statusCode).toBe(400);
  });
});

describe('lesson feedback', () => {
  const lessonPath = () => `/learn/${COURSE_ID}/lessons/${course.lessons[2]!.id}`;

  it('stores a question for HR with status open and shows a confirmation', async () => {
    const { s, userId } = await newLearner();
    const page = await s.get(lessonPath());
    const submissionId = /name="submissionId" value="([^"]+)"/.exec(page.body)![1]!;
    const form = {
      kind: 'question',
      message: '  Can I like a client’s post from my personal account?  ',
      submissionId,
    };
    const res = await s.post(`${lessonPath()}/feedback`, form, lessonPath());
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${lessonPath()}?feedback=sent#feedback`);
    const confirmation = await s.get(`${lessonPath()}?feedback=sent`);
    expect(confirmation.body).toContain('HR has received your message');

    const stored = await t.app.db.models.PolicyFeedback.find({ userId }).lean();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      courseId: COURSE_ID,
      lessonId: course.lessons[2]!.id,
      kind: 'question',
      message: 'Can I like a client’s post from my personal account?',
      status: 'open',
      createdAt: t.clock.now(),
    });
    // A resubmitted form (back button, double click) stores nothing new.
    expect((await s.post(`${lessonPath()}/feedback`, form, lessonPath())).statusCode).toBe(303);
    expect(await t.app.db.models.PolicyFeedback.countDocuments({ userId })).toBe(1);
    expect(
      await t.app.db.models.AuditEvent.countDocuments({ action: 'feedback.submitted', subjectId: userId }),
    ).toBe(1);
  });

  it('gives HR a repository to list and mark feedback handled', async () => {
    const { s, userId } = await newLearner();
    const form = {
      kind: 'suggestion',
      message: 'Add an example about podcasts.',
      submissionId: 'abcdefabcdefabcdef01',
    };
    await s.post(`${lessonPath()}/feedback`, form, lessonPath());
    const repo = feedbackRepository(t.app.db.models);
    const open = await repo.list({ status: 'open', courseId: COURSE_ID });
    const mine = open.find((f) => f.userId === userId)!;
    expect(mine).toMatchObject({ kind: 'suggestion', userName: `Learner ${userSeq}` });
    expect(await repo.markHandled(mine._id, 'hr-user', t.clock.now())).toBe(true);
    expect(await repo.findById(mine._id)).toMatchObject({ status: 'handled', handledBy: 'hr-user' });
    expect((await repo.list({ status: 'open' })).some((f) => f._id === mine._id)).toBe(false);
    expect(await repo.markHandled('no-such-id', 'hr-user', t.clock.now())).toBe(false);
  });

  it('asks again with a linked form error for an empty message, and stores nothing', async () => {
    const { s, userId } = await newLearner();
    const res = await s.post(
      `${lessonPath()}/feedback`,
      { kind: 'suggestion', message: '   ', submissionId: 'abcdefabcdefabcdef02' },
      lessonPath(),
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('href="#feedback-message"');
    expect(res.body).toContain('aria-describedby="feedback-message-hint feedback-message-error"');
    expect(res.body).toContain('value="suggestion" checked');
    expect(await t.app.db.models.PolicyFeedback.countDocuments({ userId })).toBe(0);
  });

  it('rejects forged, injected and oversized feedback with 400 (404 for unknown lessons) and stores nothing', async () => {
    const { s, userId } = await newLearner();
    const ok = { kind: 'question', message: 'Hello?', submissionId: 'abcdefabcdefabcdef03' };
    const forged: Array<Record<string, string | string[]>> = [
      { ...ok, kind: 'complaint' },
      { ...ok, message: 'x'.repeat(2001) },
      { ...ok, 'lessonId[$ne]': 'x' },
      { ...ok, status: 'handled' },
      { ...ok, message: ['a', 'b'] },
      { ...ok, submissionId: '../../etc' },
      { kind: 'question', message: 'no submission id' },
    ];
    for (const form of forged) {
      const res = await s.post(`${lessonPath()}/feedback`, form, lessonPath());
      expect(res.statusCode, Object.keys(form).join(',')).toBe(400);
    }
    expect(
      (await s.post(`/learn/${COURSE_ID}/lessons/no-such-lesson/feedback`, ok, lessonPath())).statusCode,
    ).toBe(404);
    expect(await t.app.db.models.PolicyFeedback.countDocuments({ userId })).toBe(0);
  });
});
