import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignmentKey, cycleKey } from '../../src/db/keys.js';
import type { Course } from '../../src/domain/course.js';
import { viewedLessons } from '../../src/services/learning/progress.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, createUser, loginAs, type TestApp } from '../helpers/app.js';

let t: TestApp;
let course: Course;

beforeAll(async () => {
  t = await createTestApp({ label: 'learn-progress' });
  course = t.app.courses.get(COURSE_ID)!;
});
afterAll(async () => t.close());

const lessonUrl = (i: number) => `/learn/${COURSE_ID}/lessons/${course.lessons[i]!.id}`;

/** Lesson titles marked done / not done on the course overview. */
function doneMarks(html: string): Map<string, boolean> {
  const marks = new Map<string, boolean>();
  for (const m of html.matchAll(/<li class="is-(done|todo)">[\s\S]*?<a href="[^"]+"[^>]*>([^<]+)<\/a>/g)) {
    marks.set(
      m[2]!.replaceAll('&#39;', "'").replaceAll('&amp;', '&').replaceAll('&quot;', '"'),
      m[1] === 'done',
    );
  }
  return marks;
}

async function userIdOf(email: string): Promise<string> {
  const user = await t.app.db.models.User.findOne({ email }).lean();
  return user!._id;
}

describe('My training', () => {
  it('lists the course as available with a Start link before the learner has begun', async () => {
    await createUser(t.app, { email: 'fresh@example.com', name: 'Fresh Learner' });
    const s = await loginAs(t.app, 'fresh@example.com');
    const res = await s.get('/');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(course.title);
    expect(res.body).toContain('Lessons read: 0 of 8');
    expect(res.body).toContain(`href="/learn/${COURSE_ID}">Start`);
    // Looking does not enrol anybody.
    expect(
      await t.app.db.models.Assignment.countDocuments({ userId: await userIdOf('fresh@example.com') }),
    ).toBe(0);
  });

  it('shows status, due date, progress and the certificate link from the learner’s own records', async () => {
    await createUser(t.app, { email: 'assigned@example.com' });
    const userId = await userIdOf('assigned@example.com');
    const s = await loginAs(t.app, 'assigned@example.com');
    await s.get(lessonUrl(0)); // self-enrols and records one lesson
    const cycleId = cycleKey(userId, COURSE_ID, 1);
    await t.app.db.models.Assignment.updateOne(
      { _id: assignmentKey(userId, COURSE_ID) },
      { $set: { state: 'overdue', dueAt: new Date('2026-04-15T00:00:00Z'), source: 'individual' } },
    );
    await t.app.db.models.Cycle.updateOne({ _id: cycleId }, { $set: { certificateCode: 'ABCD-1234' } });
    const res = await s.get('/');
    expect(res.body).toContain('Overdue');
    expect(res.body).toContain('15 April 2026');
    expect(res.body).toContain('Lessons read: 1 of 8');
    expect(res.body).toContain('<progress class="lesson-progress" max="8" value="1"');
    expect(res.body).toContain('href="/certificates/ABCD-1234.pdf"');
    expect(res.body).toMatch(new RegExp(`href="${lessonUrl(0)}">Continue`));
  });
});

describe('lesson pages', () => {
  it('show the lesson, objectives, "Lesson N of M", previous/next links, print styles and a feedback form', async () => {
    const s = await loginAs(t.app, 'employee@demo.test');
    const res = await s.get(lessonUrl(1));
    expect(res.statusCode).toBe(200);
    const lesson = course.lessons[1]!;
    expect(res.body).toContain(`<h1 id="lesson-title" lang="en" dir="ltr">${lesson.title}</h1>`);
    expect(res.body).toContain('Lesson 2 of 8');
    expect(res.body).toContain(lesson.html);
    expect(res.body).toContain(`href="${lessonUrl(0)}" rel="prev"`);
    expect(res.body).toContain(`href="${lessonUrl(2)}" rel="next"`);
    expect(res.body).toContain('href="/static/css/print.css" media="print"');
    expect(res.body).toContain(`action="${lessonUrl(1)}/feedback"`);
    expect(res.body).not.toContain('<script>');
  });

  it('record progress server-side, so a second session of the same user resumes at the same place', async () => {
    await createUser(t.app, { email: 'twodevices@example.com' });
    const userId = await userIdOf('twodevices@example.com');
    const laptop = await loginAs(t.app, 'twodevices@example.com');
    for (const i of [0, 1, 2]) expect((await laptop.get(lessonUrl(i))).statusCode).toBe(200);
    await laptop.get(lessonUrl(1)); // went back to re-read lesson 2: that is where to resume

    const cycleId = cycleKey(userId, COURSE_ID, 1);
    const progress = await t.app.db.models.Progress.findById(cycleId).lean();
    expect(progress?.lastLocation).toBe(lessonUrl(1));
    // The first lesson view started the cycle, so HR reports see the person as in progress.
    expect((await t.app.db.models.Cycle.findById(cycleId).lean())?.startedAt).toBeInstanceOf(Date);
    expect((await t.app.db.models.Assignment.findById(assignmentKey(userId, COURSE_ID)).lean())?.state).toBe(
      'in-progress',
    );
    expect(Object.keys(progress!.viewed).sort()).toEqual(
      course.lessons
        .slice(0, 3)
        .map((l) => l.id)
        .sort(),
    );
    expect(await t.app.db.models.LessonView.countDocuments({ cycleId })).toBe(3);

    const phone = await loginAs(t.app, 'twodevices@example.com');
    expect(phone.cookies.sid).not.toBe(laptop.cookies.sid);
    const overview = await phone.get(`/learn/${COURSE_ID}`);
    expect(overview.statusCode).toBe(200);
    expect(overview.body).toContain(`href="${lessonUrl(1)}">Resume where you left off`);
    const marks = doneMarks(overview.body);
    expect(marks.size).toBe(8);
    expect(course.lessons.map((lesson) => marks.get(lesson.title))).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(overview.body).toContain('Lessons read: 3 of 8');
    expect(overview.body).toContain('<span class="badge badge-warn">In progress</span>');
  });

  it('audit a first view once; a repeat view only reads, and going back moves the resume point in one write', async () => {
    await createUser(t.app, { email: 'budget@example.com' });
    const s = await loginAs(t.app, 'budget@example.com');
    await s.get(lessonUrl(4));
    await s.get(lessonUrl(4));
    const userId = await userIdOf('budget@example.com');
    expect(
      await t.app.db.models.AuditEvent.countDocuments({ action: 'lesson.viewed', subjectId: userId }),
    ).toBe(1);

    /** The collection methods a request calls, besides the session's own. */
    async function opsOf(url: string): Promise<string[]> {
      const ops: string[] = [];
      t.app.db.conn.set('debug', (collection: string, method: string) => ops.push(`${collection}.${method}`));
      try {
        expect((await s.get(url)).statusCode).toBe(200);
      } finally {
        t.app.db.conn.set('debug', false);
      }
      // No read of the person: their region (which notices the lesson shows) comes with the assignment.
      return ops.filter((op) => !op.startsWith('sessions.'));
    }
    expect(await opsOf(lessonUrl(4))).toEqual(['assignments.findOne', 'progress.findOne']);

    await s.get(lessonUrl(5));
    // Back to lesson 5, already viewed: no new record, but "Resume" must follow the learner there.
    expect(await opsOf(lessonUrl(4))).toEqual([
      'assignments.findOne',
      'progress.findOne',
      'progress.updateOne',
    ]);
    const cycleId = cycleKey(userId, COURSE_ID, 1);
    expect((await t.app.db.models.Progress.findById(cycleId).lean())?.lastLocation).toBe(lessonUrl(4));
    expect(await opsOf(lessonUrl(4))).toEqual(['assignments.findOne', 'progress.findOne']);
    expect(await t.app.db.models.LessonView.countDocuments({ cycleId })).toBe(2);
  });

  it('lose no step when eight lessons are opened at once', async () => {
    await createUser(t.app, { email: 'racer@example.com' });
    const s = await loginAs(t.app, 'racer@example.com');
    await s.get(lessonUrl(0)); // enrol first, so the race is about progress rather than enrolment
    const results = await Promise.all(course.lessons.map((_, i) => s.get(lessonUrl(i))));
    expect(results.map((r) => r.statusCode)).toEqual(course.lessons.map(() => 200));

    const cycleId = cycleKey(await userIdOf('racer@example.com'), COURSE_ID, 1);
    expect(await t.app.db.models.LessonView.countDocuments({ cycleId })).toBe(8);
    const viewed = await viewedLessons(t.app.db.models, cycleId, course);
    expect([...viewed.keys()].sort()).toEqual(course.lessons.map((l) => l.id).sort());
    // The overview reads the durable record and repairs the summary if a racing write dropped an entry.
    expect((await s.get(`/learn/${COURSE_ID}`)).body).toContain('Lessons read: 8 of 8');
    const progress = await t.app.db.models.Progress.findById(cycleId).lean();
    expect(Object.keys(progress!.viewed)).toHaveLength(8);
  });

  it('self-enrol concurrently into exactly one assignment and cycle', async () => {
    await createUser(t.app, { email: 'rush@example.com' });
    const s = await loginAs(t.app, 'rush@example.com');
    const results = await Promise.all([0, 1, 2, 3].map((i) => s.get(lessonUrl(i))));
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
    const userId = await userIdOf('rush@example.com');
    expect(await t.app.db.models.Assignment.countDocuments({ userId })).toBe(1);
    expect(await t.app.db.models.Cycle.countDocuments({ userId })).toBe(1);
    expect(await t.app.db.models.LessonView.countDocuments({ userId })).toBe(4);
  });
});

describe('bad addresses', () => {
  it('answer 404 pages for unknown courses and lessons, 400 for malformed ids, and write nothing', async () => {
    await createUser(t.app, { email: 'lost@example.com' });
    const s = await loginAs(t.app, 'lost@example.com');
    for (const url of [
      '/learn/no-such-course',
      `/learn/${COURSE_ID}/lessons/no-such-lesson`,
      '/learn/no-such-course/lessons/x',
    ]) {
      const res = await s.get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.body).toContain('Page not found');
    }
    for (const url of [
      `/learn/${COURSE_ID}/lessons/a.b`,
      '/learn/UPPER$',
      `/learn/${COURSE_ID}/lessons/${'x'.repeat(81)}`,
    ]) {
      const res = await s.get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.body).not.toMatch(/at .*\.ts:\d+/);
    }
    // Query keys are flat strings (`lessonId[$ne]` is a name, not an operator) and unknown ones are
    // ignored (tracking-params.ts); a parameter the page reads is still validated.
    expect((await s.get(`${lessonUrl(0)}?feedback=$ne`)).statusCode).toBe(400);
    const userId = await userIdOf('lost@example.com');
    expect(await t.app.db.models.Assignment.countDocuments({ userId })).toBe(0);
    expect(await t.app.db.models.LessonView.countDocuments({ userId })).toBe(0);
  });

  it('send anonymous visitors to the login page', async () => {
    const res = await t.app.inject({ method: 'GET', url: lessonUrl(0) });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`/login?next=${encodeURIComponent(lessonUrl(0))}`);
  });
});
