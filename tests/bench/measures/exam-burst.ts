import type http from 'node:http';
import type { OrgFixture } from '../lib/context.js';
import { BENCH_PASSWORD } from '../lib/context.js';
import { describeSplit, startCpuSplit } from '../lib/cpu-split.js';
import {
  cookieHeader,
  csrfTokenIn,
  httpRequest,
  loopbackAddress,
  loopbackAgent,
  postForm,
  setCookies,
} from '../lib/http.js';
import { addLearners } from '../lib/learners.js';
import { acceptQueueOf, samplePeak } from '../lib/proc.js';
import { answerFormFromPage, quizPaths } from '../lib/quiz-flow.js';
import { below, type MeasureResult } from '../lib/results.js';
import { type BenchSession, createSessions } from '../lib/sessions.js';
import { percentile, round } from '../lib/stats.js';
import { inPool } from './quiz-submit.js';

export interface ExamBurstOptions {
  learners: number;
  /** Every learner starts within this window (arrivals spread uniformly). */
  windowS: number;
  /** Time spent answering, spread uniformly in [0, thinkS]. */
  thinkS: number;
  /** Real password logins measured separately (argon2id), from distinct loopback addresses. */
  loginSample: number;
  /** Learners who first run the flow alone, one after another (the unloaded reference). */
  soloLearners?: number;
  /** The burst is cut off after this long; learners not done by then count as errors. */
  deadlineS: number;
}

interface Timings {
  intro: number[];
  start: number[];
  page: number[];
  submit: number[];
  errors: string[];
  /** From opening the quiz page until the start request is answered (what a learner waits to start), ms. */
  toStart: number[];
  /** When each start was answered, ms after `began`. */
  startedAt: number[];
  began: number;
}

const timings = (): Timings => ({
  intro: [],
  start: [],
  page: [],
  submit: [],
  errors: [],
  toStart: [],
  startedAt: [],
  began: performance.now(),
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Where one learner is, so requests still open at the deadline count with the time they have waited. */
interface Progress {
  step: 'intro' | 'start' | 'page' | 'submit' | 'think' | 'done';
  since: number;
}

const REQUEST_TIMEOUT_MS = 60_000;

/** One learner's exam: open the quiz, start, load the attempt, think, answer everything, submit. */
async function learnerFlow(
  baseUrl: string,
  courseId: string,
  s: BenchSession,
  agent: http.Agent,
  thinkMs: number,
  t: Timings,
  at: Progress,
) {
  const paths = quizPaths(courseId);
  const step = (name: Progress['step']) => Object.assign(at, { step: name, since: performance.now() });
  const opts = { agent, headers: { cookie: s.cookie }, timeoutMs: REQUEST_TIMEOUT_MS };
  step('intro');
  const opened = performance.now();
  const intro = await httpRequest(`${baseUrl}${paths.intro}`, opts);
  t.intro.push(intro.ms);
  const csrf = csrfTokenIn(intro.body);
  if (intro.status !== 200 || !csrf) throw new Error(`quiz page: HTTP ${intro.status}`);
  step('start');
  const start = await postForm(`${baseUrl}${paths.start}`, { _csrf: csrf }, opts);
  t.start.push(start.ms);
  t.startedAt.push(performance.now() - t.began);
  t.toStart.push(performance.now() - opened);
  const location = start.headers.location;
  if (start.status !== 303 || !location) throw new Error(`start: HTTP ${start.status}`);
  step('page');
  const page = await httpRequest(`${baseUrl}${location}`, opts);
  t.page.push(page.ms);
  if (page.status !== 200) throw new Error(`attempt page: HTTP ${page.status}`);
  step('think');
  await sleep(thinkMs);
  step('submit');
  const submit = await postForm(`${baseUrl}${location}/submit`, answerFormFromPage(page.body, csrf), opts);
  t.submit.push(submit.ms);
  if (submit.status !== 303) throw new Error(`submit: HTTP ${submit.status}`);
  step('done');
}

/** Real logins through the form: GET /login for the token, POST the password (argon2id verify). */
async function measureLogins(
  fx: OrgFixture,
  count: number,
): Promise<{ ms: number[]; failures: number; perS: number }> {
  const users = await addLearners(fx.db.models, count, fx.ctx.passwordHash, 'login');
  const ms: number[] = [];
  let failures = 0;
  const started = performance.now();
  const numbered = users.map((u, i) => ({ u, i }));
  await inPool(numbered, 20, async ({ u, i }) => {
    // At most 10 logins per source address: well inside the per-address limit of 30 per 15 minutes.
    const agent = loopbackAgent(loopbackAddress(1000 + Math.floor(i / 10)), 1);
    try {
      const form = await httpRequest(`${fx.app.url}/login`, { agent, timeoutMs: REQUEST_TIMEOUT_MS });
      const res = await postForm(
        `${fx.app.url}/login`,
        { _csrf: csrfTokenIn(form.body) ?? '', email: u.email, password: BENCH_PASSWORD },
        { agent, headers: { cookie: cookieHeader(setCookies(form)) }, timeoutMs: REQUEST_TIMEOUT_MS },
      );
      if (res.status === 303) ms.push(res.ms);
      else failures += 1;
    } catch {
      failures += 1;
    } finally {
      agent.destroy();
    }
  });
  return { ms, failures, perS: ms.length / ((performance.now() - started) / 1000) };
}

/**
 * 6. Exam day: many learners start the quiz within the same few seconds, then answer and submit.
 * Sessions are created directly (see lib/sessions.ts); login throughput is measured on a sample.
 * Each learner connects from its own loopback address, as real learners have their own addresses.
 */
export async function measureExamBurst(fx: OrgFixture, opts: ExamBurstOptions): Promise<MeasureResult> {
  const { course } = fx.ctx;
  const measure = 'exam-day burst';
  fx.ctx.log(`  login sample: ${opts.loginSample} password logins…`);
  const logins = await measureLogins(fx, opts.loginSample);

  // Assigned beforehand, as HR does: exam day is about the quiz, not enrolment.
  const users = await addLearners(fx.db.models, opts.learners, fx.ctx.passwordHash, 'exam', course);
  const sessions = await createSessions(fx.db.models, users);
  // Unloaded reference: a few learners alone, one after another.
  const solo = timings();
  for (const s of sessions.splice(0, opts.soloLearners ?? 5)) {
    await learnerFlow(fx.app.url, course.id, s, loopbackAgent('127.0.0.1', 1), 0, solo, {
      step: 'intro',
      since: 0,
    });
  }

  fx.ctx.log(`  burst: ${sessions.length} learners starting within ${opts.windowS} s…`);
  await fx.app.dbTally?.(); // resets the app's command count: the burst's own follows
  const stopCpu = await startCpuSplit(await fx.app.cpuPids(), fx.ctx.dbPid);
  const stopSampling = samplePeak(() => acceptQueueOf(Number(new URL(fx.app.url).port)), 250);
  const t = timings();
  const began = t.began;
  const progress: Progress[] = sessions.map(() => ({ step: 'intro', since: began }));
  const agents: http.Agent[] = [];
  const flows = Promise.all(
    sessions.map(async (s, i) => {
      await sleep(Math.random() * opts.windowS * 1000);
      const agent = loopbackAgent(loopbackAddress(i), 1);
      agents.push(agent);
      try {
        await learnerFlow(
          fx.app.url,
          course.id,
          s,
          agent,
          Math.random() * opts.thinkS * 1000,
          t,
          progress[i]!,
        );
      } catch (err) {
        t.errors.push((err as Error).message);
      } finally {
        agent.destroy();
      }
    }),
  );
  let timer: NodeJS.Timeout | undefined;
  const cutOff = await Promise.race([
    flows.then(() => false),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), opts.deadlineS * 1000);
    }),
  ]);
  clearTimeout(timer);
  if (cutOff) {
    // Requests still waiting count with the time they had waited (a lower bound), and as errors.
    const now = performance.now();
    for (const p of progress) {
      if (p.step === 'done') continue;
      if (p.step !== 'think') t[p.step].push(now - p.since);
      t.errors.push(`not done within ${opts.deadlineS} s (waiting on ${p.step})`);
    }
    for (const agent of agents) agent.destroy();
  }
  const tookS = (performance.now() - began) / 1000;
  const acceptQueuePeak = await stopSampling();
  const cpu = await stopCpu();
  const tally = await fx.app.dbTally?.();
  const commands = tally ? Object.values(tally).reduce((a, c) => a + c.n, 0) : null;
  const perLearner = (ms: number | null) => (ms === null ? '?' : `${round(ms / sessions.length, 1)} ms`);
  const inWindow = t.startedAt.filter((ms) => ms <= opts.windowS * 1000).length;
  const p95 = (v: number[]) => round(percentile(v, 95));
  const errorKinds: Record<string, number> = {};
  for (const e of t.errors) errorKinds[e] = (errorKinds[e] ?? 0) + 1;
  return {
    id: 'exam-burst',
    title: `Exam-day burst: ${sessions.length} learners start within ${opts.windowS} s, submit within ${opts.thinkS} s more`,
    rows: [
      {
        measure,
        metric: 'errors',
        value: t.errors.length,
        unit: `of ${sessions.length}`,
        target: '0',
        met: t.errors.length === 0,
      },
      // The start as a learner sees it: from opening the quiz page. Timing the start request alone
      // would look fine while the quiz page held arrivals back (starts then spread far beyond the window).
      below(
        {
          measure,
          metric: 'quiz page opened → attempt started p95',
          value: p95(t.toStart),
          unit: 'ms',
          baseline: { label: 'alone', value: p95(solo.toStart) },
          note: `${inWindow} of ${sessions.length} starts answered within the ${opts.windowS} s window, 95 % by ${round(percentile(t.startedAt, 95) / 1000)} s; the start request alone: p95 ${p95(t.start)} ms (${p95(solo.start)} ms alone)`,
        },
        1000,
      ),
      below(
        {
          measure,
          metric: 'submit p95',
          value: p95(t.submit),
          unit: 'ms',
          baseline: { label: 'alone', value: p95(solo.submit) },
        },
        1000,
      ),
      {
        measure,
        metric: 'peak connections waiting to be accepted',
        value: acceptQueuePeak ?? Number.NaN,
        unit: 'conn',
        note: 'the app accepts one new connection per event-loop turn (libuv ≥ 1.45): a busy loop admits new learners slowly',
      },
      {
        measure,
        metric: 'quiz page p95 / attempt page p95',
        value: p95(t.intro),
        unit: 'ms',
        note: `attempt page ${p95(t.page)} ms`,
      },
      {
        measure,
        metric: 'burst wall time',
        value: round(tookS),
        unit: 's',
        note: `${describeSplit(cpu)}; per learner: app ${perLearner(cpu.appCpuMs)} and FerretDB ${perLearner(cpu.dbCpuMs)} of CPU${commands === null ? '' : `, ${round(commands / sessions.length, 1)} DB commands`}`,
      },
      {
        measure,
        metric: `password logins/s (${opts.loginSample}, 20 at a time)`,
        value: round(logins.perS, 2),
        unit: 'login/s',
        note: `p95 ${p95(logins.ms)} ms, ${logins.failures} failed; ${sessions.length} logins would take ${round(sessions.length / Math.max(logins.perS, 0.001))} s`,
      },
    ],
    details: {
      errorKinds,
      p50: {
        intro: percentile(t.intro, 50),
        start: percentile(t.start, 50),
        toStart: percentile(t.toStart, 50),
        page: percentile(t.page, 50),
        submit: percentile(t.submit, 50),
      },
      p95: {
        toStart: percentile(t.toStart, 95),
        start: percentile(t.start, 95),
        submit: percentile(t.submit, 95),
      },
      p99: {
        toStart: percentile(t.toStart, 99),
        start: percentile(t.start, 99),
        submit: percentile(t.submit, 99),
      },
      acceptQueuePeak,
      learners: sessions.length,
      errors: t.errors.length,
      startsWithinWindow: inWindow,
      /** Learners admitted per second: starts answered within the arrival window, per second of it. */
      admittedPerS: inWindow / opts.windowS,
      cpu,
      solo,
      logins: { ...logins, p50: percentile(logins.ms, 50), p95: percentile(logins.ms, 95) },
    },
  };
}
