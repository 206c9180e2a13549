import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseServer, openDatabaseServer } from '../../../src/db/database-server.js';
import { feedbackKey } from '../../../src/db/keys.js';
import { type ClientSession, signIn, userIdOf } from '../../helpers/actors.js';
import { createTestApp, csrfFrom, type TestApp, testConfig } from '../../helpers/app.js';
import { ferretPidOnPort, isAlive } from '../../helpers/ferret-control.js';
import { printReport, waitFor } from './support.js';

// The app on its own embedded FerretDB, started the way src/server.ts starts it (DATA_DIR in a
// temporary folder, a free port), so the FerretDB can be killed under load without disturbing
// other files.
let dir: string;
let database: DatabaseServer;
let port: number;
let t: TestApp;
const databaseLog: string[] = [];
const errorLog: string[] = [];
const report: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'reliability-restart-'));
  database = await openDatabaseServer(testConfig({ DATA_DIR: dir }), (line) => databaseLog.push(line));
  port = Number(new URL(database.uri).port);
  t = await createTestApp({ label: 'restart', mongoUri: database.uri, onErrorLog: (l) => errorLog.push(l) });
});

afterAll(async () => {
  printReport('embedded database restarted', [...report, ...databaseLog.map((l) => `log: ${l}`)]);
  await t?.close().catch(() => {});
  await database?.stop().catch(() => {});
  await rm(dir, { recursive: true, force: true });
});

const LEARNERS = ['employee@demo.test', 'ava.adams@demo.test', 'ben.bauer@demo.test'];
const RECOVERY_LIMIT_MS = 15_000;

interface Outcome {
  writer: string;
  what: string;
  at: number;
  status: number | 'no form';
}
function countBy<T>(items: T[]): Map<T, number> {
  const counts = new Map<T, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
}

const succeeded = (o: Outcome) => typeof o.status === 'number' && o.status >= 200 && o.status < 400;

describe('the embedded FerretDB is killed under load', () => {
  it('is restarted: requests succeed again within 15 s, /readyz tells the truth, nothing acknowledged is lost', async () => {
    const course = [...t.app.courses.values()][0]!;
    const learners: Array<{ name: string; s: ClientSession; userId: string }> = [];
    for (const email of LEARNERS)
      learners.push({ name: email, s: await signIn(t.app, email), userId: await userIdOf(t.app, email) });
    const hr = await signIn(t.app, 'hr@demo.test');

    const outcomes: Outcome[] = [];
    const acked = {
      views: [] as Array<{ userId: string; lessonId: string }>,
      feedback: [] as string[],
      people: [] as string[],
    };
    let stop = false;
    const note = (writer: string, what: string, status: Outcome['status']) => {
      outcomes.push({ writer, what, at: Date.now(), status });
      return typeof status === 'number' && status >= 200 && status < 400;
    };

    async function learnerStep(l: (typeof learners)[number], k: number) {
      const lesson = course.lessons[k % course.lessons.length]!;
      const url = `/learn/${course.id}/lessons/${lesson.id}`;
      const view = await l.s.get(url, { accept: 'text/html' });
      if (!note(l.name, `GET ${url}`, view.statusCode)) return;
      acked.views.push({ userId: l.userId, lessonId: lesson.id });
      const submissionId = randomUUID();
      const fb = await l.s.post(`${url}/feedback`, {
        _csrf: csrfFrom(view.body),
        kind: 'question',
        message: `restart run ${submissionId}`,
        submissionId,
      });
      if (note(l.name, `POST ${url}/feedback`, fb.statusCode))
        acked.feedback.push(feedbackKey(l.userId, submissionId));
    }

    async function hrStep() {
      const form = await hr.get('/hr/people/new', { accept: 'text/html' });
      if (!note('hr', 'GET /hr/people/new', form.statusCode)) return;
      const email = `restart-${randomUUID()}@demo.test`;
      const res = await hr.post('/hr/people/new', {
        _csrf: csrfFrom(form.body),
        email,
        name: 'Restart Person',
        employeeId: '',
        department: 'Operations',
        managerEmail: '',
        hireDate: '',
        locale: 'en',
        role: 'employee',
        active: 'yes',
      });
      if (note('hr', 'POST /hr/people/new', res.statusCode)) acked.people.push(email);
    }

    const writers = [
      ...learners.map((l) => async (k: number) => learnerStep(l, k)),
      async () => hrStep(),
    ].map(async (step, w) => {
      for (let k = 0; !stop && k < 2_000; k += 1) {
        try {
          await step(k);
        } catch {
          // A page without a form (the 503 page): the step failed.
          note(w < learners.length ? learners[w]!.name : 'hr', 'form', 'no form');
        }
      }
    });

    const readiness: Array<{ at: number; status: number }> = [];
    const probe = (async () => {
      while (!stop) {
        // Timed from the probe's start: a probe sent just before the kill can still answer 200
        // after it, and must not count as the database being back.
        const at = Date.now();
        const res = await t.app.inject({ method: 'GET', url: '/readyz' });
        readiness.push({ at, status: res.statusCode });
        await new Promise((r) => setTimeout(r, 100));
      }
    })();

    try {
      // Load first, then kill FerretDB under it.
      expect(
        await waitFor(async () => acked.feedback.length >= 6 && acked.people.length >= 2, 30_000, 50),
      ).toBe(true);
      const pid = await ferretPidOnPort(port);
      expect(pid, 'our FerretDB is running').not.toBeNull();
      const killedAt = Date.now();
      process.kill(pid!, 'SIGKILL');
      expect(await waitFor(async () => !isAlive(pid!), 5_000, 20)).toBe(true);

      const upAgain = () => readiness.find((r) => r.at > killedAt && r.status === 200);
      const restarted = await waitFor(async () => upAgain() !== undefined, 30_000, 50);
      expect(restarted, `/readyz answers 200 again; log:\n${databaseLog.join('\n')}`).toBe(true);
      const recoveredAt = upAgain()!.at;
      const newPid = await ferretPidOnPort(port);
      expect(newPid !== null && newPid !== pid, 'a new FerretDB serves the same port').toBe(true);
      // Keep the load on for a while after the recovery: every writer must keep succeeding.
      await new Promise((r) => setTimeout(r, 3_000));
      stop = true;
      await Promise.all([...writers, probe]);

      const failures = outcomes.filter((o) => !succeeded(o));
      const lastFailure = Math.max(killedAt, ...failures.map((o) => o.at));
      report.push(
        `${outcomes.length} requests from ${learners.length + 1} writers; ${failures.length} failed, ` +
          `the last ${lastFailure - killedAt} ms after the kill; /readyz 200 again ${recoveredAt - killedAt} ms after it`,
        `statuses: ${[...countBy(outcomes.map((o) => o.status))].map(([s, n]) => `${s}×${n}`).join(' ')}`,
      );

      expect(
        failures.filter((o) => o.at < killedAt),
        'nothing failed before the kill',
      ).toEqual([]);
      expect(
        failures.filter((o) => typeof o.status === 'number' && o.status !== 503),
        `only 503 while the database was down; the app logged:\n${errorLog.join('')}`,
      ).toEqual([]);
      expect(lastFailure - killedAt, 'every request succeeds again within 15 s').toBeLessThanOrEqual(
        RECOVERY_LIMIT_MS,
      );
      for (const writer of [...LEARNERS, 'hr']) {
        const after = outcomes.filter((o) => o.writer === writer && o.at > lastFailure);
        expect(after.length, `${writer} kept working after the recovery`).toBeGreaterThanOrEqual(2);
      }
      const down = readiness.filter((r) => r.at > killedAt && r.at < recoveredAt);
      expect(
        down.map((r) => r.status),
        '/readyz said 503 while FerretDB was down',
      ).toContain(503);
      expect(
        readiness.filter((r) => r.at > recoveredAt).map((r) => r.status),
        '/readyz stays 200 once the database answers again',
      ).not.toContain(503);
      expect(databaseLog.join('\n')).toMatch(/restart/i);

      // Every write acknowledged before, during and after the kill is in the database.
      const { PolicyFeedback, LessonView, User } = t.app.db.models;
      const missing: string[] = [];
      for (const id of acked.feedback)
        if (!(await PolicyFeedback.exists({ _id: id }))) missing.push(`feedback ${id}`);
      for (const v of acked.views)
        if (!(await LessonView.exists({ userId: v.userId, lessonId: v.lessonId })))
          missing.push(`view ${v.userId} ${v.lessonId}`);
      for (const email of acked.people) if (!(await User.exists({ email }))) missing.push(`person ${email}`);
      report.push(
        `acknowledged: ${acked.feedback.length} feedback, ${acked.views.length} lesson views, ` +
          `${acked.people.length} people; missing afterwards: ${missing.length}`,
      );
      expect(missing).toEqual([]);
    } finally {
      stop = true;
      await Promise.allSettled([...writers, probe]);
    }
  }, 120_000);
});
