import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { usersRepository } from '../../../src/db/repositories/users.js';
import { hashPassword } from '../../../src/services/identity/passwords.js';
import { type ClientSession, signIn } from '../../helpers/actors.js';
import { createTestApp, csrfFrom, TEST_PASSWORD, type TestApp } from '../../helpers/app.js';
import { firstChoices } from '../../helpers/quiz-form.js';
import { printReport } from './support.js';

const LEARNERS = 50;
let t: TestApp;
/** A second app instance on the same database (another server behind the load balancer). */
let twin: FastifyInstance;
const report: string[] = [];

beforeAll(async () => {
  t = await createTestApp({ label: 'concurrency' });
  twin = await buildApp({ config: t.config, mongoUri: inject('mongoUri'), clock: t.clock, logger: false });
  await twin.ready();
}, 120_000);

afterAll(async () => {
  printReport('concurrency', report);
  await twin?.close();
  await t?.close();
});

describe('quiz attempts under concurrent double submission', () => {
  it(`${LEARNERS} learners each start twice and submit twice at once: one attempt and one grade each`, async () => {
    const course = [...t.app.courses.values()][0]!;
    const quiz = `/learn/${course.id}/quiz`;
    const learners: Array<{ s: ClientSession; id: string }> = [];
    const t0 = Date.now();
    // One password hash for all racers (hashing is deliberately slow); each still signs in for real.
    const passwordHash = await hashPassword(TEST_PASSWORD);
    const users = usersRepository(t.app.db.models);
    for (let batch = 0; batch < LEARNERS; batch += 10) {
      const made = await Promise.all(
        Array.from({ length: Math.min(10, LEARNERS - batch) }, async (_, j) => {
          const i = batch + j;
          const email = `racer${i}@example.com`;
          const u = await users.insert({
            email,
            name: `Racer ${i}`,
            department: 'Sales',
            role: 'employee',
            active: true,
            locale: 'en',
            managerId: null,
            hireDate: null,
            passwordHash,
          });
          return { s: await signIn(t.app, email), id: u._id };
        }),
      );
      learners.push(...made);
    }
    const setupMs = Date.now() - t0;
    const statuses = new Map<string, number>();
    const tally = (what: string, s: number) =>
      statuses.set(`${what} ${s}`, (statuses.get(`${what} ${s}`) ?? 0) + 1);

    // Double start (two tabs) — half of the pairs go to the twin instance.
    const attemptUrls = await Promise.all(
      learners.map(async (l, i) => {
        const token = csrfFrom((await l.s.get(quiz)).body);
        const starts = await Promise.all(
          [t.app, i % 2 ? twin : t.app].map((app) =>
            app.inject({
              method: 'POST',
              url: `${quiz}/attempts`,
              payload: new URLSearchParams({ _csrf: token }).toString(),
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              cookies: l.s.cookies,
              remoteAddress: l.s.ip,
            }),
          ),
        );
        for (const r of starts) tally('start', r.statusCode);
        expect(starts.map((r) => r.statusCode)).toEqual([303, 303]);
        expect(starts[0]!.headers.location).toBe(starts[1]!.headers.location);
        return String(starts[0]!.headers.location);
      }),
    );

    // Double submit of the same answers, concurrently across all learners.
    await Promise.all(
      learners.map(async (l, i) => {
        const url = attemptUrls[i]!;
        const page = await l.s.get(url);
        const body = new URLSearchParams({
          _csrf: csrfFrom(page.body),
          ...firstChoices(page.body),
        }).toString();
        const submits = await Promise.all(
          [t.app, i % 2 ? twin : t.app].map((app) =>
            app.inject({
              method: 'POST',
              url: `${url}/submit`,
              payload: body,
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              cookies: l.s.cookies,
              remoteAddress: l.s.ip,
            }),
          ),
        );
        for (const r of submits) {
          tally('submit', r.statusCode);
          expect(r.statusCode, `${url} submit: ${r.body.slice(0, 200)}`).toBeLessThan(500);
        }
        expect(
          submits.some((r) => r.statusCode === 303 && String(r.headers.location).endsWith('/result')),
        ).toBe(true);
      }),
    );

    const { Attempt, AttemptResult } = t.app.db.models;
    const ids = learners.map((l) => l.id);
    const attempts = await Attempt.find({ userId: { $in: ids } }, { userId: 1 }).lean();
    const results = await AttemptResult.find({ userId: { $in: ids } }, { userId: 1 }).lean();
    const per = (docs: Array<{ userId: string }>) => {
      const m = new Map<string, number>();
      for (const d of docs) m.set(d.userId, (m.get(d.userId) ?? 0) + 1);
      return ids.filter((id) => m.get(id) !== 1).length;
    };
    report.push(
      `(setup of ${LEARNERS} signed-in learners took ${Math.round(setupMs / 1000)} s)`,
      `${LEARNERS} learners × (2 concurrent starts + 2 concurrent submits, split across two app instances): ` +
        `${attempts.length} attempts, ${results.length} graded results; statuses ${[...statuses].map(([k, n]) => `${k}×${n}`).join(', ')}`,
    );
    expect(per(attempts), 'learners without exactly one attempt').toBe(0);
    expect(per(results), 'learners without exactly one graded result').toBe(0);
  }, 180_000);
});

describe('progress under concurrent lesson views', () => {
  it('a learner opening every lesson at once, on two instances, loses no step', async () => {
    const course = [...t.app.courses.values()][0]!;
    const s = await signIn(t.app, 'employee@demo.test');
    const user = await t.app.db.models.User.findOne({ email: 'employee@demo.test' }).lean();
    const requests = course.lessons.flatMap((lesson, i) =>
      [t.app, twin, i % 2 ? twin : t.app].map((app) =>
        app.inject({
          method: 'GET',
          url: `/learn/${course.id}/lessons/${lesson.id}`,
          cookies: s.cookies,
          remoteAddress: s.ip,
        }),
      ),
    );
    const res = await Promise.all(requests);
    expect(res.map((r) => r.statusCode).filter((c) => c !== 200)).toEqual([]);
    const { LessonView, Progress } = t.app.db.models;
    const views = await LessonView.find({ userId: user!._id, courseId: course.id }).lean();
    expect(new Set(views.map((v) => v.lessonId)).size).toBe(course.lessons.length);
    expect(views.length, 'one view record per lesson (insert-once)').toBe(course.lessons.length);
    const racedSummary = Object.keys(
      (await Progress.findOne({ userId: user!._id, courseId: course.id }).lean())?.viewed ?? {},
    );
    // What the pages read: the durable records, with the summary repaired on read.
    const standing = await t.app.services.learning.courseProgress({ userId: user!._id, course });
    expect(standing.viewed.size).toBe(course.lessons.length);
    const progress = await Progress.findOne({ userId: user!._id, courseId: course.id }).lean();
    const summarised = Object.keys(progress?.viewed ?? {});
    expect(summarised.length, 'the summary is whole after the repair').toBe(course.lessons.length);
    report.push(
      `${requests.length} concurrent lesson views (${course.lessons.length} lessons × 3, two instances): ` +
        `${views.length} view records; summary listed ${racedSummary.length}/${course.lessons.length} after the race, ${summarised.length} after read-repair`,
    );
  }, 60_000);
});
