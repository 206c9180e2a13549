import type autocannon from 'autocannon';
import { cycleKey } from '../../../src/db/keys.js';
import { describeTally } from '../lib/app-process.js';
import type { OrgFixture } from '../lib/context.js';
import { describeSplit, startCpuSplit, waitUntilStable } from '../lib/cpu-split.js';
import { addLearners } from '../lib/learners.js';
import { runLoad } from '../lib/load.js';
import { answerFormFor, quizPaths, startAttempt } from '../lib/quiz-flow.js';
import { below, type MeasureResult } from '../lib/results.js';
import { createSessions, withCsrf } from '../lib/sessions.js';
import { percentile, ratio, round } from '../lib/stats.js';

export interface QuizSubmitOptions {
  connections: number;
  /** Fresh learners, one graded attempt each: the upper bound on requests. */
  submissions: number;
  durationS: number;
  /** How long to wait, at most, for submissions still in flight when the run ends. */
  drainS: number;
}

/** urlencoded, with one pair per value of multi-answer fields. */
function formBody(form: Record<string, string | string[]>): string {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const item of [v].flat()) body.append(k, item);
  return body.toString();
}

export async function inPool<T>(items: T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/**
 * 2. Quiz submission: every request submits a different learner's fresh attempt (started
 * beforehand), so each one is graded and stored. Baseline: the bare fastify server in the same
 * process answering the same form posts with a redirect.
 */
export async function measureQuizSubmit(fx: OrgFixture, opts: QuizSubmitOptions): Promise<MeasureResult> {
  const { course } = fx.ctx;
  const paths = quizPaths(course.id);
  fx.ctx.log(`  preparing ${opts.submissions} learners with a started attempt…`);
  const users = await addLearners(fx.db.models, opts.submissions, fx.ctx.passwordHash, 'quiz');
  const sessions = await createSessions(fx.db.models, users);
  await withCsrf(fx.app.url, sessions, paths.intro);
  const startMs: number[] = [];
  await inPool(sessions, 4, async (s) => {
    const res = await startAttempt(fx.app.url, course, s);
    if (res.status !== 303) throw new Error(`starting an attempt answered ${res.status}`);
    startMs.push(res.ms);
  });
  const forms = await Promise.all(
    sessions.map(async (s) => ({ s, body: formBody(await answerFormFor(fx.db.models, course, s)) })),
  );

  let i = 0;
  const submitRequests: autocannon.Request[] = [
    {
      method: 'POST',
      path: paths.submit(1),
      setupRequest: (req) => {
        const f = forms[i++ % forms.length]!;
        return {
          ...req,
          body: f.body,
          headers: {
            ...req.headers,
            cookie: f.s.cookie,
            'content-type': 'application/x-www-form-urlencoded',
          },
        };
      },
    },
  ];
  const bareBody = forms[0]!.body;
  // The bare baseline runs only beside the bench's own app child (the real server has none).
  const bare = fx.app.bareUrl
    ? await runLoad({
        url: `${fx.app.bareUrl}/submit`,
        connections: opts.connections,
        // The baseline keeps no state per request, so it runs for the full duration.
        durationS: opts.durationS,
        requests: [
          {
            method: 'POST',
            body: bareBody,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
          },
        ],
      })
    : null;
  const stop = await startCpuSplit(await fx.app.cpuPids(), fx.ctx.dbPid);
  await fx.app.dbTally?.();
  const app = await runLoad({
    url: fx.app.url,
    connections: opts.connections,
    durationS: opts.durationS,
    // Each learner submits once: a second submission would only read the stored result.
    maxRequests: forms.length,
    requests: submitRequests,
    // Long enough that a slow server is measured as slow, not turned into resubmissions.
    timeoutS: 60,
  });
  const split = await stop();
  const graded = app.statusCodes['303'] ?? 0;
  // Requests cut off when the run ended are still being processed: wait for the app to drain.
  const resultIds = users.map((u) => `${cycleKey(u.id, course.id, 1)}:1`);
  const stored = await waitUntilStable(
    () => fx.db.models.AttemptResult.countDocuments({ _id: { $in: resultIds } }),
    3000,
    opts.drainS * 1000,
  );
  const tally = await fx.app.dbTally?.();
  const gradedPerS = graded / app.durationS;
  const measure = 'quiz submit';
  return {
    id: 'quiz-submit',
    title: `Quiz submission, ${opts.connections} connections, a fresh attempt per request`,
    rows: [
      {
        measure,
        metric: 'attempts graded+stored/s',
        value: round(gradedPerS),
        unit: 'req/s',
        ...(bare
          ? {
              baseline: { label: 'bare fastify POST→303', value: round(bare.rps) },
              ratio: ratio(gradedPerS, bare.rps),
            }
          : {}),
        note: [describeSplit(split), tally ? describeTally(tally, stored) : ''].filter(Boolean).join('; '),
      },
      below(
        {
          measure,
          metric: `p99 latency @${opts.connections}`,
          value: app.p99,
          unit: 'ms',
          ...(bare ? { baseline: { label: 'bare p99', value: bare.p99 } } : {}),
          note: `p95 ${round(app.p95)} ms`,
        },
        100,
      ),
      {
        measure,
        metric: 'graded answers (303) / results stored',
        value: graded,
        unit: `/ ${stored}`,
        target: 'none lost',
        met: graded > 0 && stored >= graded,
        note: `${app.errors} connection errors, ${app.timeouts} timeouts, codes ${JSON.stringify(app.statusCodes)}`,
      },
      {
        measure,
        metric: 'attempt start (setup, 4 at a time) p95',
        value: round(percentile(startMs, 95)),
        unit: 'ms',
      },
    ],
    details: {
      app,
      bare,
      cpu: split,
      graded,
      gradedPerS,
      stored,
      dbCommands: tally,
      startP50: percentile(startMs, 50),
    },
  };
}
