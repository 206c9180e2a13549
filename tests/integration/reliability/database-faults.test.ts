import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedFerretdb, freePort, startEmbeddedFerretdb } from '../../../src/db/ferretdb/launcher.js';
import { feedbackKey } from '../../../src/db/keys.js';
import { type ClientSession, signIn, userIdOf } from '../../helpers/actors.js';
import { createTestApp, csrfFrom, type TestApp, uniqueDbName } from '../../helpers/app.js';
import { ferretPidOnPort, isAlive } from '../../helpers/ferret-control.js';
import { checkedFields, firstChoices } from '../../helpers/quiz-form.js';
import { printReport, waitFor } from './support.js';

// This file runs its own FerretDB on a fixed port and data folder, so it can kill and restart it.
let dir: string;
let port: number;
let ferret: EmbeddedFerretdb;
let t: TestApp;
const report: string[] = [];
let faults = 0;
/** What the app logged as errors: the cause behind any unexpected 5xx. */
const errorLog: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'reliability-faults-'));
  port = await freePort();
  ferret = await startEmbeddedFerretdb({ dataDir: dir, port });
  t = await createTestApp({ label: 'faults', mongoUri: ferret.uri, onErrorLog: (l) => errorLog.push(l) });
});

afterAll(async () => {
  printReport('database faults', [`${faults} faults injected`, ...report]);
  await t?.close().catch(() => {});
  await ferret?.stop().catch(() => {});
  await rm(dir, { recursive: true, force: true });
});

async function killFerret(): Promise<void> {
  const pid = await ferretPidOnPort(port);
  if (!pid) throw new Error('our FerretDB is not running');
  process.kill(pid, 'SIGKILL');
  expect(await waitFor(async () => !isAlive(pid), 5_000, 50)).toBe(true);
  faults += 1;
}

const LEARNERS = [
  'employee@demo.test',
  'ava.adams@demo.test',
  'ben.bauer@demo.test',
  'chloe.costa@demo.test',
  'dev.diallo@demo.test',
  'elena.evans@demo.test',
];

interface Acked {
  views: Array<{ userId: string; lessonId: string }>;
  feedback: Array<{ userId: string; submissionId: string }>;
  results: Array<{ userId: string; n: number }>;
}

describe('FerretDB killed while learners work', () => {
  it('answers 503 while down, recovers without a restart, and loses nothing it acknowledged', async () => {
    const course = [...t.app.courses.values()][0]!;
    const quiz = `/learn/${course.id}/quiz`;
    const learners: Array<{ s: ClientSession; userId: string }> = [];
    for (const email of LEARNERS)
      learners.push({ s: await signIn(t.app, email), userId: await userIdOf(t.app, email) });

    const acked: Acked = { views: [], feedback: [], results: [] };
    const statuses = new Map<number, number>();
    const serverErrors: string[] = [];
    let stop = false;
    let feedbackSent = 0;
    let phase: 'before' | 'down' | 'after' = 'before';
    const ackedAfterRecovery = new Set<string>();

    const note = (what: string, status: number) => {
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status >= 500 && status !== 503) serverErrors.push(`${what} → ${status}`);
    };

    async function work(l: { s: ClientSession; userId: string }, k: number) {
      const lesson = course.lessons[k % course.lessons.length]!;
      const lessonUrl = `/learn/${course.id}/lessons/${lesson.id}`;
      const view = await l.s.get(lessonUrl, { accept: 'text/html' });
      note(`GET ${lessonUrl}`, view.statusCode);
      if (view.statusCode === 200) acked.views.push({ userId: l.userId, lessonId: lesson.id });
      if (view.statusCode !== 200) return;
      // The lesson page carries the feedback form with its token and a fresh submission id.
      const submissionId = randomUUID();
      feedbackSent += 1;
      const fb = await l.s.post(`${lessonUrl}/feedback`, {
        _csrf: csrfFrom(view.body),
        kind: 'question',
        message: `fault run ${submissionId}`,
        submissionId,
      });
      note(`POST ${lessonUrl}/feedback`, fb.statusCode);
      if (fb.statusCode === 303) {
        acked.feedback.push({ userId: l.userId, submissionId });
        if (phase === 'after') ackedAfterRecovery.add(l.userId);
      }
      if (k % 3 !== 2) return;
      // Every third step: start (or resume) a quiz attempt and submit it.
      const intro = await l.s.get(quiz, { accept: 'text/html' });
      note(`GET ${quiz}`, intro.statusCode);
      if (intro.statusCode !== 200) return;
      const start = await l.s.post(`${quiz}/attempts`, { _csrf: csrfFrom(intro.body) });
      note(`POST ${quiz}/attempts`, start.statusCode);
      const location = String(start.headers.location ?? '');
      const n = Number(/\/attempts\/(\d+)$/.exec(location)?.[1]);
      if (start.statusCode !== 303 || !n) return;
      const page = await l.s.get(location, { accept: 'text/html' });
      note(`GET ${location}`, page.statusCode);
      if (page.statusCode !== 200) return;
      const submit = await l.s.post(`${location}/submit`, {
        _csrf: csrfFrom(page.body),
        ...firstChoices(page.body),
      });
      note(`POST ${location}/submit`, submit.statusCode);
      if (submit.statusCode === 303 && String(submit.headers.location).endsWith('/result')) {
        acked.results.push({ userId: l.userId, n });
      }
    }

    const runs = learners.map(async (l) => {
      for (let k = 0; !stop && k < 400; k += 1) {
        try {
          await work(l, k);
        } catch (err) {
          // A page without a form (the 503 page) while the database is down.
          if (phase === 'before') throw err;
        }
      }
    });

    // Let the learners get going, then kill the database under them.
    expect(
      await waitFor(async () => acked.feedback.length >= 12 && acked.results.length >= 2, 40_000, 50),
    ).toBe(true);
    const beforeKill = acked.feedback.length + acked.views.length + acked.results.length;
    await killFerret();
    phase = 'down';

    expect((await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);
    const page = await learners[0]!.s.get('/', { accept: 'text/html' });
    expect(page.statusCode).toBe(503);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['retry-after']).toBeDefined();
    expect(page.body).toContain('Temporarily unavailable');
    expect(page.body).not.toMatch(/Mongo|ECONNREFUSED|at .*\.(ts|js):\d+|stack/i);
    const api = await t.app.inject({
      method: 'GET',
      url: '/',
      headers: { accept: 'application/json' },
      cookies: learners[0]!.s.cookies,
    });
    expect(api.statusCode).toBe(503);
    // The learners keep hammering for a moment while it is down.
    await waitFor(async () => (statuses.get(503) ?? 0) >= 10, 15_000, 50);

    ferret = await startEmbeddedFerretdb({ dataDir: dir, port });
    const recovered = await waitFor(
      async () => (await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode === 200,
      30_000,
      200,
    );
    expect(recovered, 'the app reconnected without a restart').toBe(true);
    phase = 'after';
    expect(
      await waitFor(async () => ackedAfterRecovery.size === learners.length, 40_000, 100),
      'every learner saved work after recovery',
    ).toBe(true);
    stop = true;
    await Promise.all(runs);

    // Everything acknowledged is there.
    const { PolicyFeedback, LessonView, AttemptResult } = t.app.db.models;
    const missing: string[] = [];
    for (const f of acked.feedback) {
      if (!(await PolicyFeedback.exists({ _id: feedbackKey(f.userId, f.submissionId) })))
        missing.push(`feedback ${f.submissionId}`);
    }
    for (const v of acked.views) {
      if (!(await LessonView.exists({ userId: v.userId, lessonId: v.lessonId })))
        missing.push(`view ${v.userId} ${v.lessonId}`);
    }
    for (const r of acked.results) {
      if (!(await AttemptResult.exists({ userId: r.userId, n: r.n })))
        missing.push(`result ${r.userId} #${r.n}`);
    }
    // Nothing appears twice either: at most one record per submission sent.
    const stored = await PolicyFeedback.countDocuments({ message: /^fault run / });
    report.push(
      `kill during a run of ${learners.length} learners: ${beforeKill} acknowledged writes before the kill, ` +
        `${acked.feedback.length} feedback + ${acked.views.length} lesson views + ${acked.results.length} graded attempts acknowledged in all`,
      `statuses: ${[...statuses].map(([s, n]) => `${s}×${n}`).join(' ')}`,
      `lost after recovery: ${missing.length}${missing.length ? ` (${missing.slice(0, 5).join(', ')})` : ''}`,
    );
    expect(
      serverErrors,
      `only 503 while the database was down, never another 5xx; the app logged:\n${errorLog.join('')}`,
    ).toEqual([]);
    expect(missing).toEqual([]);
    expect(stored).toBeGreaterThanOrEqual(acked.feedback.length);
    expect(stored, 'at most one record per submission sent').toBeLessThanOrEqual(feedbackSent);
  }, 150_000);
});

// ------------------------------------------------------------------------------------------------
// The app process itself crashes mid-attempt.

class HttpClient {
  cookies = new Map<string, string>();
  constructor(readonly base: string) {}
  async req(
    method: string,
    url: string,
    form?: Record<string, string>,
  ): Promise<{ status: number; location: string; body: string }> {
    const res = await fetch(`${this.base}${url}`, {
      method,
      redirect: 'manual',
      headers: {
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
    return { status: res.status, location: res.headers.get('location') ?? '', body: await res.text() };
  }
}

function startServer(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: process.cwd(),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (b: Buffer) => {
    out = (out + b.toString()).slice(-4000);
  });
  child.stderr?.on('data', (b: Buffer) => {
    out = (out + b.toString()).slice(-4000);
  });
  return { child, output: () => out };
}

describe('the app process crashes mid-attempt', () => {
  it('resumes the attempt with its saved answers after a SIGKILL and a restart', async () => {
    const appPort = await freePort();
    const env = {
      NODE_ENV: 'test',
      PORT: String(appPort),
      HOST: '127.0.0.1',
      // Vitest puts Vite's BASE_URL ("/") into process.env; the app needs a real one.
      BASE_URL: `http://127.0.0.1:${appPort}`,
      MONGODB_URI: ferret.uri,
      DB_NAME: uniqueDbName('crash'),
      SESSION_SECRET: 'crash-test-secret-'.padEnd(48, 'y'),
      LOG_LEVEL: 'error',
      SWEEP_SCHEDULE: 'off',
      DEMO_DATA: 'true',
    };
    const base = `http://127.0.0.1:${appPort}`;
    const exited = (c: ChildProcess) => c.exitCode !== null || c.signalCode !== null;
    // Ready, or give up at once when the child has already exited.
    const waitUp = async (c: ChildProcess) => {
      const deadline = Date.now() + 90_000;
      while (Date.now() < deadline && !exited(c)) {
        if (
          await fetch(`${base}/readyz`).then(
            (r) => r.status === 200,
            () => false,
          )
        )
          return true;
        await new Promise((r) => setTimeout(r, 250));
      }
      return false;
    };
    let server = startServer(env);
    const t0 = Date.now();
    try {
      expect(await waitUp(server.child), `app did not start: ${server.output()}`).toBe(true);
      const c = new HttpClient(base);
      const loginPage = await c.req('GET', '/login');
      const login = await c.req('POST', '/login', {
        _csrf: csrfFrom(loginPage.body),
        email: 'employee@demo.test',
        password: 'demo-password',
      });
      expect(login.status).toBe(303);
      const course = 'social-media-policy';
      const intro = await c.req('GET', `/learn/${course}/quiz`);
      const start = await c.req('POST', `/learn/${course}/quiz/attempts`, { _csrf: csrfFrom(intro.body) });
      expect(start.status).toBe(303);
      const attemptUrl = start.location;
      const page = await c.req('GET', attemptUrl);
      const answers = firstChoices(page.body);
      const half = Object.fromEntries(
        Object.entries(answers).slice(0, Math.ceil(Object.keys(answers).length / 2)),
      );
      expect(Object.keys(half).length).toBeGreaterThan(0);
      const saved = await c.req('POST', `${attemptUrl}/answers`, { _csrf: csrfFrom(page.body), ...half });
      expect(saved.status).toBe(303);

      // Crash: no graceful shutdown at all.
      server.child.kill('SIGKILL');
      faults += 1;
      expect(await waitFor(async () => exited(server.child), 5_000, 50)).toBe(true);

      server = startServer(env);
      expect(await waitUp(server.child), `app did not restart: ${server.output()}`).toBe(true);
      report.push(`(child app first start + crash + restart took ${Math.round((Date.now() - t0) / 1000)} s)`);
      // Same cookie (sessions live in the database), same attempt, answers restored.
      const again = await c.req('GET', attemptUrl);
      expect(again.status).toBe(200);
      expect(checkedFields(again.body)).toEqual(half);
      const resumed = await c.req('POST', `/learn/${course}/quiz/attempts`, { _csrf: csrfFrom(again.body) });
      expect(resumed.location, 'starting again resumes the open attempt').toBe(attemptUrl);
      const submit = await c.req('POST', `${attemptUrl}/submit`, { _csrf: csrfFrom(again.body), ...answers });
      expect(submit.status).toBe(303);
      expect(submit.location).toBe(`${attemptUrl}/result`);
      report.push(
        `app SIGKILLed mid-attempt (${Object.keys(half).length}/${Object.keys(answers).length} answers saved): restarted, attempt resumed with its answers, then graded`,
      );
    } finally {
      if (server.child.exitCode === null && server.child.signalCode === null) {
        server.child.kill('SIGTERM');
        await waitFor(
          async () => server.child.exitCode !== null || server.child.signalCode !== null,
          12_000,
          100,
        );
        if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
      }
    }
  }, 240_000);
});
